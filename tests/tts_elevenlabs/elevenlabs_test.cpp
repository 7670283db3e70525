// tts.elevenlabs loaded from the build tree as voxd loads it, against a fake
// ElevenLabs server: sessions through the raw ABI, once through TtsClient.
#include "fake_elevenlabs_server.hpp"

#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/tts_client.hpp>
#include <vox/plugin.h>

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>

namespace vox::test {
namespace {

using namespace std::chrono_literals;

struct Recorded {
    std::vector<std::int16_t> samples;
    std::uint32_t rate = 0;
    std::vector<std::pair<std::string, std::uint32_t>> words;
    int done = 0;
    std::vector<std::pair<vox_status, std::string>> errors;
};

struct Recorder {
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::uint64_t, Recorded> contexts;
    bool wait(std::uint64_t id, const std::function<bool(Recorded&)>& condition) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 10s, [&] { return condition(contexts[id]); });
    }
    bool wait_end(std::uint64_t id) {
        return wait(id, [](Recorded& r) { return r.done > 0 || !r.errors.empty(); });
    }
    Recorded get(std::uint64_t id) {
        std::lock_guard lock(mutex);
        return contexts[id];
    }
};

class Session {
public:
    Session(const Provider& provider, Recorder& recorder, const std::string& settings = "{}")
        : vtable_(&provider.vtable<vox_tts_vtable>()) {
        callbacks_.struct_size = sizeof callbacks_;
        callbacks_.user = &recorder;
        callbacks_.on_audio = [](void* user, std::uint64_t id, const vox_audio* audio) {
            auto& r = *static_cast<Recorder*>(user);
            std::lock_guard lock(r.mutex);
            r.contexts[id].rate = audio->sample_rate;
            r.contexts[id].samples.insert(r.contexts[id].samples.end(), audio->samples, audio->samples + audio->frames);
            r.changed.notify_all();
        };
        callbacks_.on_word = [](void* user, std::uint64_t id, const char* word, std::uint32_t start, std::uint32_t) {
            auto& r = *static_cast<Recorder*>(user);
            std::lock_guard lock(r.mutex);
            r.contexts[id].words.emplace_back(word, start);
        };
        callbacks_.on_done = [](void* user, std::uint64_t id) {
            auto& r = *static_cast<Recorder*>(user);
            std::lock_guard lock(r.mutex);
            ++r.contexts[id].done;
            r.changed.notify_all();
        };
        callbacks_.on_error = [](void* user, std::uint64_t id, vox_status code, const char* message) {
            auto& r = *static_cast<Recorder*>(user);
            std::lock_guard lock(r.mutex);
            r.contexts[id].errors.emplace_back(code, message);
            r.changed.notify_all();
        };
        vox_error error{};
        error.struct_size = sizeof error;
        EXPECT_EQ(vtable_->open(provider.plugin_context(), settings.c_str(), &callbacks_, &session_, &error), VOX_OK);
    }
    ~Session() { close(); }
    void push(std::uint64_t id, const std::string& text) {
        vox_error error{};
        error.struct_size = sizeof error;
        EXPECT_EQ(vtable_->push_text(session_, id, text.data(), text.size(), &error), VOX_OK);
    }
    void flush(std::uint64_t id) {
        vox_error error{};
        error.struct_size = sizeof error;
        EXPECT_EQ(vtable_->flush(session_, id, &error), VOX_OK);
    }
    void cancel(std::uint64_t id) { vtable_->cancel(session_, id); }
    void close() {
        if (session_ != nullptr) vtable_->close(session_);
        session_ = nullptr;
    }

private:
    const vox_tts_vtable* vtable_;
    vox_tts_callbacks callbacks_{};
    vox_tts_session* session_ = nullptr;
};

std::vector<std::int16_t> expected(std::size_t first, std::size_t count) {
    std::vector<std::int16_t> pcm;
    for (std::size_t i = first; i < first + count; ++i) pcm.push_back(FakeElevenLabsServer::sample(i));
    return pcm;
}

FakeElevenLabsServer::Script script(int ws_status, int http_status = 0, std::string detail = "", bool drop = false,
                                    std::string error = "", std::string close = "") {
    FakeElevenLabsServer::Script result;
    result.error_after_opening = std::move(error);
    result.close_after_opening = std::move(close);
    result.ws_status = ws_status;
    result.http_status = http_status;
    result.http_detail = std::move(detail);
    result.drop_after_first_audio = drop;
    return result;
}

class ElevenLabs : public ::testing::Test {
protected:
    void SetUp() override { load(); }
    void load(const nlohmann::json& overrides = nlohmann::json::object()) {
        settings_ = {
            {"base_url", server_.base_url()}, {"api_key", server_.api_key()}, {"retry_delay_ms", 10}, {"retries", 1}};
        settings_.update(overrides);
        registry_.reset();
        RegistryOptions options;
        options.settings_for = [this](const std::string& key) {
            return key == "tts.elevenlabs" ? settings_ : nlohmann::json::object();
        };
        registry_ = std::make_unique<PluginRegistry>(host_, std::move(options));
        ASSERT_TRUE(PluginLoader(*registry_).load_file(VOX_TEST_ELEVENLABS_PLUGIN));
        tts_ = registry_->find("tts.elevenlabs");
        ASSERT_NE(tts_, nullptr);
    }

    FakeElevenLabsServer server_;
    HostServices host_;
    nlohmann::json settings_;
    std::unique_ptr<PluginRegistry> registry_;
    const Provider* tts_ = nullptr;
    Recorder recorder_;
};

TEST_F(ElevenLabs, StreamsAudioAndWordsOverTheWebSocketThenDone) {
    Session session(*tts_, recorder_);
    session.push(1, "Hello there. ");
    session.push(1, "How are you?");
    session.flush(1);
    ASSERT_TRUE(recorder_.wait_end(1));
    auto got = recorder_.get(1);
    ASSERT_TRUE(got.errors.empty()) << got.errors[0].second;
    EXPECT_EQ(got.done, 1);
    EXPECT_EQ(got.rate, 16000u);
    // 13 + 13 characters ("How are you? " gains its trailing space), 160 samples each.
    EXPECT_EQ(got.samples, expected(0, 26 * 160));
    std::vector<std::pair<std::string, std::uint32_t>> words = {
        {"Hello", 0}, {"there.", 60}, {"How", 130}, {"are", 170}, {"you?", 210}};
    EXPECT_EQ(got.words, words);
    auto record = server_.record();
    EXPECT_EQ(record.handshakes, 1);
    EXPECT_EQ(record.texts, (std::vector<std::string>{"Hello there. ", "How are you? "}));
    EXPECT_EQ(record.flushes, (std::vector<bool>{true, true}));  // each chunk ends a sentence
    EXPECT_EQ(record.end_of_input, 1);
    ASSERT_EQ(record.openings.size(), 1u);
    EXPECT_EQ(record.openings[0]["text"], " ");
    EXPECT_TRUE(record.openings[0]["voice_settings"].contains("stability"));
    EXPECT_FALSE(record.key_seen_in_message);
    EXPECT_NE(record.paths[0].find("/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream-input?model_id=eleven_flash_v2_5"
                                   "&output_format=pcm_16000"),
              std::string::npos);
}

TEST_F(ElevenLabs, FallsBackToTheHttpStreamWhenTheWebSocketIsRefused) {
    server_.set_script(script(503));
    Session session(*tts_, recorder_);
    session.push(1, "Hello there. How");
    session.push(1, " are you?");
    session.flush(1);
    ASSERT_TRUE(recorder_.wait_end(1));
    auto got = recorder_.get(1);
    ASSERT_TRUE(got.errors.empty()) << got.errors[0].second;
    auto record = server_.record();
    EXPECT_EQ(record.handshakes, 2);  // the first attempt and one retry
    ASSERT_EQ(record.texts, (std::vector<std::string>{"Hello there.", "How are you?"}));
    auto first = expected(0, 12 * 160);
    auto second = expected(0, 12 * 160);
    first.insert(first.end(), second.begin(), second.end());
    EXPECT_EQ(got.samples, first);
    EXPECT_EQ(got.done, 1);
}

TEST_F(ElevenLabs, CancelClosesTheSocketAndNothingFollows) {
    Session session(*tts_, recorder_);
    session.push(1, "Hello there. ");
    ASSERT_TRUE(recorder_.wait(1, [](Recorded& r) { return !r.samples.empty(); }));
    session.cancel(1);
    auto before = recorder_.get(1).samples.size();
    session.push(1, "More words.");
    session.flush(1);
    ASSERT_TRUE(server_.wait_for([](const auto& r) { return r.connections_ended == 1; }));
    // A second context after the cancel still works, and the first stays silent.
    session.push(2, "Next.");
    session.flush(2);
    ASSERT_TRUE(recorder_.wait_end(2));
    auto got = recorder_.get(1);
    EXPECT_EQ(got.samples.size(), before);
    EXPECT_EQ(got.done, 0);
    EXPECT_TRUE(got.errors.empty());
    EXPECT_EQ(recorder_.get(2).done, 1);
}

TEST_F(ElevenLabs, WrongKeyIsAnAuthErrorWithoutTheKey) {
    load({{"api_key", "xi-wrong-key-0000"}});
    Session session(*tts_, recorder_);
    session.push(1, "Hello.");
    session.flush(1);
    ASSERT_TRUE(recorder_.wait_end(1));
    auto got = recorder_.get(1);
    ASSERT_EQ(got.errors.size(), 1u);
    EXPECT_EQ(got.errors[0].first, VOX_ERR_AUTH);
    EXPECT_EQ(got.errors[0].second.find("xi-wrong-key-0000"), std::string::npos);
    EXPECT_EQ(server_.record().handshakes, 0);  // refused before the upgrade, and not retried
}

TEST_F(ElevenLabs, RateLimitAtTheHandshakeIsRateLimited) {
    server_.set_script(script(429));
    Session session(*tts_, recorder_);
    session.push(1, "Hello.");
    session.flush(1);
    ASSERT_TRUE(recorder_.wait_end(1));
    auto got = recorder_.get(1);
    ASSERT_EQ(got.errors.size(), 1u);
    EXPECT_EQ(got.errors[0].first, VOX_ERR_RATE_LIMITED);
    EXPECT_EQ(server_.record().http_requests, 0);
}

TEST_F(ElevenLabs, QuotaExceededOnTheFallbackIsRateLimited) {
    server_.set_script(script(503, 401, "quota_exceeded"));
    Session session(*tts_, recorder_);
    session.push(1, "Hello.");
    session.flush(1);
    ASSERT_TRUE(recorder_.wait_end(1));
    auto got = recorder_.get(1);
    ASSERT_EQ(got.errors.size(), 1u);
    EXPECT_EQ(got.errors[0].first, VOX_ERR_RATE_LIMITED);
    EXPECT_NE(got.errors[0].second.find("quota_exceeded"), std::string::npos);
}

TEST_F(ElevenLabs, ServerErrorsEverywhereAreUnavailable) {
    server_.set_script(script(500, 500));
    Session session(*tts_, recorder_);
    session.push(1, "Hello.");
    session.flush(1);
    ASSERT_TRUE(recorder_.wait_end(1));
    auto got = recorder_.get(1);
    ASSERT_EQ(got.errors.size(), 1u);
    EXPECT_EQ(got.errors[0].first, VOX_ERR_UNAVAILABLE);
    EXPECT_EQ(server_.record().http_requests, 2);  // retried once
}

TEST_F(ElevenLabs, ConnectionDroppedMidStreamIsUnavailable) {
    server_.set_script(script(0, 0, "", true));
    Session session(*tts_, recorder_);
    session.push(1, "Hello there. ");
    session.push(1, "How are you?");
    session.flush(1);
    ASSERT_TRUE(recorder_.wait_end(1));
    auto got = recorder_.get(1);
    ASSERT_EQ(got.errors.size(), 1u);
    EXPECT_EQ(got.errors[0].first, VOX_ERR_UNAVAILABLE);
    EXPECT_EQ(got.done, 0);
    // Whether the first chunk is read before the failed send notices the drop is a race: a prefix either way.
    ASSERT_LE(got.samples.size(), 13u * 160u);
    EXPECT_EQ(got.samples, expected(0, got.samples.size()));
}

TEST_F(ElevenLabs, ErrorMessageOnTheSocketIsMapped) {
    server_.set_script(script(0, 0, "", false, "invalid_api_key"));
    Session session(*tts_, recorder_);
    session.push(1, "Hello.");
    session.flush(1);
    ASSERT_TRUE(recorder_.wait_end(1));
    auto got = recorder_.get(1);
    ASSERT_EQ(got.errors.size(), 1u);
    EXPECT_EQ(got.errors[0].first, VOX_ERR_AUTH);
    EXPECT_NE(got.errors[0].second.find("invalid_api_key"), std::string::npos);
}

TEST_F(ElevenLabs, CloseWithQuotaReasonIsRateLimited) {
    server_.set_script(script(0, 0, "", false, "", "quota_exceeded"));
    Session session(*tts_, recorder_);
    session.push(1, "Hello.");
    session.flush(1);
    ASSERT_TRUE(recorder_.wait_end(1));
    auto got = recorder_.get(1);
    ASSERT_EQ(got.errors.size(), 1u);
    EXPECT_EQ(got.errors[0].first, VOX_ERR_RATE_LIMITED);
    EXPECT_EQ(got.done, 0);
}

TEST_F(ElevenLabs, FlushWithoutTextIsDoneWithoutConnecting) {
    Session session(*tts_, recorder_);
    session.flush(7);
    ASSERT_TRUE(recorder_.wait_end(7));
    EXPECT_EQ(recorder_.get(7).done, 1);
    EXPECT_TRUE(recorder_.get(7).samples.empty());
    EXPECT_EQ(server_.record().handshakes, 0);
}

TEST_F(ElevenLabs, SessionSettingsChooseVoiceAndModel) {
    Session session(*tts_, recorder_, R"({"voice": "21m00Tcm4TlvDq8ikWAM", "model_id": "eleven_turbo_v2_5",
                                          "stability": 0.3})");
    session.push(1, "Hi.");
    session.flush(1);
    ASSERT_TRUE(recorder_.wait_end(1));
    EXPECT_EQ(recorder_.get(1).done, 1);
    auto record = server_.record();
    ASSERT_FALSE(record.paths.empty());
    EXPECT_EQ(
        record.paths[0].rfind("/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/stream-input?model_id=eleven_turbo_v2_5", 0),
        0u);
    EXPECT_DOUBLE_EQ(record.openings.at(0)["voice_settings"]["stability"].get<double>(), 0.3);
}

TEST(ElevenLabsConfig, RefusesTheCloudServiceWithoutAKey) {
    ::unsetenv("ELEVENLABS_API_KEY");
    HostServices host;
    RegistryOptions options;
    options.settings_for = [](const std::string&) { return nlohmann::json{{"api_key", ""}}; };
    PluginRegistry registry(host, std::move(options));
    EXPECT_FALSE(PluginLoader(registry).load_file(VOX_TEST_ELEVENLABS_PLUGIN));
    ASSERT_EQ(registry.refused().size(), 1u);
    EXPECT_NE(registry.refused()[0].reason.find("ELEVENLABS_API_KEY"), std::string::npos);
}

TEST_F(ElevenLabs, DescribeListsTheAccountVoices) {
    auto capabilities = tts_->describe();
    ASSERT_TRUE(capabilities["voices"].is_array());
    ASSERT_EQ(capabilities["voices"].size(), 2u);
    EXPECT_EQ(capabilities["voices"][0]["id"], "v-custom-1");
    // The labels describe the voice; a "language" would wrongly limit the multilingual models.
    EXPECT_EQ(capabilities["voices"][0]["labels"]["language"], "de");
    EXPECT_FALSE(capabilities["voices"][0].contains("language"));
    EXPECT_EQ(capabilities["voices"][1]["name"], "Rachel");
    EXPECT_EQ(capabilities["sample_rates"], nlohmann::json({16000}));
    tts_->describe();
    EXPECT_EQ(server_.record().voices_requests, 1);  // cached
    // The static capabilities name premade voices.
    EXPECT_GE(tts_->capabilities["voices"].size(), 3u);
}

TEST_F(ElevenLabs, TtsClientGetsAudioWordsAndDone) {
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t frames = 0;
    std::vector<std::string> words;
    bool done = false;
    std::string error;
    TtsClient client(*tts_,
                     {.on_audio =
                          [&](std::uint64_t, const audio::AudioView& view) {
                              std::lock_guard lock(mutex);
                              frames += view.frames();
                          },
                      .on_word =
                          [&](std::uint64_t, const auto& word, auto...) {
                              std::lock_guard lock(mutex);
                              words.emplace_back(word);
                          },
                      .on_done =
                          [&](std::uint64_t) {
                              std::lock_guard lock(mutex);
                              done = true;
                              changed.notify_all();
                          },
                      .on_error =
                          [&](std::uint64_t, const ProviderError& e) {
                              std::lock_guard lock(mutex);
                              error = e.what();
                              changed.notify_all();
                          }},
                     {.output_sample_rate = 16000});
    client.push_text(1, "Thank you for calling.");
    client.flush(1);
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return done || !error.empty(); }));
    ASSERT_TRUE(error.empty()) << error;
    EXPECT_EQ(frames, 23u * 160u);
    EXPECT_EQ(words.size(), 4u);
}

}  // namespace
}  // namespace vox::test
