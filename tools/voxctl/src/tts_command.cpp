// voxctl tts: synthesise text with a TTS provider loaded locally and write a
// WAV file, resampled to the rate asked for (16 kHz by default).
#include "command.hpp"
#include "local_plugins.hpp"

#include <vox/core/audio/wav.hpp>
#include <vox/core/log.hpp>
#include <vox/core/providers/tts_client.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>

namespace voxctl {
namespace {

using Clock = std::chrono::steady_clock;

// Collects one utterance from the provider's threads.
struct Collector {
    std::mutex mutex;
    std::condition_variable changed;
    vox::audio::AudioBuffer audio;
    std::optional<Clock::time_point> first_audio;
    std::size_t words = 0;
    bool done = false;
    std::optional<std::string> error;
};

std::string read_text(const ParsedArgs& args) {
    std::string text = args.required("text");
    if (text == "-") {
        text.clear();
        char buffer[4096];
        for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0;) text.append(buffer, n);
    }
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw UsageError("--text is empty: nothing to say");
    return text;
}

nlohmann::json settings_from(const ParsedArgs& args) {
    nlohmann::json settings = nlohmann::json::object();
    if (auto raw = args.value("settings")) {
        settings = nlohmann::json::parse(*raw, nullptr, false);
        if (settings.is_discarded() || !settings.is_object())
            throw UsageError("--settings must be a JSON object, e.g. '{\"voice\":\"slt\"}'");
    }
    if (auto voice = args.value("voice")) settings["voice"] = *voice;
    if (auto speed = args.value("speed")) settings["speed"] = parse_number("speed", *speed, 0.01, 100.0);
    return settings;
}

// "flite" or "tts.flite" -> the registered provider, or a clear error.
const vox::Provider& find_tts_provider(LocalPlugins& plugins, const std::string& name) {
    std::string key = name.rfind("tts.", 0) == 0 ? name : "tts." + name;
    if (const vox::Provider* provider = plugins.registry().find(key); provider != nullptr) return *provider;
    std::string available;
    for (const auto* provider : plugins.registry().providers(vox::ProviderKind::tts))
        available += (available.empty() ? "" : ", ") + provider->key;
    std::ostringstream message;
    message << "no TTS provider '" << name << "' (available: " << (available.empty() ? "none" : available) << ")";
    if (!plugins.registry().refused().empty())
        message << "; " << plugins.registry().refused().size()
                << " plugin(s) were refused, run 'voxctl plugins' to see why";
    std::string path;
    for (const auto& dir : plugins.search_path()) path += (path.empty() ? "" : ":") + dir.string();
    message << "; searched " << (path.empty() ? "no directories" : path);
    throw UsageError(message.str());
}

double ms_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

int run_tts(const ParsedArgs& args) {
    std::string text = read_text(args);
    std::string out = args.required("out");
    auto rate = static_cast<std::uint32_t>(parse_integer("rate", args.value_or("rate", "16000"), 8000, 192000));
    auto timeout = std::chrono::seconds(parse_integer("timeout", args.value_or("timeout", "120"), 1, 3600));
    nlohmann::json settings = settings_from(args);

    LocalPlugins plugins(args.value_or(kPluginPathOption, ""));
    const vox::Provider& provider = find_tts_provider(plugins, args.value_or("provider", "flite"));

    Collector collected;
    collected.audio.sample_rate = rate;
    vox::TtsCallbacks callbacks;
    callbacks.on_audio = [&](std::uint64_t, const vox::audio::AudioView& chunk) {
        std::lock_guard lock(collected.mutex);
        if (!collected.first_audio) collected.first_audio = Clock::now();
        collected.audio.channels = chunk.channels;
        collected.audio.samples.insert(collected.audio.samples.end(), chunk.samples.begin(), chunk.samples.end());
    };
    callbacks.on_word = [&](std::uint64_t, std::string_view, std::uint32_t, std::uint32_t) {
        std::lock_guard lock(collected.mutex);
        ++collected.words;
    };
    callbacks.on_done = [&](std::uint64_t) {
        std::lock_guard lock(collected.mutex);
        collected.done = true;
        collected.changed.notify_all();
    };
    callbacks.on_error = [&](std::uint64_t, const vox::ProviderError& error) {
        std::lock_guard lock(collected.mutex);
        collected.error = error.what();
        collected.changed.notify_all();
    };

    auto started = Clock::now();
    {
        // Offline use: the best resampling quality costs nothing noticeable.
        vox::TtsClient client(provider, std::move(callbacks), {settings, rate, vox::audio::ResampleQuality::very_high});
        client.push_text(1, text);
        client.flush(1);
        std::unique_lock lock(collected.mutex);
        if (!collected.changed.wait_for(lock, timeout, [&] { return collected.done || collected.error; }))
            throw std::runtime_error(provider.key + ": no result within " + std::to_string(timeout.count()) +
                                     " s (--timeout)");
    }  // closes the session: no callback runs after this
    auto finished = Clock::now();
    if (collected.error) throw std::runtime_error("synthesis failed: " + *collected.error);
    if (collected.audio.samples.empty()) throw std::runtime_error(provider.key + " produced no audio");

    if (out == "-") {
        std::vector<std::uint8_t> bytes = vox::audio::encode_wav(collected.audio.view());
        std::fwrite(bytes.data(), 1, bytes.size(), stdout);
        std::fflush(stdout);
    } else {
        vox::audio::write_wav(out, collected.audio.view());
    }

    nlohmann::json summary = {{"out", out},
                              {"provider", provider.key},
                              {"voice", settings.value("voice", provider.capabilities.value("default_voice", ""))},
                              {"sample_rate", collected.audio.sample_rate},
                              {"channels", collected.audio.channels},
                              {"duration_s", collected.audio.duration_seconds()},
                              {"words", collected.words},
                              {"first_audio_ms", ms_between(started, *collected.first_audio)},
                              {"total_ms", ms_between(started, finished)}};
    // The summary is a result: stdout, unless stdout carries the WAV itself.
    std::ostream& report = out == "-" ? std::cerr : std::cout;
    if (args.flag("json")) {
        report << summary.dump() << "\n";
    } else {
        char line[512];
        std::snprintf(
            line, sizeof line,
            "wrote %s: %.2f s of %u Hz audio from %s (voice %s); first audio after %.0f ms, done after %.0f ms\n",
            out == "-" ? "WAV to stdout" : out.c_str(), collected.audio.duration_seconds(), collected.audio.sample_rate,
            provider.key.c_str(), summary["voice"].get<std::string>().c_str(), summary["first_audio_ms"].get<double>(),
            summary["total_ms"].get<double>());
        report << line;
    }
    return kExitOk;
}

}  // namespace

Command make_tts_command() {
    Command command;
    command.name = "tts";
    command.summary = "synthesise text with a TTS provider into a WAV file";
    command.usage = "voxctl tts --text TEXT --out FILE [--provider NAME] [options]";
    command.description =
        "Loads the plugins locally (no voxd needed), speaks TEXT with the provider and writes a 16-bit PCM WAV\n"
        "file at --rate Hz (the provider's audio is resampled). Prints a one-line summary with the latency.\n"
        "\n"
        "Examples:\n"
        "  voxctl tts --text \"Hello, how can I help?\" --out hello.wav\n"
        "  voxctl tts --provider flite --voice kal --rate 8000 --text \"Your call is important\" --out kal.wav\n"
        "  echo \"Hi there\" | voxctl tts --text - --out - | aplay";
    command.options = {
        {"provider", "NAME", "TTS provider, \"flite\" or \"tts.flite\" (default: flite)"},
        {"text", "TEXT", "what to say; \"-\" reads it from standard input"},
        {"out", "FILE", "WAV file to write; \"-\" writes it to standard output"},
        {"voice", "ID", "voice id (see 'voxctl plugins --json' for each provider's voices)"},
        {"speed", "X", "speaking rate, 1 = normal (flite: 0.5 to 2)"},
        {"settings", "JSON", "provider settings object, e.g. '{\"voice\":\"rms\"}' (--voice/--speed win)"},
        {"rate", "HZ", "sample rate of the WAV file (default: 16000)"},
        {"timeout", "SECONDS", "give up after this long (default: 120)"},
        {kPluginPathOption, "DIRS", kPluginPathHelp},
        {"json", "", "print the summary as JSON"},
    };
    command.run = run_tts;
    return command;
}

}  // namespace voxctl
