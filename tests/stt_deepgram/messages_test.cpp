// The plugin's reading of Deepgram's messages, directly: a Results message as
// Deepgram documents it, close frames with Deepgram's payloads, handshake
// statuses.
#include "messages.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vox::deepgram {
namespace {

TEST(DeepgramMessages, ReadsAResultsMessage) {
    auto result = parse_result(R"({"type":"Results","channel_index":[0,1],"duration":1.98,"start":5.99,
        "is_final":true,"speech_final":true,"channel":{"alternatives":[{"transcript":"Tell me more about this.",
        "confidence":0.99964225,"words":[{"word":"tell","start":6.07,"end":6.35,"confidence":0.99,
        "punctuated_word":"Tell"}]}]},"metadata":{"request_id":"52cc0efe","model_info":{"name":"2-general-nova",
        "version":"2024-01-18.26916","arch":"nova-2"},"model_uuid":"c0d1a568"},"from_finalize":false})");
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->transcript, "Tell me more about this.");
    EXPECT_TRUE(result->is_final);
    EXPECT_TRUE(result->speech_final);
    EXPECT_FALSE(result->from_finalize);
    EXPECT_DOUBLE_EQ(result->start_s, 5.99);
    EXPECT_DOUBLE_EQ(result->duration_s, 1.98);
    EXPECT_NEAR(result->confidence, 0.9996, 1e-3);
}

TEST(DeepgramMessages, IgnoresOtherMessages) {
    EXPECT_FALSE(parse_result(R"({"type":"Metadata","request_id":"x","duration":0.0,"channels":0})"));
    EXPECT_FALSE(parse_result(R"({"type":"UtteranceEnd","channel":[0,1],"last_word_end":2.4})"));
    EXPECT_FALSE(parse_result("not json"));
}

std::string close_payload(int code, const std::string& reason) {
    return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)} + reason;
}

TEST(DeepgramMessages, MapsCloseFrames) {
    auto data = parse_close(close_payload(1008, "DATA-0000"));
    EXPECT_EQ(data.code, 1008);
    EXPECT_FALSE(data.transient);
    EXPECT_EQ(data.status, VOX_ERR_INVALID_ARGUMENT);
    EXPECT_NE(data.message.find("could not decode the audio"), std::string::npos);
    auto idle = parse_close(close_payload(1011, "NET-0001"));
    EXPECT_TRUE(idle.transient);
    EXPECT_NE(idle.message.find("no audio"), std::string::npos);
    EXPECT_TRUE(parse_close(close_payload(1011, "")).transient);
    EXPECT_FALSE(parse_close(close_payload(1008, "")).transient);
    EXPECT_EQ(parse_close("").code, 1005);
}

TEST(DeepgramMessages, MapsHandshakeStatuses) {
    EXPECT_EQ(classify_handshake(401, "Unauthorized", "").status, VOX_ERR_AUTH);
    EXPECT_EQ(classify_handshake(429, "", "").status, VOX_ERR_RATE_LIMITED);
    EXPECT_EQ(classify_handshake(400, "", "bad language").status, VOX_ERR_INVALID_ARGUMENT);
    auto server = classify_handshake(502, "Bad Gateway", "");
    EXPECT_EQ(server.status, VOX_ERR_UNAVAILABLE);
    EXPECT_TRUE(server.transient);
    EXPECT_FALSE(classify_handshake(401, "", "").transient);
}

}  // namespace
}  // namespace vox::deepgram
