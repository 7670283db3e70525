// tts.openai through the raw ABI against the local audio server: one speech
// request per sentence, PCM streamed as it arrives, on_done after flush, and
// the failure handling (auth, retries, timeouts, a dropped stream, cancel).
#include "plugin_fixture.hpp"

namespace vox::test {
namespace {

using Script = AudioTestServer::Script;
using TtsOpenAi = OpenAiAudioPlugin;

std::vector<std::int16_t> repeated(const std::vector<std::int16_t>& piece, int times) {
    std::vector<std::int16_t> all;
    for (int i = 0; i < times; ++i) all.insert(all.end(), piece.begin(), piece.end());
    return all;
}

TEST_F(TtsOpenAi, Declares24kHzAndOpenAisVoices) {
    EXPECT_EQ(tts_->kind, ProviderKind::tts);
    EXPECT_EQ(tts_->capabilities.at("sample_rates"), nlohmann::json({24000}));
    // Voices as the ABI describes them ({"id", "name"}), OpenAI's as suggestions: compatible servers have their own.
    std::vector<std::string> ids;
    for (const auto& voice : tts_->capabilities.at("voices")) ids.push_back(voice.at("id"));
    EXPECT_NE(std::find(ids.begin(), ids.end(), "alloy"), ids.end());
    EXPECT_NE(std::find(ids.begin(), ids.end(), "nova"), ids.end());
    EXPECT_EQ(tts_->capabilities.at("default_voice"), "alloy");
    EXPECT_EQ(tts_->capabilities.at("custom_voices"), true);
    EXPECT_TRUE(tts_->settings_schema.at("properties").contains("speed"));
}

TEST_F(TtsOpenAi, SpeaksSentenceBySentenceThenSaysDone) {
    TtsRecorder out;
    RawTtsSession session(*tts_, out);
    ASSERT_EQ(session.open_status(), VOX_OK);
    ASSERT_EQ(session.push_text(7, "Hello there. How are"), VOX_OK);
    ASSERT_EQ(session.push_text(7, " you today? I am"), VOX_OK);
    ASSERT_EQ(session.push_text(7, " fine"), VOX_OK);
    ASSERT_EQ(session.flush(7), VOX_OK);
    ASSERT_TRUE(out.wait_end(7));
    auto result = out.snapshot(7);
    ASSERT_TRUE(result.errors.empty()) << result.errors[0].message;
    EXPECT_EQ(result.done, 1);
    EXPECT_EQ(result.sample_rate, 24000u);
    // Every byte arrived, in order, although the server split samples across pieces.
    EXPECT_EQ(result.samples, repeated(expected_speech(4800), 3));

    auto received = server_.received();
    ASSERT_EQ(received.size(), 3u);
    std::vector<std::string> inputs;
    for (const auto& request : received) {
        EXPECT_EQ(request.path, "/v1/audio/speech");
        EXPECT_EQ(request.authorization, "Bearer " + server_.api_key());
        EXPECT_EQ(request.json.at("model"), "tts-1");
        EXPECT_EQ(request.json.at("voice"), "alloy");
        EXPECT_EQ(request.json.at("response_format"), "pcm");
        EXPECT_FALSE(request.json.contains("speed"));
        inputs.push_back(request.json.at("input"));
    }
    EXPECT_EQ(inputs, (std::vector<std::string>{"Hello there.", "How are you today?", "I am fine"}));
}

TEST_F(TtsOpenAi, TheFirstAudioComesBeforeTheAnswerEnds) {
    server_.set_script({.samples = 24000, .chunks = 5, .chunk_delay = 120ms});
    TtsRecorder out;
    RawTtsSession session(*tts_, out);
    ASSERT_EQ(session.push_text(1, "One long sentence to stream."), VOX_OK);
    ASSERT_EQ(session.flush(1), VOX_OK);
    ASSERT_TRUE(out.wait_end(1));
    auto result = out.snapshot(1);
    ASSERT_EQ(result.done, 1);
    EXPECT_GE(result.audio_calls, 5u);
    EXPECT_GE(result.done_at - result.first_audio, 250ms);  // about 480 ms when streamed; ~0 when buffered
    EXPECT_EQ(result.samples, expected_speech(24000));
}

TEST_F(TtsOpenAi, VoiceSpeedAndModelComeFromTheSessionSettings) {
    TtsRecorder out;
    RawTtsSession session(*tts_, out, R"({"voice":"nova","speed":1.25,"model":"tts-1-hd"})");
    ASSERT_EQ(session.open_status(), VOX_OK);
    ASSERT_EQ(session.push_text(1, "Hi."), VOX_OK);
    ASSERT_EQ(session.flush(1), VOX_OK);
    ASSERT_TRUE(out.wait_end(1));
    auto received = server_.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].json.at("voice"), "nova");
    EXPECT_EQ(received[0].json.at("speed"), 1.25);
    EXPECT_EQ(received[0].json.at("model"), "tts-1-hd");
}

TEST_F(TtsOpenAi, BadSessionSettingsAreRefusedAtOpen) {
    TtsRecorder out;
    EXPECT_EQ(RawTtsSession(*tts_, out, R"({"speed":9})").open_status(), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(RawTtsSession(*tts_, out, R"({"volume":1})").open_status(), VOX_ERR_INVALID_ARGUMENT);
}

TEST_F(TtsOpenAi, AWrongKeyIsAnAuthErrorAndNoDone) {
    const std::string key = "sk-wrong-key-abcdefghijklmnop";
    load({{"api_key", key}});
    TtsRecorder out;
    RawTtsSession session(*tts_, out);
    ASSERT_EQ(session.push_text(1, "Hello. Again."), VOX_OK);
    ASSERT_EQ(session.flush(1), VOX_OK);
    ASSERT_TRUE(out.wait_end(1));
    auto result = out.snapshot(1);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].code, VOX_ERR_AUTH);
    EXPECT_EQ(result.errors[0].message.find(key), std::string::npos) << result.errors[0].message;
    EXPECT_EQ(result.done, 0);
    EXPECT_TRUE(result.samples.empty());
    // The failed context's second sentence was dropped, not sent.
    EXPECT_EQ(server_.received().size(), 1u);
}

TEST_F(TtsOpenAi, ServerErrorsAndRateLimitsAreRetriedBeforeAnyAudio) {
    server_.queue_scripts({Script{.status = 500}, Script{.status = 429, .retry_after = "0"}});
    TtsRecorder out;
    RawTtsSession session(*tts_, out);
    ASSERT_EQ(session.push_text(1, "Retry me."), VOX_OK);
    ASSERT_EQ(session.flush(1), VOX_OK);
    ASSERT_TRUE(out.wait_end(1));
    auto result = out.snapshot(1);
    ASSERT_TRUE(result.errors.empty()) << result.errors[0].message;
    EXPECT_EQ(result.done, 1);
    EXPECT_EQ(result.samples, expected_speech(4800));
    EXPECT_EQ(server_.received().size(), 3u);
}

TEST_F(TtsOpenAi, RateLimitedBeyondTheRetriesIsRateLimited) {
    load({{"retries", 0}});
    server_.set_script({.status = 429, .error_message = "Rate limit reached for tts-1"});
    TtsRecorder out;
    RawTtsSession session(*tts_, out);
    ASSERT_EQ(session.push_text(1, "Too many."), VOX_OK);
    ASSERT_EQ(session.flush(1), VOX_OK);
    ASSERT_TRUE(out.wait_end(1));
    auto result = out.snapshot(1);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].code, VOX_ERR_RATE_LIMITED);
    EXPECT_NE(result.errors[0].message.find("Rate limit reached for tts-1"), std::string::npos);
}

TEST_F(TtsOpenAi, ASlowFirstByteIsATimeout) {
    load({{"first_byte_timeout_ms", 200}});
    server_.set_script({.first_byte_delay = 3s});
    TtsRecorder out;
    RawTtsSession session(*tts_, out);
    ASSERT_EQ(session.push_text(1, "Anyone there?"), VOX_OK);
    ASSERT_EQ(session.flush(1), VOX_OK);
    ASSERT_TRUE(out.wait_end(1, 2s));
    auto result = out.snapshot(1);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].code, VOX_ERR_TIMEOUT);
    EXPECT_EQ(server_.received().size(), 1u);
}

TEST_F(TtsOpenAi, AStreamThatStallsIsATimeout) {
    load({{"read_timeout_ms", 200}});
    server_.set_script({.samples = 9600, .chunks = 3, .chunk_delay = 3s});
    TtsRecorder out;
    RawTtsSession session(*tts_, out);
    ASSERT_EQ(session.push_text(1, "This answer stalls."), VOX_OK);
    ASSERT_EQ(session.flush(1), VOX_OK);
    ASSERT_TRUE(out.wait_end(1, 2s));
    auto result = out.snapshot(1);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].code, VOX_ERR_TIMEOUT);
    EXPECT_NE(result.errors[0].message.find("read_timeout_ms"), std::string::npos) << result.errors[0].message;
    EXPECT_FALSE(result.samples.empty());
}

TEST_F(TtsOpenAi, AConnectionDroppedMidStreamIsUnavailableAndNotRetried) {
    server_.set_script({.samples = 9600, .chunks = 4, .chunk_delay = 20ms, .drop_after = 2});
    TtsRecorder out;
    RawTtsSession session(*tts_, out);
    ASSERT_EQ(session.push_text(1, "This answer breaks off."), VOX_OK);
    ASSERT_EQ(session.flush(1), VOX_OK);
    ASSERT_TRUE(out.wait_end(1));
    auto result = out.snapshot(1);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].code, VOX_ERR_UNAVAILABLE);
    EXPECT_NE(result.errors[0].message.find("dropped in the middle of the answer"), std::string::npos)
        << result.errors[0].message;
    EXPECT_EQ(result.done, 0);
    EXPECT_FALSE(result.samples.empty());  // what came before the drop was delivered
    EXPECT_LT(result.samples.size(), 9600u);
    EXPECT_EQ(server_.received().size(), 1u);  // audio had been delivered: a retry would repeat it
}

TEST_F(TtsOpenAi, CancelMidStreamStopsTheCallbacksAndTheRequest) {
    server_.queue_scripts({Script{.samples = 24000, .chunks = 10, .chunk_delay = 150ms}});
    TtsRecorder out;
    RawTtsSession session(*tts_, out);
    ASSERT_EQ(session.push_text(1, "A long answer the caller interrupts. And more of it."), VOX_OK);
    ASSERT_EQ(session.flush(1), VOX_OK);
    ASSERT_TRUE(out.wait([](auto& all) { return all[1].audio_calls > 0; }));
    auto cancelled_at = Clock::now();
    session.cancel(1);
    auto at_cancel = out.snapshot(1);
    // The next context runs on the same worker after the cancelled request, so
    // its end proves the cancelled one is over.
    ASSERT_EQ(session.push_text(2, "Next turn."), VOX_OK);
    ASSERT_EQ(session.flush(2), VOX_OK);
    ASSERT_TRUE(out.wait_end(2));
    EXPECT_LT(Clock::now() - cancelled_at, 1s);  // the 1.5 s stream was aborted, not read out
    auto cancelled = out.snapshot(1);
    EXPECT_EQ(cancelled.audio_calls, at_cancel.audio_calls);
    EXPECT_EQ(cancelled.samples.size(), at_cancel.samples.size());
    EXPECT_EQ(cancelled.done, 0);
    EXPECT_TRUE(cancelled.errors.empty());
    EXPECT_EQ(out.snapshot(2).done, 1);
    auto received = server_.received();
    ASSERT_EQ(received.size(), 2u);  // the cancelled context's second sentence was never sent
    EXPECT_EQ(received[1].json.at("input"), "Next turn.");
    // Text arriving late for a cancelled context is dropped.
    EXPECT_EQ(session.push_text(1, "Late text."), VOX_OK);
}

TEST_F(TtsOpenAi, ClosingMidStreamEndsPromptlyWithNoCallbackAfterwards) {
    server_.set_script({.samples = 24000, .chunks = 10, .chunk_delay = 150ms});
    TtsRecorder out;
    auto session = std::make_unique<RawTtsSession>(*tts_, out);
    ASSERT_EQ(session->push_text(1, "Going, going."), VOX_OK);
    ASSERT_EQ(session->flush(1), VOX_OK);
    ASSERT_TRUE(out.wait([](auto& all) { return all[1].audio_calls > 0; }));
    auto start = Clock::now();
    session->close();
    EXPECT_LT(Clock::now() - start, 1s);
    auto at_close = out.snapshot(1);
    session.reset();
    EXPECT_EQ(out.snapshot(1).audio_calls, at_close.audio_calls);
    EXPECT_EQ(at_close.done, 0);
}

}  // namespace
}  // namespace vox::test
