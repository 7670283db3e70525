// stt.deepgram when things go wrong: refused handshakes (401, 429, 5xx with
// retries), a connection dropped mid-stream (reconnect once, re-send the
// audio not yet finalised), close frames with Deepgram's error payloads, a
// server gone silent, and loading without a key.
#include "deepgram_test_support.hpp"

#include <cstdlib>

namespace vox::test {
namespace {

TEST_F(DeepgramTest, HandshakeRefusedWith401IsAnAuthErrorWithoutTheKey) {
    server_.set_script({.handshake_status = 401});
    Delivered delivered;
    RawSession session(*provider_, delivered);
    EXPECT_EQ(session.status(), VOX_ERR_AUTH) << session.error_message();
    EXPECT_NE(session.error_message().find("401"), std::string::npos) << session.error_message();
    EXPECT_EQ(session.error_message().find(server_.api_key()), std::string::npos) << session.error_message();
    EXPECT_EQ(server_.handshakes(), 1) << "an auth refusal is not retried";
}

TEST_F(DeepgramTest, WrongKeyIsRefusedByTheServer) {
    provider_ = load({{"api_key", "dg-wrong-key-000"}});
    ASSERT_NE(provider_, nullptr) << refusal_;
    Delivered delivered;
    RawSession session(*provider_, delivered);
    EXPECT_EQ(session.status(), VOX_ERR_AUTH) << session.error_message();
    EXPECT_EQ(session.error_message().find("dg-wrong-key-000"), std::string::npos) << session.error_message();
}

TEST_F(DeepgramTest, HandshakeRefusedWith429IsRateLimited) {
    server_.set_script({.handshake_status = 429});
    Delivered delivered;
    RawSession session(*provider_, delivered);
    EXPECT_EQ(session.status(), VOX_ERR_RATE_LIMITED) << session.error_message();
    EXPECT_NE(session.error_message().find("429"), std::string::npos) << session.error_message();
}

TEST_F(DeepgramTest, ServerErrorsAtTheHandshakeAreRetried) {
    server_.set_script({.handshake_status = 500, .handshake_failures = 2});
    provider_ = load({{"retries", 2}});
    ASSERT_NE(provider_, nullptr) << refusal_;
    Delivered delivered;
    RawSession session(*provider_, delivered);
    EXPECT_EQ(session.status(), VOX_OK) << session.error_message();
    EXPECT_EQ(server_.handshakes(), 3);
}

TEST_F(DeepgramTest, PersistentServerErrorsAreUnavailableAfterTheRetries) {
    server_.set_script({.handshake_status = 503});
    provider_ = load({{"retries", 1}});
    ASSERT_NE(provider_, nullptr) << refusal_;
    Delivered delivered;
    RawSession session(*provider_, delivered);
    EXPECT_EQ(session.status(), VOX_ERR_UNAVAILABLE) << session.error_message();
    EXPECT_NE(session.error_message().find("503"), std::string::npos) << session.error_message();
    EXPECT_EQ(server_.handshakes(), 2);
}

TEST_F(DeepgramTest, DroppedConnectionIsReconnectedAndTheAudioResent) {
    server_.set_script({.drop_after_bytes = 3200});  // 100 ms at 16 kHz
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    std::size_t bytes = session.push(500);
    // Nothing was finalised before the drop: the second connection gets it all.
    ASSERT_TRUE(server_.wait_for([&](const auto& c) { return c.size() == 2 && c[1].audio_bytes == bytes; }))
        << "connections: " << server_.connections().size();
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return !d.finals.empty() || !d.errors.empty(); }));
    std::lock_guard lock(delivered.mutex);
    EXPECT_TRUE(delivered.errors.empty()) << delivered.errors[0].second;
    ASSERT_EQ(delivered.finals.size(), 1u);
    EXPECT_EQ(delivered.finals[0].text, "Book a table for two.");
    EXPECT_EQ(delivered.finals[0].end_ms, 500u) << "times stay on the session's timeline";
}

TEST_F(DeepgramTest, ConnectionDroppedAgainAfterReconnectingIsAnError) {
    server_.set_script({.drop_after_bytes = 3200, .drop_every_connection = true});
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    session.push(300);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return !d.errors.empty(); }));
    std::lock_guard lock(delivered.mutex);
    ASSERT_EQ(delivered.errors.size(), 1u);
    EXPECT_EQ(delivered.errors[0].first, VOX_ERR_UNAVAILABLE);
    EXPECT_NE(delivered.errors[0].second.find("lost"), std::string::npos) << delivered.errors[0].second;
    EXPECT_EQ(server_.connections().size(), 2u);
}

TEST_F(DeepgramTest, ReconnectThatFailsIsAnUnavailableError) {
    // The first connection drops; every later handshake is refused.
    server_.set_script({.drop_after_bytes = 3200});
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    auto script = FakeDeepgramServer::Script{.handshake_status = 500, .drop_after_bytes = 3200};
    server_.set_script(script);
    session.push(300);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return !d.errors.empty(); }));
    std::lock_guard lock(delivered.mutex);
    EXPECT_EQ(delivered.errors[0].first, VOX_ERR_UNAVAILABLE);
    EXPECT_NE(delivered.errors[0].second.find("reconnecting failed"), std::string::npos) << delivered.errors[0].second;
    EXPECT_EQ(delivered.errors[0].second.find(server_.api_key()), std::string::npos);
}

TEST_F(DeepgramTest, UndecodableAudioCloseIsReportedWithoutReconnecting) {
    server_.set_script({.close_after_bytes = 3200, .close_code = 1008, .close_reason = "DATA-0000"});
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    session.push(300);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return !d.errors.empty(); }));
    {
        std::lock_guard lock(delivered.mutex);
        EXPECT_EQ(delivered.errors[0].first, VOX_ERR_INVALID_ARGUMENT);
        EXPECT_NE(delivered.errors[0].second.find("could not decode the audio"), std::string::npos)
            << delivered.errors[0].second;
        EXPECT_NE(delivered.errors[0].second.find("DATA-0000"), std::string::npos);
    }
    EXPECT_EQ(server_.connections().size(), 1u);
    // The session is unusable now, and says why.
    EXPECT_EQ(session.flush(), VOX_ERR_UNAVAILABLE);
    EXPECT_NE(session.error_message().find("DATA-0000"), std::string::npos) << session.error_message();
}

TEST_F(DeepgramTest, ServerErrorCloseIsReconnected) {
    server_.set_script({.close_after_bytes = 3200, .close_code = 1011, .close_reason = "NET-0001"});
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    std::size_t bytes = session.push(400);
    ASSERT_TRUE(server_.wait_for([&](const auto& c) { return c.size() == 2 && c[1].audio_bytes == bytes; }));
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return !d.finals.empty() || !d.errors.empty(); }));
    std::lock_guard lock(delivered.mutex);
    EXPECT_TRUE(delivered.errors.empty());
    ASSERT_EQ(delivered.finals.size(), 1u);
    EXPECT_EQ(delivered.finals[0].text, "Book a table for two.");
}

TEST_F(DeepgramTest, SilentServerIsDetectedAndReported) {
    server_.set_script({.silent = true});
    provider_ = load({{"response_timeout_ms", 300}, {"finalize_timeout_ms", 5000}});
    ASSERT_NE(provider_, nullptr) << refusal_;
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    session.push(200);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return !d.errors.empty(); }, 10s));
    std::lock_guard lock(delivered.mutex);
    EXPECT_EQ(delivered.errors[0].first, VOX_ERR_UNAVAILABLE);
    EXPECT_NE(delivered.errors[0].second.find("sent nothing"), std::string::npos) << delivered.errors[0].second;
    EXPECT_EQ(server_.connections().size(), 2u) << "one reconnect, then the error";
}

TEST_F(DeepgramTest, RefusesToLoadWithoutAKeyForTheCloudService) {
    ::unsetenv("DEEPGRAM_API_KEY");
    settings_ = nlohmann::json::object();
    EXPECT_EQ(load({{"base_url", "wss://api.deepgram.com/v1/listen"}, {"api_key", ""}}), nullptr);
    EXPECT_NE(refusal_.find("DEEPGRAM_API_KEY"), std::string::npos) << refusal_;
    // A local ws:// server needs none.
    EXPECT_NE(load({{"api_key", ""}}), nullptr) << refusal_;
    // The key may come from the environment.
    ::setenv("DEEPGRAM_API_KEY", "dg-from-the-environment", 1);
    EXPECT_NE(load({{"base_url", "wss://api.deepgram.com/v1/listen"}, {"api_key", ""}}), nullptr) << refusal_;
    ::unsetenv("DEEPGRAM_API_KEY");
}

TEST_F(DeepgramTest, RefusesBadSettings) {
    EXPECT_EQ(load({{"keepalive_ms", "often"}}), nullptr);
    EXPECT_NE(refusal_.find("keepalive_ms"), std::string::npos) << refusal_;
    EXPECT_EQ(load({{"base_url", "http://127.0.0.1:1/v1/listen"}}), nullptr);
    EXPECT_NE(refusal_.find("ws://"), std::string::npos) << refusal_;
    ASSERT_NE(load(), nullptr) << refusal_;
    Delivered delivered;
    RawSession session(*registry_->find("stt.deepgram"), delivered, 16000, R"({"language":"en&model=x"})");
    EXPECT_EQ(session.status(), VOX_ERR_INVALID_ARGUMENT) << session.error_message();
    EXPECT_EQ(server_.handshakes(), 0);
}

}  // namespace
}  // namespace vox::test
