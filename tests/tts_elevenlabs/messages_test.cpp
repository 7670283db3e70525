// The plugin's message handling, directly: base64 audio, alignment into words
// across chunks, error mapping.
#include "messages.hpp"

#include <vox/sdk/error.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace vox::elevenlabs {
namespace {

ServerMessage chunk(const std::string& text, std::uint32_t step_ms) {
    ServerMessage message;
    for (std::size_t i = 0; i < text.size(); ++i) {
        message.chars.emplace_back(1, text[i]);
        message.char_start_ms.push_back(static_cast<std::uint32_t>(i) * step_ms);
        message.char_duration_ms.push_back(step_ms);
    }
    return message;
}

TEST(ElevenLabsMessages, DecodesAudioAndAlignment) {
    // 0x0001, 0xff7f little-endian: samples 256 and 32767... as bytes 00 01 ff 7f.
    auto message = parse_server_message(
        R"({"audio": "AAH/fw==", "isFinal": null,
            "normalizedAlignment": {"chars": ["h", "i"], "charStartTimesMs": [0, 5], "charsDurationsMs": [5, 5]},
            "alignment": {"chars": ["H", "i"], "charStartTimesMs": [0, 7], "charsDurationsMs": [7, 7]}})");
    EXPECT_EQ(message.audio, (std::vector<std::int16_t>{256, 32767}));
    EXPECT_EQ(message.chars, (std::vector<std::string>{"H", "i"}));  // the text as sent
    EXPECT_EQ(message.char_start_ms, (std::vector<std::uint32_t>{0, 7}));
    EXPECT_FALSE(message.is_final);
    EXPECT_TRUE(parse_server_message(R"({"audio": null, "isFinal": true})").is_final);
}

TEST(ElevenLabsMessages, RefusesBadAudio) {
    EXPECT_THROW(parse_server_message(R"({"audio": "A$$="})"), sdk::Error);
    EXPECT_THROW(parse_server_message(R"({"audio": "AAEC"})"), sdk::Error);  // three bytes: no whole sample
    EXPECT_THROW(parse_server_message("not json"), sdk::Error);
}

TEST(ElevenLabsMessages, ErrorsAreMapped) {
    auto quota = parse_server_message(R"({"message": "You have used your quota", "error": "quota_exceeded"})");
    ASSERT_TRUE(quota.error);
    EXPECT_EQ(quota.error->first, VOX_ERR_RATE_LIMITED);
    auto key = parse_server_message(R"({"message": "bad key", "error": "invalid_api_key", "code": 1008})");
    ASSERT_TRUE(key.error);
    EXPECT_EQ(key.error->first, VOX_ERR_AUTH);
    EXPECT_EQ(status_for_error("input_timeout_exceeded"), VOX_ERR_UNAVAILABLE);
}

TEST(ElevenLabsMessages, WordsSpanChunksAndGetAbsoluteTimes) {
    WordTracker tracker;
    auto first = tracker.add(chunk("Good mor", 10), 0);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].text, "Good");
    EXPECT_EQ(first[0].start_ms, 0u);
    EXPECT_EQ(first[0].end_ms, 40u);
    auto second = tracker.add(chunk("ning all", 10), 80);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].text, "morning");
    EXPECT_EQ(second[0].start_ms, 50u);
    EXPECT_EQ(second[0].end_ms, 120u);
    auto last = tracker.finish();
    ASSERT_TRUE(last);
    EXPECT_EQ(last->text, "all");
    EXPECT_EQ(last->start_ms, 130u);
    EXPECT_FALSE(tracker.finish());
}

TEST(ElevenLabsMessages, ClientMessagesFollowTheProtocol) {
    Config config;
    EXPECT_EQ(text_message("Hello"), R"({"text":"Hello "})");
    EXPECT_EQ(text_message("Hello "), R"({"text":"Hello "})");
    EXPECT_EQ(text_message("Hi.", true), R"({"flush":true,"text":"Hi. "})");
    EXPECT_EQ(end_of_input_message(), R"({"text":""})");
    EXPECT_TRUE(ends_sentence("Hello there. "));
    EXPECT_TRUE(ends_sentence("He said \"yes!\""));
    EXPECT_FALSE(ends_sentence("Hello there"));
    EXPECT_FALSE(ends_sentence("  "));
    config.api_key = "xi-secret-in-header-only";  // the key goes in the handshake header, never a message
    auto opening = nlohmann::json::parse(opening_message(config));
    EXPECT_EQ(opening["text"], " ");
    EXPECT_EQ(opening.dump().find(config.api_key), std::string::npos);
    auto body = nlohmann::json::parse(http_stream_body(config, "Hi."));
    EXPECT_EQ(body["text"], "Hi.");
    EXPECT_EQ(body["model_id"], "eleven_flash_v2_5");
    EXPECT_TRUE(body["voice_settings"].contains("similarity_boost"));
}

}  // namespace
}  // namespace vox::elevenlabs
