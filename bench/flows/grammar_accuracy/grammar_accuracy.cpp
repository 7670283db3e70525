// grammar_accuracy: how often stt.pocketsphinx gets the value of a call-flow
// answer right with free speech and with the grammar the flow node would set
// (ABI 1.2 set_grammar). 40 answers (10 each of digits, yes/no, a choice
// among 4, a date) are spoken by flite and espeak voices, recognised both
// ways, normalised (answers.hpp) and compared with the expected value.
//
//   grammar_accuracy [--rate 16000|8000] [--plugin-dir DIR] [--verbose]
#include "answers.hpp"

#include <vox/core/audio/pcm.hpp>
#include <vox/core/host_services.hpp>
#include <vox/core/log.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/stt_client.hpp>
#include <vox/core/providers/tts_client.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Options {
    std::uint32_t rate = 16000;
    std::string plugin_dir;
    bool verbose = false;
};

struct Voice {
    const char* label;
    const char* provider;
    const char* voice;
};

const Voice kVoices[] = {{"flite slt", "tts.flite", "slt"},
                         {"flite kal16", "tts.flite", "kal16"},
                         {"espeak en-us+klatt", "tts.espeak", "en-us+klatt"},
                         {"espeak en-us+f3", "tts.espeak", "en-us+f3"}};

vox::audio::AudioBuffer synthesize(const vox::Provider& tts, const char* voice, const std::string& text,
                                   std::uint32_t rate) {
    vox::audio::AudioBuffer out{{}, rate, 1};
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    vox::TtsCallbacks callbacks;
    callbacks.on_audio = [&](std::uint64_t, const vox::audio::AudioView& a) {
        std::lock_guard lock(mutex);
        out.samples.insert(out.samples.end(), a.samples.begin(), a.samples.end());
    };
    callbacks.on_done = [&](std::uint64_t) {
        std::lock_guard lock(mutex);
        done = true;
        cv.notify_all();
    };
    vox::TtsClient client(tts, callbacks, {{{"voice", voice}}, rate, vox::audio::ResampleQuality::very_high});
    client.push_text(1, text);
    client.flush(1);
    std::unique_lock lock(mutex);
    if (!cv.wait_for(lock, 30s, [&] { return done; })) throw std::runtime_error("synthesis timed out: " + text);
    return out;
}

// One STT session for a whole run: each answer is an utterance, after the
// grammar its flow node would set (or free speech).
class Recogniser {
public:
    Recogniser(const vox::Provider& stt, std::uint32_t rate) : client_(stt, callbacks(), {{}, rate}) {}

    // The final text and the time from the first audio pushed to the final.
    std::pair<std::string, double> recognise(const vox::audio::AudioBuffer& audio, const nlohmann::json& grammar) {
        if (!client_.set_grammar(grammar)) throw std::runtime_error("the provider has no grammars");
        std::size_t before = 0;
        {
            std::lock_guard lock(mutex_);
            before = finals_.size();
        }
        auto start = Clock::now();
        const std::size_t chunk = audio.sample_rate / 50;  // 20 ms, as fast as the client takes them
        for (std::size_t at = 0; at < audio.samples.size(); at += chunk) {
            std::size_t n = std::min(chunk, audio.samples.size() - at);
            client_.push_audio({std::span<const std::int16_t>(audio.samples).subspan(at, n), audio.sample_rate, 1});
        }
        client_.flush();
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, 30s, [&] { return finals_.size() > before || !error_.empty(); }))
            throw std::runtime_error("no final transcript within 30 s");
        if (!error_.empty()) throw std::runtime_error(error_);
        return {finals_[before], std::chrono::duration<double, std::milli>(Clock::now() - start).count()};
    }

private:
    vox::SttCallbacks callbacks() {
        vox::SttCallbacks c;
        c.on_transcript = [this](const vox::SttTranscript& t) {
            if (!t.is_final) return;
            std::lock_guard lock(mutex_);
            finals_.push_back(t.text);
            changed_.notify_all();
        };
        c.on_error = [this](const vox::ProviderError& e) {
            std::lock_guard lock(mutex_);
            error_ = e.what();
            changed_.notify_all();
        };
        return c;
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> finals_;
    std::string error_;
    vox::SttClient client_;  // last: its callbacks use the members above
};

struct Tally {
    int correct = 0;
    int total = 0;
    double ms = 0;
    void add(bool ok, double elapsed_ms) {
        correct += ok ? 1 : 0;
        ++total;
        ms += elapsed_ms;
    }
    std::string percent() const {
        char text[32];
        std::snprintf(text, sizeof text, "%5.1f %% (%d/%d)", total ? 100.0 * correct / total : 0.0, correct, total);
        return text;
    }
    double mean_ms() const { return total ? ms / total : 0.0; }
};

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "grammar_accuracy: " << arg << " needs a value\n";
                std::exit(64);
            }
            return argv[++i];
        };
        if (arg == "--rate")
            options.rate = static_cast<std::uint32_t>(std::stoul(next()));
        else if (arg == "--plugin-dir")
            options.plugin_dir = next();
        else if (arg == "--verbose")
            options.verbose = true;
        else {
            std::cerr << "usage: grammar_accuracy [--rate 16000|8000] [--plugin-dir DIR] [--verbose]\n";
            std::exit(64);
        }
    }
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    Options options = parse(argc, argv);
    vox::log::configure(vox::log::Format::text, spdlog::level::warn);
    vox::HostServices host;
    vox::PluginRegistry registry(host);
    std::string dir = options.plugin_dir.empty()
                          ? (std::filesystem::path(argv[0]).parent_path() / "../lib/vox/plugins").string()
                          : options.plugin_dir;
    vox::PluginLoader loader(registry);
    for (const char* file : {"tts_flite.so", "tts_espeak.so", "stt_pocketsphinx.so"})
        loader.load_file(dir + "/" + file);
    const vox::Provider* stt = registry.find("stt.pocketsphinx");
    if (stt == nullptr || registry.find("tts.flite") == nullptr || registry.find("tts.espeak") == nullptr) {
        std::cerr << "grammar_accuracy: cannot load tts_flite, tts_espeak and stt_pocketsphinx from " << dir
                  << " (use --plugin-dir)\n";
        for (const auto& refused : registry.refused())
            std::cerr << "  " << refused.origin << ": " << refused.reason << "\n";
        return 69;
    }

    const std::vector<vox::bench::Answer> answers = vox::bench::answers();
    Recogniser free_speech(*stt, options.rate);
    Recogniser constrained(*stt, options.rate);
    std::map<std::string, Tally> free_by_type, grammar_by_type, free_by_voice, grammar_by_voice;
    Tally free_all, grammar_all;
    double audio_seconds = 0;
    for (const Voice& voice : kVoices) {
        const vox::Provider& tts = *registry.find(voice.provider);
        for (const auto& answer : answers) {
            vox::audio::AudioBuffer audio = synthesize(tts, voice.voice, answer.spoken, options.rate);
            audio_seconds += audio.duration_seconds();
            auto [free_text, free_ms] = free_speech.recognise(audio, nullptr);
            auto [grammar_text, grammar_ms] = constrained.recognise(audio, answer.grammar);
            std::string free_value = vox::bench::value_of(answer.type, free_text);
            std::string grammar_value = vox::bench::value_of(answer.type, grammar_text);
            bool free_ok = free_value == answer.value;
            bool grammar_ok = grammar_value == answer.value;
            for (Tally* t : {&free_by_type[answer.type], &free_by_voice[voice.label], &free_all})
                t->add(free_ok, free_ms);
            for (Tally* t : {&grammar_by_type[answer.type], &grammar_by_voice[voice.label], &grammar_all})
                t->add(grammar_ok, grammar_ms);
            if (options.verbose || !grammar_ok)
                std::printf("%-20s %-7s %-44s free \"%s\" -> %s%s | grammar \"%s\" -> %s%s\n", voice.label,
                            answer.type.c_str(), ("\"" + answer.spoken + "\"").c_str(), free_text.c_str(),
                            free_value.c_str(), free_ok ? "" : " (wrong)", grammar_text.c_str(), grammar_value.c_str(),
                            grammar_ok ? "" : " (wrong)");
        }
    }

    std::printf("\nAnswer accuracy at %u Hz, %zu answers x %zu voices (mean answer %.2f s of audio)\n\n", options.rate,
                answers.size(), std::size(kVoices), audio_seconds / static_cast<double>(free_all.total));
    std::printf("| answers | free speech | grammar |\n|---|---|---|\n");
    for (const char* type : {"digits", "yes_no", "choice", "date"})
        std::printf("| %s | %s | %s |\n", type, free_by_type[type].percent().c_str(),
                    grammar_by_type[type].percent().c_str());
    for (const Voice& voice : kVoices)
        std::printf("| voice %s | %s | %s |\n", voice.label, free_by_voice[voice.label].percent().c_str(),
                    grammar_by_voice[voice.label].percent().c_str());
    std::printf("| **all** | **%s** | **%s** |\n", free_all.percent().c_str(), grammar_all.percent().c_str());
    std::printf("| mean recognition time (first audio pushed to final) | %.0f ms | %.0f ms |\n", free_all.mean_ms(),
                grammar_all.mean_ms());
    return 0;
}
