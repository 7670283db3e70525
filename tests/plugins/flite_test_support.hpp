// Shared by the tts_flite tests: loads the real plugin file into a fresh
// registry, collects what a TTS session delivers, and recognises speech with
// pocketsphinx.
#pragma once

#include <vox/core/audio/pcm.hpp>
#include <vox/core/audio/wav.hpp>
#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/tts_client.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace vox::test {

using Clock = std::chrono::steady_clock;

// A registry holding the tts_flite plugin built in this tree.
class FliteFixture : public ::testing::Test {
protected:
    explicit FliteFixture(HostServices::Options options = {}) : host_(std::move(options)), registry_(host_) {}

    void SetUp() override {
        ASSERT_TRUE(std::filesystem::exists(VOX_TEST_FLITE_PLUGIN)) << VOX_TEST_FLITE_PLUGIN;
        bool loaded = PluginLoader(registry_).load_file(VOX_TEST_FLITE_PLUGIN);
        std::string reasons;
        for (const auto& refused : registry_.refused()) reasons += refused.origin + ": " + refused.reason + "\n";
        ASSERT_TRUE(loaded) << reasons;
        provider_ = registry_.find("tts.flite");
        ASSERT_NE(provider_, nullptr);
    }

    const Provider& flite() const { return *provider_; }

    HostServices host_;
    PluginRegistry registry_;
    const Provider* provider_ = nullptr;
};

struct Word {
    std::string text;
    std::uint32_t start_ms;
    std::uint32_t end_ms;
};

// Everything a session delivered, per context, with arrival times.
class Capture {
public:
    TtsCallbacks callbacks() {
        TtsCallbacks c;
        c.on_audio = [this](std::uint64_t context, const audio::AudioView& chunk) {
            std::lock_guard lock(mutex_);
            auto& audio = audio_[context];
            audio.sample_rate = chunk.sample_rate;
            audio.channels = chunk.channels;
            audio.samples.insert(audio.samples.end(), chunk.samples.begin(), chunk.samples.end());
            ++chunks_[context];
            if (!first_audio_.count(context)) first_audio_[context] = Clock::now();
            changed_.notify_all();
        };
        c.on_word = [this](std::uint64_t context, std::string_view word, std::uint32_t start, std::uint32_t end) {
            std::lock_guard lock(mutex_);
            words_[context].push_back({std::string(word), start, end});
        };
        c.on_done = [this](std::uint64_t context) {
            std::lock_guard lock(mutex_);
            done_[context] = Clock::now();
            changed_.notify_all();
        };
        c.on_error = [this](std::uint64_t context, const ProviderError& error) {
            std::lock_guard lock(mutex_);
            errors_[context] = error.what();
            changed_.notify_all();
        };
        return c;
    }

    // Waits until `context` is done or failed; false on timeout.
    bool wait_done(std::uint64_t context, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return done_.count(context) || errors_.count(context); });
    }
    bool wait_audio(std::uint64_t context, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return chunks_.count(context) != 0; });
    }

    audio::AudioBuffer audio(std::uint64_t context) const {
        std::lock_guard lock(mutex_);
        auto found = audio_.find(context);
        return found == audio_.end() ? audio::AudioBuffer{} : found->second;
    }
    std::size_t chunks(std::uint64_t context) const {
        std::lock_guard lock(mutex_);
        auto found = chunks_.find(context);
        return found == chunks_.end() ? 0 : found->second;
    }
    std::vector<Word> words(std::uint64_t context) const {
        std::lock_guard lock(mutex_);
        auto found = words_.find(context);
        return found == words_.end() ? std::vector<Word>{} : found->second;
    }
    bool done(std::uint64_t context) const {
        std::lock_guard lock(mutex_);
        return done_.count(context) != 0;
    }
    std::optional<std::string> error(std::uint64_t context) const {
        std::lock_guard lock(mutex_);
        auto found = errors_.find(context);
        return found == errors_.end() ? std::nullopt : std::optional<std::string>(found->second);
    }
    std::optional<Clock::time_point> first_audio(std::uint64_t context) const {
        std::lock_guard lock(mutex_);
        auto found = first_audio_.find(context);
        return found == first_audio_.end() ? std::nullopt : std::optional<Clock::time_point>(found->second);
    }
    std::optional<Clock::time_point> done_at(std::uint64_t context) const {
        std::lock_guard lock(mutex_);
        auto found = done_.find(context);
        return found == done_.end() ? std::nullopt : std::optional<Clock::time_point>(found->second);
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::uint64_t, audio::AudioBuffer> audio_;
    std::map<std::uint64_t, std::size_t> chunks_;
    std::map<std::uint64_t, std::vector<Word>> words_;
    std::map<std::uint64_t, Clock::time_point> done_;
    std::map<std::uint64_t, Clock::time_point> first_audio_;
    std::map<std::uint64_t, std::string> errors_;
};

// Speaks `text` in one context and returns the audio (fails the test on error).
inline audio::AudioBuffer speak(const Provider& provider, const std::string& text, nlohmann::json settings,
                                std::uint32_t output_rate, std::vector<Word>* words = nullptr) {
    Capture capture;
    TtsOptions options;
    options.settings = std::move(settings);
    options.output_sample_rate = output_rate;
    TtsClient client(provider, capture.callbacks(), options);
    client.push_text(1, text);
    client.flush(1);
    EXPECT_TRUE(capture.wait_done(1)) << "no on_done within 30 s";
    EXPECT_FALSE(capture.error(1)) << *capture.error(1);
    if (words != nullptr) *words = capture.words(1);
    return capture.audio(1);
}

inline std::string temp_path(const std::string& name) {
    std::filesystem::create_directories(VOX_TEST_TMP_DIR);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string(VOX_TEST_TMP_DIR) + "/" + info->test_suite_name() + "." + info->name() + "." + name;
}

inline std::vector<std::string> split_words(const std::string& text) {
    std::vector<std::string> words;
    std::istringstream stream(text);
    for (std::string word; stream >> word;) {
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

// What pocketsphinx (Debian's en-us model, 16 kHz) hears in a WAV file.
inline std::string recognise(const std::string& wav_path) {
    std::string binary = VOX_TEST_POCKETSPHINX;
    if (binary.empty()) {
        ADD_FAILURE() << "pocketsphinx_continuous not found at configure time: apt-get install pocketsphinx "
                         "pocketsphinx-en-us, then re-run cmake";
        return {};
    }
    std::string command = "'" + binary + "' -infile '" + wav_path + "' -samprate 16000 -logfn /dev/null 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        ADD_FAILURE() << "cannot run " << command;
        return {};
    }
    std::string output;
    char buffer[512];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
    int status = pclose(pipe);
    EXPECT_EQ(status, 0) << command;
    return output;
}

}  // namespace vox::test
