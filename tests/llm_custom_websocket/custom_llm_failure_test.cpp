// llm.custom_websocket when things go wrong: configuration, handshake
// refusals, a server that is not there, errors the server reports, a server
// that never answers or drops the connection, and reconnecting afterwards.
#include "custom_llm_test_support.hpp"

#include <Poco/Net/ServerSocket.h>

namespace vox::test {
namespace {

TEST_F(CustomLlmTest, RefusesToLoadWithoutAUrl) {
    EXPECT_EQ(load(nlohmann::json::object(), false), nullptr);
    EXPECT_NE(refusal_.find("no url"), std::string::npos) << refusal_;
    EXPECT_EQ(load({{"url", "http://127.0.0.1:1/llm"}}), nullptr);
    EXPECT_NE(refusal_.find("ws://"), std::string::npos) << refusal_;
    EXPECT_EQ(load({{"colour", "blue"}}), nullptr);
    EXPECT_NE(refusal_.find("unknown setting"), std::string::npos) << refusal_;
}

TEST_F(CustomLlmTest, HandshakeRefused401IsAuthAndNotRetried) {
    ASSERT_NE(load({{"retries", 3}}), nullptr) << refusal_;
    server_.set_script({.handshake_status = 401});
    Outcome out;
    ASSERT_EQ(start(1, out, request("hi")), VOX_OK);
    ASSERT_TRUE(out.wait_end());
    EXPECT_EQ(out.error_code, VOX_ERR_AUTH);
    EXPECT_NE(out.error_message.find("401"), std::string::npos) << out.error_message;
    EXPECT_EQ(out.error_message.find(server_.api_key()), std::string::npos) << out.error_message;
    EXPECT_EQ(server_.handshakes(), 1);
}

TEST_F(CustomLlmTest, WrongKeyIsAuth) {
    ASSERT_NE(load({{"api_key", "not-the-key"}}), nullptr) << refusal_;
    Outcome out;
    ASSERT_EQ(start(1, out, request("hi")), VOX_OK);
    ASSERT_TRUE(out.wait_end());
    EXPECT_EQ(out.error_code, VOX_ERR_AUTH);
}

TEST_F(CustomLlmTest, HandshakeRefused503IsRetriedThenUnavailable) {
    ASSERT_NE(load({{"retries", 2}}), nullptr) << refusal_;
    server_.set_script({.handshake_status = 503});
    Outcome out;
    ASSERT_EQ(start(1, out, request("hi")), VOX_OK);
    ASSERT_TRUE(out.wait_end());
    EXPECT_EQ(out.error_code, VOX_ERR_UNAVAILABLE);
    EXPECT_EQ(server_.handshakes(), 3);

    // Two refusals, then the server accepts: the retries hide the blip.
    server_.set_script({.handshake_status = 503, .handshake_failures = 2});
    Outcome retried;
    ASSERT_EQ(start(2, retried, request("hi")), VOX_OK);
    ASSERT_TRUE(retried.wait_end());
    EXPECT_EQ(retried.finish_reason, "stop") << retried.error_message;
    EXPECT_EQ(retried.text, "Hello there!");
}

TEST_F(CustomLlmTest, NobodyListeningIsUnavailable) {
    std::string url;
    {
        Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
        url = "ws://127.0.0.1:" + std::to_string(closed.address().port()) + "/llm";
    }
    ASSERT_NE(load({{"url", url}}), nullptr) << refusal_;
    Outcome out;
    ASSERT_EQ(start(1, out, request("hi")), VOX_OK);
    ASSERT_TRUE(out.wait_end());
    EXPECT_EQ(out.error_code, VOX_ERR_UNAVAILABLE) << out.error_message;
}

TEST_F(CustomLlmTest, AnErrorFromTheServerEndsOnlyItsGeneration) {
    server_.set_script({.pieces = {"a", "b", "c"}, .piece_delay = 30ms});
    Outcome streaming;
    Outcome failing;
    ASSERT_EQ(start(1, streaming, request("talk")), VOX_OK);
    ASSERT_EQ(start(2, failing, request("error")), VOX_OK);
    ASSERT_TRUE(failing.wait_end());
    EXPECT_EQ(failing.error_code, VOX_ERR_RATE_LIMITED);
    EXPECT_NE(failing.error_message.find("quota exceeded"), std::string::npos) << failing.error_message;
    ASSERT_TRUE(streaming.wait_end());
    EXPECT_EQ(streaming.finish_reason, "stop");
    EXPECT_EQ(streaming.text, "abc");
}

TEST_F(CustomLlmTest, NoFirstTokenInTimeIsTimeout) {
    ASSERT_NE(load({{"first_token_timeout_ms", 300}}), nullptr) << refusal_;
    Outcome out;
    auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(start(4, out, request("silent")), VOX_OK);
    ASSERT_TRUE(out.wait_end());
    EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
    EXPECT_EQ(out.error_code, VOX_ERR_TIMEOUT);
    // The server is told to stop working on it.
    ASSERT_TRUE(server_.wait_for([](const auto& c) { return !c.empty() && c[0].count("cancel") == 1; }));
    EXPECT_EQ(server_.connections()[0].of("cancel")[0].at("response_id"), 4);
}

TEST_F(CustomLlmTest, ADropMidGenerationFailsItAndTheNextStartReconnects) {
    server_.set_script({.pieces = {"first", " never"}, .piece_delay = 20ms});
    Outcome dropped;
    ASSERT_EQ(start(1, dropped, request("drop")), VOX_OK);
    ASSERT_TRUE(dropped.wait_end());
    EXPECT_EQ(dropped.error_code, VOX_ERR_UNAVAILABLE);
    EXPECT_EQ(dropped.text, "first");
    EXPECT_EQ(dropped.after_end, 0);

    Outcome next;
    ASSERT_EQ(start(2, next, request("hello")), VOX_OK);
    ASSERT_TRUE(next.wait_end());
    EXPECT_EQ(next.finish_reason, "stop") << next.error_message;
    EXPECT_EQ(next.text, "first never");
    EXPECT_EQ(server_.handshakes(), 2);
    EXPECT_EQ(server_.connections().at(1).count("response_required"), 1);
}

TEST_F(CustomLlmTest, UnloadingEndsWhatIsLeftOnceAndThenStaysQuiet) {
    Outcome out;
    ASSERT_EQ(start(9, out, request("silent")), VOX_OK);
    ASSERT_TRUE(server_.wait_for([](const auto& c) { return !c.empty() && c[0].count("response_required") == 1; }));
    registry_.reset();  // plugin deinit
    std::lock_guard lock(out.mutex);
    EXPECT_EQ(out.ends, 1);
    EXPECT_EQ(out.finish_reason, "cancelled");
    EXPECT_EQ(out.after_end, 0);
}

}  // namespace
}  // namespace vox::test
