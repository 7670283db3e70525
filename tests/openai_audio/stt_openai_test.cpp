// stt.openai through the raw ABI against the local audio server: one
// transcription request per flushed turn, the WAV it sends, and the failure
// handling (auth, rate limits, server errors, timeouts, cancel).
#include "plugin_fixture.hpp"

namespace vox::test {
namespace {

using Script = AudioTestServer::Script;
using SttOpenAi = OpenAiAudioPlugin;

TEST_F(SttOpenAi, DeclaresItsRatesAndNoPartials) {
    EXPECT_EQ(stt_->kind, ProviderKind::stt);
    EXPECT_EQ(stt_->plugin->name, "openai_audio");
    EXPECT_EQ(stt_->capabilities.at("sample_rates"), nlohmann::json({8000, 16000, 24000, 48000}));
    EXPECT_EQ(stt_->capabilities.at("partials"), false);
    EXPECT_TRUE(stt_->settings_schema.at("properties").contains("language"));
}

TEST_F(SttOpenAi, AFlushedTurnIsSentAsAWavOfThePushedAudioAndGivesOneFinal) {
    SttRecorder out;
    RawSttSession session(*stt_, 16000, out);
    ASSERT_EQ(session.open_status(), VOX_OK) << session.open_error();
    auto audio = test_audio(16000 * 3 / 5);  // 600 ms, pushed in 20 ms chunks
    for (std::size_t at = 0; at < audio.size(); at += 320)
        ASSERT_EQ(session.push({audio.begin() + static_cast<std::ptrdiff_t>(at),
                                audio.begin() + static_cast<std::ptrdiff_t>(std::min(at + 320, audio.size()))}),
                  VOX_OK);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(out.wait_events(1));
    ASSERT_TRUE(out.errors.empty()) << out.errors[0].message;
    ASSERT_EQ(out.transcripts.size(), 1u);
    EXPECT_EQ(out.transcripts[0].text, "hello world");
    EXPECT_TRUE(out.transcripts[0].is_final);
    EXPECT_EQ(out.transcripts[0].start_ms, 0u);
    EXPECT_EQ(out.transcripts[0].end_ms, 600u);

    auto received = server_.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].method, "POST");
    EXPECT_EQ(received[0].path, "/v1/audio/transcriptions");
    EXPECT_EQ(received[0].authorization, "Bearer " + server_.api_key());
    EXPECT_EQ(received[0].fields.at("model"), "whisper-1");
    EXPECT_EQ(received[0].fields.at("response_format"), "json");
    EXPECT_EQ(received[0].fields.count("language"), 0u);
    ASSERT_TRUE(received[0].has_file);
    ASSERT_TRUE(received[0].wav_valid);
    EXPECT_EQ(received[0].wav_sample_rate, 16000u);
    EXPECT_EQ(received[0].wav_samples, audio);
}

TEST_F(SttOpenAi, EachTurnIsItsOwnRequestAndSessionSettingsAreSent) {
    SttRecorder out;
    RawSttSession session(*stt_, 8000, out, R"({"language":"de","model":"whisper-large-v3"})");
    ASSERT_EQ(session.open_status(), VOX_OK) << session.open_error();
    server_.queue_scripts({Script{.text = " Guten Tag\n"}, Script{.text = "Auf Wiedersehen"}});
    auto first = test_audio(4000, 1);
    auto second = test_audio(2400, 2);
    ASSERT_EQ(session.push(first), VOX_OK);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_EQ(session.push(second), VOX_OK);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(out.wait_events(2));
    ASSERT_EQ(out.transcripts.size(), 2u);
    EXPECT_EQ(out.transcripts[0].text, "Guten Tag");  // trimmed, as whisper.cpp pads it
    EXPECT_EQ(out.transcripts[1].text, "Auf Wiedersehen");
    EXPECT_EQ(out.transcripts[1].start_ms, 500u);
    EXPECT_EQ(out.transcripts[1].end_ms, 800u);
    auto received = server_.received();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].fields.at("language"), "de");
    EXPECT_EQ(received[0].fields.at("model"), "whisper-large-v3");
    EXPECT_EQ(received[0].wav_sample_rate, 8000u);
    EXPECT_EQ(received[0].wav_samples, first);
    EXPECT_EQ(received[1].wav_samples, second);
}

TEST_F(SttOpenAi, SilenceGivesAnEmptyFinal) {
    server_.set_script({.text = ""});
    SttRecorder out;
    RawSttSession session(*stt_, 48000, out);
    ASSERT_EQ(session.push(std::vector<std::int16_t>(4800, 0)), VOX_OK);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(out.wait_events(1));
    ASSERT_EQ(out.transcripts.size(), 1u);
    EXPECT_EQ(out.transcripts[0].text, "");
    EXPECT_TRUE(out.transcripts[0].is_final);
}

TEST_F(SttOpenAi, AnUnsupportedRateIsRefusedAtOpen) {
    SttRecorder out;
    RawSttSession session(*stt_, 11025, out);
    EXPECT_EQ(session.open_status(), VOX_ERR_UNSUPPORTED);
    EXPECT_NE(session.open_error().find("11025"), std::string::npos) << session.open_error();
}

TEST_F(SttOpenAi, AWrongKeyIsAnAuthErrorThatNeverShowsTheKey) {
    const std::string key = "sk-wrong-key-abcdefghijklmnop";
    load({{"api_key", key}});
    SttRecorder out;
    RawSttSession session(*stt_, 16000, out);
    ASSERT_EQ(session.push(test_audio(1600)), VOX_OK);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(out.wait_events(1));
    ASSERT_EQ(out.errors.size(), 1u);
    EXPECT_EQ(out.errors[0].code, VOX_ERR_AUTH);
    EXPECT_NE(out.errors[0].message.find("401"), std::string::npos) << out.errors[0].message;
    EXPECT_EQ(out.errors[0].message.find(key), std::string::npos) << out.errors[0].message;
    EXPECT_EQ(server_.received().at(0).authorization, "Bearer " + key);
    EXPECT_EQ(server_.received().size(), 1u);  // not retried
}

TEST_F(SttOpenAi, AServerErrorIsRetriedAndThenSucceeds) {
    server_.queue_scripts({Script{.status = 500}, Script{.status = 503}});
    SttRecorder out;
    RawSttSession session(*stt_, 16000, out);
    ASSERT_EQ(session.push(test_audio(1600)), VOX_OK);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(out.wait_events(1));
    ASSERT_TRUE(out.errors.empty()) << out.errors[0].message;
    EXPECT_EQ(out.transcripts.at(0).text, "hello world");
    EXPECT_EQ(server_.received().size(), 3u);
}

TEST_F(SttOpenAi, ServerErrorsBeyondTheRetriesAreUnavailable) {
    load({{"retries", 1}});
    server_.set_script({.status = 502, .error_message = "bad gateway upstream"});
    SttRecorder out;
    RawSttSession session(*stt_, 16000, out);
    ASSERT_EQ(session.push(test_audio(1600)), VOX_OK);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(out.wait_events(1));
    ASSERT_EQ(out.errors.size(), 1u);
    EXPECT_EQ(out.errors[0].code, VOX_ERR_UNAVAILABLE);
    EXPECT_NE(out.errors[0].message.find("bad gateway upstream"), std::string::npos) << out.errors[0].message;
    EXPECT_EQ(server_.received().size(), 2u);
}

TEST_F(SttOpenAi, RateLimitedIsRetriedAfterRetryAfter) {
    server_.queue_scripts({Script{.status = 429, .error_message = "Rate limit reached", .retry_after = "1"}});
    SttRecorder out;
    RawSttSession session(*stt_, 16000, out);
    ASSERT_EQ(session.push(test_audio(1600)), VOX_OK);
    auto start = Clock::now();
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(out.wait_events(1));
    ASSERT_TRUE(out.errors.empty()) << out.errors[0].message;
    EXPECT_EQ(out.transcripts.at(0).text, "hello world");
    EXPECT_EQ(server_.received().size(), 2u);
    EXPECT_GE(Clock::now() - start, 900ms);  // Retry-After: 1 was honoured, not the 20 ms backoff
}

TEST_F(SttOpenAi, RateLimitedWithALongRetryAfterFailsAtOnce) {
    server_.set_script({.status = 429, .error_message = "Rate limit reached", .retry_after = "60"});
    SttRecorder out;
    RawSttSession session(*stt_, 16000, out);
    ASSERT_EQ(session.push(test_audio(1600)), VOX_OK);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(out.wait_events(1, 5s));
    ASSERT_EQ(out.errors.size(), 1u);
    EXPECT_EQ(out.errors[0].code, VOX_ERR_RATE_LIMITED);
    EXPECT_NE(out.errors[0].message.find("Rate limit reached"), std::string::npos) << out.errors[0].message;
    EXPECT_EQ(server_.received().size(), 1u);
}

TEST_F(SttOpenAi, ASlowFirstByteIsATimeoutAndIsNotRetried) {
    load({{"first_byte_timeout_ms", 200}});
    server_.set_script({.first_byte_delay = 3s});
    SttRecorder out;
    RawSttSession session(*stt_, 16000, out);
    ASSERT_EQ(session.push(test_audio(1600)), VOX_OK);
    auto start = Clock::now();
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(out.wait_events(1));
    ASSERT_EQ(out.errors.size(), 1u);
    EXPECT_EQ(out.errors[0].code, VOX_ERR_TIMEOUT);
    EXPECT_NE(out.errors[0].message.find("first_byte_timeout_ms"), std::string::npos) << out.errors[0].message;
    EXPECT_LT(Clock::now() - start, 2s);
    EXPECT_EQ(server_.received().size(), 1u);
}

TEST_F(SttOpenAi, AnUnreachableServerIsUnavailableAfterTheRetries) {
    load({{"base_url", "http://127.0.0.1:1/v1"}});
    SttRecorder out;
    RawSttSession session(*stt_, 16000, out);
    ASSERT_EQ(session.push(test_audio(1600)), VOX_OK);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(out.wait_events(1));
    ASSERT_EQ(out.errors.size(), 1u);
    EXPECT_EQ(out.errors[0].code, VOX_ERR_UNAVAILABLE);
    EXPECT_NE(out.errors[0].message.find("cannot reach http://127.0.0.1:1/v1"), std::string::npos)
        << out.errors[0].message;
}

TEST_F(SttOpenAi, CancelDropsTheTurnInFlightAndTheNextTurnStillWorks) {
    server_.queue_scripts({Script{.first_byte_delay = 2s, .text = "the cancelled turn"}, Script{.text = "next turn"}});
    SttRecorder out;
    RawSttSession session(*stt_, 16000, out);
    ASSERT_EQ(session.push(test_audio(1600, 1)), VOX_OK);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(server_.wait_requests(1, 5s));
    ASSERT_EQ(session.push(test_audio(800, 2)), VOX_OK);  // buffered, dropped by the cancel too
    auto cancelled_at = Clock::now();
    session.cancel();
    ASSERT_EQ(session.push(test_audio(1600, 3)), VOX_OK);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(out.wait_events(1));
    // The aborted request did not hold the next turn back for its 2 s.
    EXPECT_LT(Clock::now() - cancelled_at, 1500ms);
    ASSERT_TRUE(out.errors.empty()) << out.errors[0].message;
    ASSERT_EQ(out.transcripts.size(), 1u);
    EXPECT_EQ(out.transcripts[0].text, "next turn");
    auto received = server_.received();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[1].wav_samples, test_audio(1600, 3));
}

TEST_F(SttOpenAi, ClosingWithATurnInFlightEndsPromptlyWithoutCallbacks) {
    server_.set_script({.first_byte_delay = 3s});
    SttRecorder out;
    {
        RawSttSession session(*stt_, 16000, out);
        ASSERT_EQ(session.push(test_audio(1600)), VOX_OK);
        ASSERT_EQ(session.flush(), VOX_OK);
        ASSERT_TRUE(server_.wait_requests(1, 5s));
        auto start = Clock::now();
        session.close();
        EXPECT_LT(Clock::now() - start, 1s);
    }
    std::lock_guard lock(out.mutex);
    EXPECT_TRUE(out.transcripts.empty());
    EXPECT_TRUE(out.errors.empty());
}

}  // namespace
}  // namespace vox::test
