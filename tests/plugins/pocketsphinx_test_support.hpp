// Shared by the stt_pocketsphinx tests: the real plugin (and tts_flite for
// speech) loaded into a fresh registry, what an SttClient delivered, and a
// word-overlap measure of recognised text.
#pragma once

#include <vox/core/audio/pcm.hpp>
#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/stt_client.hpp>
#include <vox/core/providers/tts_client.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace vox::test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

inline std::vector<std::string> split_words(const std::string& text) {
    std::vector<std::string> words;
    std::istringstream in(text);
    for (std::string word; in >> word;) {
        std::string clean;
        for (char c : word)
            if (std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '\'')
                clean += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!clean.empty()) words.push_back(clean);
    }
    return words;
}

// Fraction of the reference words found in the hypothesis (each used once).
inline double word_overlap(const std::string& reference, const std::string& hypothesis) {
    std::vector<std::string> ref = split_words(reference);
    std::vector<std::string> hyp = split_words(hypothesis);
    if (ref.empty()) return 0.0;
    std::size_t matched = 0;
    for (const auto& word : ref) {
        auto found = std::find(hyp.begin(), hyp.end(), word);
        if (found != hyp.end()) {
            ++matched;
            hyp.erase(found);
        }
    }
    return static_cast<double>(matched) / static_cast<double>(ref.size());
}

// Everything a session delivered.
struct Results {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<SttTranscript> partials;
    std::vector<SttTranscript> finals;
    std::vector<Clock::time_point> final_times;
    std::optional<Clock::time_point> first_partial;
    std::vector<std::string> errors;

    SttCallbacks callbacks() {
        SttCallbacks c;
        c.on_transcript = [this](const SttTranscript& t) {
            std::lock_guard lock(mutex);
            if (t.is_final) {
                finals.push_back(t);
                final_times.push_back(Clock::now());
            } else {
                if (!first_partial) first_partial = Clock::now();
                partials.push_back(t);
            }
            changed.notify_all();
        };
        c.on_error = [this](const ProviderError& e) {
            std::lock_guard lock(mutex);
            errors.emplace_back(e.what());
            changed.notify_all();
        };
        return c;
    }
    bool wait_finals(std::size_t n, std::chrono::milliseconds timeout = 60s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return finals.size() >= n || !errors.empty(); }) &&
               finals.size() >= n;
    }
    std::vector<SttTranscript> finals_copy() {
        std::lock_guard lock(mutex);
        return finals;
    }
};

class PocketsphinxTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* file : {VOX_TEST_POCKETSPHINX_PLUGIN, VOX_TEST_FLITE_PLUGIN}) {
            ASSERT_TRUE(std::filesystem::exists(file)) << file;
            bool loaded = PluginLoader(registry_).load_file(file);
            std::string reasons;
            for (const auto& refused : registry_.refused()) reasons += refused.origin + ": " + refused.reason + "\n";
            ASSERT_TRUE(loaded) << reasons;
        }
        stt_ = registry_.find("stt.pocketsphinx");
        ASSERT_NE(stt_, nullptr);
    }

    // `text` spoken by flite's slt voice at `rate` Hz.
    audio::AudioBuffer speak(const std::string& text, std::uint32_t rate) {
        const Provider* flite = registry_.find("tts.flite");
        EXPECT_NE(flite, nullptr);
        audio::AudioBuffer out;
        out.sample_rate = rate;
        std::mutex mutex;
        std::condition_variable cv;
        bool done = false;
        TtsCallbacks callbacks;
        callbacks.on_audio = [&](std::uint64_t, const audio::AudioView& chunk) {
            std::lock_guard lock(mutex);
            out.samples.insert(out.samples.end(), chunk.samples.begin(), chunk.samples.end());
        };
        callbacks.on_done = [&](std::uint64_t) {
            std::lock_guard lock(mutex);
            done = true;
            cv.notify_all();
        };
        TtsClient tts(*flite, callbacks, {{{"voice", "slt"}}, rate, audio::ResampleQuality::very_high});
        tts.push_text(1, text);
        tts.flush(1);
        std::unique_lock lock(mutex);
        EXPECT_TRUE(cv.wait_for(lock, 60s, [&] { return done; }));
        return out;
    }

    static void push_chunks(SttClient& client, const audio::AudioBuffer& audio, std::uint32_t chunk_ms = 20) {
        std::size_t chunk = audio.sample_rate * chunk_ms / 1000;
        for (std::size_t at = 0; at < audio.samples.size(); at += chunk) {
            std::size_t n = std::min(chunk, audio.samples.size() - at);
            client.push_audio({std::span<const std::int16_t>(audio.samples).subspan(at, n), audio.sample_rate, 1});
        }
    }

    // Recognises `audio` pushed in 20 ms chunks, then flushed; the final's text.
    SttTranscript recognise(const audio::AudioBuffer& audio, double* open_ms = nullptr, double* rtf = nullptr) {
        Results results;
        auto opening = Clock::now();
        SttClient client(*stt_, results.callbacks(), {{}, audio.sample_rate});
        auto opened = Clock::now();
        push_chunks(client, audio);
        client.flush();
        EXPECT_TRUE(results.wait_finals(1));
        auto done = Clock::now();
        if (open_ms != nullptr) *open_ms = std::chrono::duration<double, std::milli>(opened - opening).count();
        if (rtf != nullptr) *rtf = std::chrono::duration<double>(done - opened).count() / audio.duration_seconds();
        auto finals = results.finals_copy();
        return finals.empty() ? SttTranscript{} : finals.front();
    }

    HostServices host_;
    PluginRegistry registry_{host_};
    const Provider* stt_ = nullptr;
};

}  // namespace vox::test
