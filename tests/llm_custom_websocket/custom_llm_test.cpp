// llm.custom_websocket on the happy paths: a streamed answer, the frame the
// server receives, the key, two generations on one connection, cancel, tool
// calls, keep-alive, and a run through the host's LlmClient.
#include "custom_llm_test_support.hpp"

#include <vox/core/providers/llm_client.hpp>

namespace vox::test {
namespace {

TEST_F(CustomLlmTest, DescribesItself) {
    EXPECT_EQ(provider_->kind, ProviderKind::llm);
    EXPECT_EQ(provider_->plugin->name, "custom_websocket");
    EXPECT_EQ(provider_->capabilities.at("streaming"), true);
    EXPECT_EQ(provider_->capabilities.at("tools"), true);
    LlmClient client(*provider_, {});
    EXPECT_EQ(client.list_models(), std::vector<std::string>{"custom"});
    EXPECT_EQ(server_.handshakes(), 0) << "connects lazily, at the first generation";
}

TEST_F(CustomLlmTest, StreamsAnAnswerFromTheRequestItSent) {
    Outcome out;
    auto body = request("Book a table");
    body["tools"] = nlohmann::json::array({{{"type", "function"}, {"function", {{"name", "book_table"}}}}});
    ASSERT_EQ(start(7, out, body), VOX_OK);
    ASSERT_TRUE(out.wait_end());
    EXPECT_EQ(out.text, "Hello there!");
    EXPECT_EQ(out.tokens, 3);
    EXPECT_EQ(out.finish_reason, "stop");
    EXPECT_FALSE(out.error_code.has_value()) << out.error_message;

    auto connections = server_.connections();
    ASSERT_EQ(connections.size(), 1u);
    EXPECT_EQ(connections[0].authorization, "Bearer " + server_.api_key());
    auto sent = connections[0].of("response_required");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].at("response_id"), 7);
    EXPECT_EQ(sent[0].at("model"), "my-model");
    EXPECT_EQ(sent[0].at("messages"), body.at("messages"));
    EXPECT_EQ(sent[0].at("tools"), body.at("tools"));
    EXPECT_EQ(sent[0].at("transcript"),
              nlohmann::json::parse(
                  R"([{"role":"agent","content":"Hi, how can I help?"},{"role":"user","content":"Book a table"}])"));
}

TEST_F(CustomLlmTest, MultiplexesTwoGenerationsOnOneConnection) {
    server_.set_script({.pieces = {"a", "b", "c", "d", "e"}, .piece_delay = 20ms});
    Outcome first;
    Outcome second;
    ASSERT_EQ(start(1, first, request("one")), VOX_OK);
    ASSERT_EQ(start(2, second, request("two")), VOX_OK);
    ASSERT_TRUE(first.wait_end());
    ASSERT_TRUE(second.wait_end());
    EXPECT_EQ(first.text, "abcde");
    EXPECT_EQ(second.text, "abcde");
    EXPECT_EQ(first.finish_reason, "stop");
    EXPECT_EQ(second.finish_reason, "stop");
    auto connections = server_.connections();
    ASSERT_EQ(connections.size(), 1u);
    EXPECT_EQ(connections[0].count("response_required"), 2);
    EXPECT_EQ(server_.handshakes(), 1);
}

TEST_F(CustomLlmTest, CancelSendsCancelAndStopsTokens) {
    server_.set_script({.pieces = std::vector<std::string>(200, "word "), .piece_delay = 10ms});
    Outcome out;
    ASSERT_EQ(start(5, out, request("talk")), VOX_OK);
    ASSERT_TRUE(out.wait_tokens(2));
    cancel(5);
    int tokens_at_cancel = 0;
    {
        std::lock_guard lock(out.mutex);
        tokens_at_cancel = out.tokens;
        EXPECT_EQ(out.ends, 1);
        EXPECT_EQ(out.finish_reason, "cancelled");
    }
    ASSERT_TRUE(server_.wait_for([](const auto& c) { return !c.empty() && c[0].count("cancel") == 1; }));
    EXPECT_EQ(server_.connections()[0].of("cancel")[0].at("response_id"), 5);
    // A later generation on the same connection completes: everything of the
    // cancelled one that was in flight has been read (and dropped) by then.
    Outcome later;
    server_.set_script({.pieces = {"ok"}});
    ASSERT_EQ(start(6, later, request("again")), VOX_OK);
    ASSERT_TRUE(later.wait_end());
    EXPECT_EQ(later.text, "ok");
    std::lock_guard lock(out.mutex);
    EXPECT_EQ(out.tokens, tokens_at_cancel);
    EXPECT_EQ(out.after_end, 0);
    EXPECT_LT(out.tokens, 200);
}

TEST_F(CustomLlmTest, DeliversAToolCall) {
    Outcome out;
    ASSERT_EQ(start(3, out, request("tool")), VOX_OK);
    ASSERT_TRUE(out.wait_end());
    EXPECT_EQ(out.finish_reason, "tool_calls");
    ASSERT_EQ(out.tool_calls.size(), 1u);
    EXPECT_EQ(out.tool_calls[0].id, "call_1");
    EXPECT_EQ(out.tool_calls[0].name, "book_table");
    EXPECT_EQ(nlohmann::json::parse(out.tool_calls[0].arguments), nlohmann::json({{"people", 2}}));
    EXPECT_TRUE(out.text.empty());
}

TEST_F(CustomLlmTest, SendsPingPongWhileConnected) {
    ASSERT_NE(load({{"ping_interval_ms", 100}}), nullptr) << refusal_;
    Outcome out;
    ASSERT_EQ(start(1, out, request("hi")), VOX_OK);
    ASSERT_TRUE(out.wait_end());
    ASSERT_TRUE(server_.wait_for([](const auto& c) { return !c.empty() && c[0].count("ping_pong") >= 3; }));
    for (const auto& ping : server_.connections()[0].of("ping_pong"))
        EXPECT_GT(ping.at("timestamp").get<long long>(), 0);
    EXPECT_EQ(server_.handshakes(), 1);
}

TEST_F(CustomLlmTest, RunsThroughTheHostsLlmClient) {
    std::mutex mutex;
    std::condition_variable changed;
    std::string text;
    std::optional<std::string> reason;
    LlmCallbacks callbacks;
    callbacks.on_token = [&](std::uint64_t, std::string_view piece) {
        std::lock_guard lock(mutex);
        text += piece;
    };
    callbacks.on_done = [&](std::uint64_t, std::string_view finish) {
        std::lock_guard lock(mutex);
        reason = std::string(finish);
        changed.notify_all();
    };
    callbacks.on_error = [&](std::uint64_t, const ProviderError& error) {
        std::lock_guard lock(mutex);
        reason = std::string("error: ") + error.what();
        changed.notify_all();
    };
    LlmClient client(*provider_, callbacks);
    auto generation = client.start(request("hello"));
    {
        std::unique_lock lock(mutex);
        ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return reason.has_value(); }));
        EXPECT_EQ(reason, "stop");
        EXPECT_EQ(text, "Hello there!");
    }
    EXPECT_TRUE(client.wait_idle(5s));
    EXPECT_EQ(server_.connections().at(0).of("response_required").at(0).at("response_id"), generation);
}

}  // namespace
}  // namespace vox::test
