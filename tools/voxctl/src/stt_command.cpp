// voxctl stt: recognise the speech in a WAV file with an STT provider loaded
// locally. The file is streamed to the provider in 20 ms chunks, as a call
// would deliver it (resampled to a rate the provider supports), then flushed;
// prints the final transcript.
#include "command.hpp"
#include "local_plugins.hpp"

#include <vox/core/audio/wav.hpp>
#include <vox/core/providers/stt_client.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <vector>

namespace voxctl {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint32_t kChunkMs = 20;

struct Collector {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<vox::SttTranscript> finals;
    std::size_t partials = 0;
    std::size_t finals_expected = 0;
    std::optional<std::string> error;
};

// "pocketsphinx" or "stt.pocketsphinx" -> the registered provider, or a clear error.
const vox::Provider& find_stt_provider(LocalPlugins& plugins, const std::string& name) {
    std::string key = name.rfind("stt.", 0) == 0 ? name : "stt." + name;
    if (const vox::Provider* provider = plugins.registry().find(key); provider != nullptr) return *provider;
    std::string available;
    for (const auto* provider : plugins.registry().providers(vox::ProviderKind::stt))
        available += (available.empty() ? "" : ", ") + provider->key;
    std::ostringstream message;
    message << "no STT provider '" << name << "' (available: " << (available.empty() ? "none" : available) << ")";
    if (!plugins.registry().refused().empty())
        message << "; " << plugins.registry().refused().size()
                << " plugin(s) were refused, run 'voxctl plugins' to see why";
    std::string path;
    for (const auto& dir : plugins.search_path()) path += (path.empty() ? "" : ":") + dir.string();
    message << "; searched " << (path.empty() ? "no directories" : path);
    throw UsageError(message.str());
}

vox::audio::AudioBuffer read_input(const std::string& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) throw std::runtime_error("cannot read " + file + ": no such file");
    if (std::filesystem::is_directory(file, ec)) throw std::runtime_error("cannot read " + file + ": is a directory");
    vox::audio::AudioBuffer audio;
    try {
        audio = vox::audio::read_wav(file);
    } catch (const std::exception& e) {
        throw std::runtime_error(file + " is not a readable WAV file: " + e.what());
    }
    if (audio.sample_rate == 0 || audio.channels == 0) throw std::runtime_error(file + " has no audio format");
    return audio;
}

int run_stt(const ParsedArgs& args) {
    if (args.positional().empty()) throw UsageError("no WAV file given");
    if (args.positional().size() > 1) throw UsageError("one WAV file at a time");
    const std::string file = args.positional().front();
    auto timeout = std::chrono::seconds(parse_integer("timeout", args.value_or("timeout", "300"), 1, 3600));
    nlohmann::json settings = nlohmann::json::object();
    if (auto raw = args.value("settings")) {
        settings = nlohmann::json::parse(*raw, nullptr, false);
        if (settings.is_discarded() || !settings.is_object())
            throw UsageError("--settings must be a JSON object, e.g. '{\"language\":\"en-US\"}'");
    }

    vox::audio::AudioBuffer audio = read_input(file);
    LocalPlugins plugins(args.value_or(kPluginPathOption, ""));
    const vox::Provider& provider = find_stt_provider(plugins, args.value_or("provider", "pocketsphinx"));

    Collector collected;
    vox::SttCallbacks callbacks;
    callbacks.on_transcript = [&](const vox::SttTranscript& transcript) {
        std::lock_guard lock(collected.mutex);
        if (transcript.is_final)
            collected.finals.push_back(transcript);
        else
            ++collected.partials;
        collected.changed.notify_all();
    };
    callbacks.on_error = [&](const vox::ProviderError& error) {
        std::lock_guard lock(collected.mutex);
        collected.error = error.what();
        collected.changed.notify_all();
    };

    auto started = Clock::now();
    std::uint32_t provider_rate = 0;
    {
        vox::SttClient client(provider, std::move(callbacks), {settings, audio.sample_rate});
        provider_rate = client.provider_sample_rate();
        const std::size_t chunk_frames = std::max<std::size_t>(1, audio.sample_rate * kChunkMs / 1000);
        const std::size_t frames = audio.frames();
        for (std::size_t at = 0; at < frames; at += chunk_frames) {
            std::size_t n = std::min(chunk_frames, frames - at);
            client.push_audio(vox::audio::AudioView{
                std::span<const std::int16_t>(audio.samples).subspan(at * audio.channels, n * audio.channels),
                audio.sample_rate, audio.channels});
            std::lock_guard lock(collected.mutex);
            if (collected.error) break;
        }
        // end_input finalises the last utterance; a final follows if any audio was pushed.
        client.end_input();
        std::unique_lock lock(collected.mutex);
        if (frames > 0 &&
            !collected.changed.wait_for(lock, timeout, [&] { return !collected.finals.empty() || collected.error; }))
            throw std::runtime_error(provider.key + ": no final transcript within " + std::to_string(timeout.count()) +
                                     " s (--timeout)");
    }  // closes the session: no callback runs after this
    double decode_seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (collected.error) throw std::runtime_error("recognition failed: " + *collected.error);

    std::string text;
    nlohmann::json segments = nlohmann::json::array();
    for (const auto& segment : collected.finals) {
        if (!segment.text.empty()) text += (text.empty() ? "" : " ") + segment.text;
        segments.push_back({{"text", segment.text},
                            {"start_ms", segment.start_ms},
                            {"end_ms", segment.end_ms},
                            {"confidence", segment.confidence}});
    }
    if (args.flag("json")) {
        nlohmann::json result = {{"text", text},
                                 {"segments", segments},
                                 {"provider", provider.key},
                                 {"sample_rate", audio.sample_rate},
                                 {"provider_sample_rate", provider_rate},
                                 {"partials", collected.partials},
                                 {"audio_seconds", audio.duration_seconds()},
                                 {"decode_seconds", decode_seconds}};
        std::cout << result.dump() << "\n";
    } else {
        std::cout << text << "\n";
    }
    return kExitOk;
}

}  // namespace

Command make_stt_command() {
    Command command;
    command.name = "stt";
    command.summary = "transcribe a WAV file with an STT provider";
    command.usage = "voxctl stt [--provider NAME] [options] FILE.wav";
    command.description =
        "Loads the plugins locally (no voxd needed) and streams the WAV file to the provider in 20 ms chunks,\n"
        "resampled to a rate the provider supports, then prints the final transcript. With --json prints\n"
        "{\"text\", \"segments\": [{text, start_ms, end_ms, confidence}], \"audio_seconds\", \"decode_seconds\", ...}.\n"
        "\n"
        "Examples:\n"
        "  voxctl stt call.wav\n"
        "  voxctl tts --text \"Book a table for two\" --out t.wav && voxctl stt --json t.wav";
    command.options = {
        {"provider", "NAME", "STT provider, \"pocketsphinx\" or \"stt.pocketsphinx\" (default: pocketsphinx)"},
        {"settings", "JSON", "provider settings object, e.g. '{\"language\":\"en-US\"}'"},
        {"timeout", "SECONDS", "give up waiting for the transcript after this long (default: 300)"},
        {kPluginPathOption, "DIRS", kPluginPathHelp},
        {"json", "", "print the transcript, segments and timing as JSON"},
    };
    command.takes_arguments = true;
    command.run = run_stt;
    return command;
}

}  // namespace voxctl
