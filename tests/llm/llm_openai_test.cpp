// The llm.openai plugin as the host sees it (loaded from the build tree into a
// registry, driven through LlmClient) against the local OpenAI-compatible
// test server on 127.0.0.1: streaming, tool calls, errors, timeouts, cancel,
// models.
#include "openai_test_server.hpp"

#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/llm_client.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace vox::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Script = OpenAiTestServer::Script;

// Everything one generation delivered, with arrival times.
struct Outcome {
    std::mutex mutex;
    std::condition_variable changed;
    std::string text;
    std::vector<std::pair<std::string, Clock::time_point>> tokens;
    std::vector<LlmToolCall> tool_calls;
    std::optional<std::string> finish_reason;
    std::optional<vox_status> error_code;
    std::string error_message;
    int ends = 0;
    Clock::time_point ended_at{};

    bool wait(std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return ends > 0; });
    }
    bool wait_tokens(std::size_t count, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return tokens.size() >= count || ends > 0; });
    }
};

class OpenAiPlugin : public ::testing::Test {
protected:
    // Loads the plugin with `settings` merged over the test server's address and key.
    void load(nlohmann::json settings = nlohmann::json::object()) {
        settings_ = {{"base_url", server_.base_url()}, {"api_key", server_.api_key()}};
        settings_.update(settings);
        registry_.reset();
        RegistryOptions options;
        options.settings_for = [this](const std::string& key) {
            return key == "llm.openai" ? settings_ : nlohmann::json::object();
        };
        registry_ = std::make_unique<PluginRegistry>(host_, std::move(options));
        ASSERT_TRUE(std::filesystem::exists(VOX_TEST_OPENAI_PLUGIN)) << VOX_TEST_OPENAI_PLUGIN;
        bool loaded = PluginLoader(*registry_).load_file(VOX_TEST_OPENAI_PLUGIN);
        std::string reasons;
        for (const auto& refused : registry_->refused()) reasons += refused.origin + ": " + refused.reason + "\n";
        ASSERT_TRUE(loaded) << reasons;
        provider_ = registry_->find("llm.openai");
        ASSERT_NE(provider_, nullptr);
    }

    void SetUp() override { load(); }

    LlmCallbacks callbacks_for(Outcome& out) {
        LlmCallbacks callbacks;
        callbacks.on_token = [&out](std::uint64_t, std::string_view text) {
            std::lock_guard lock(out.mutex);
            out.text += text;
            out.tokens.emplace_back(std::string(text), Clock::now());
            out.changed.notify_all();
        };
        callbacks.on_tool_call = [&out](std::uint64_t, const LlmToolCall& call) {
            std::lock_guard lock(out.mutex);
            out.tool_calls.push_back(call);
        };
        callbacks.on_done = [&out](std::uint64_t, std::string_view reason) {
            std::lock_guard lock(out.mutex);
            out.finish_reason = std::string(reason);
            ++out.ends;
            out.ended_at = Clock::now();
            out.changed.notify_all();
        };
        callbacks.on_error = [&out](std::uint64_t, const ProviderError& error) {
            std::lock_guard lock(out.mutex);
            out.error_code = error.code();
            out.error_message = error.what();
            ++out.ends;
            out.ended_at = Clock::now();
            out.changed.notify_all();
        };
        return callbacks;
    }

    static nlohmann::json request(const std::string& prompt = "Say hello") {
        return {{"model", "gpt-4o-mini"},
                {"messages", {{{"role", "system"}, {"content", "Be brief."}}, {{"role", "user"}, {"content", prompt}}}},
                {"temperature", 0.2},
                {"max_tokens", 64}};
    }

    // Runs one generation to its end.
    void run(Outcome& out, const nlohmann::json& body = request()) {
        LlmClient client(*provider_, callbacks_for(out));
        client.start(body);
        ASSERT_TRUE(out.wait()) << "the generation never ended";
        EXPECT_TRUE(client.wait_idle(5s));
    }

    OpenAiTestServer server_;
    HostServices host_;
    nlohmann::json settings_;
    std::unique_ptr<PluginRegistry> registry_;
    const Provider* provider_ = nullptr;
};

TEST_F(OpenAiPlugin, DeclaresStreamingAndTools) {
    EXPECT_EQ(provider_->kind, ProviderKind::llm);
    EXPECT_EQ(provider_->plugin->name, "openai");
    EXPECT_EQ(provider_->capabilities.at("streaming"), true);
    EXPECT_EQ(provider_->capabilities.at("tools"), true);
    EXPECT_EQ(provider_->settings_schema.at("type"), "object");
    EXPECT_EQ(provider_->settings_schema.at("properties").at("temperature").at("maximum"), 2);
}

TEST_F(OpenAiPlugin, SendsAWellFormedStreamingRequestWithTheKey) {
    server_.set_script({.chunks = OpenAiTestServer::content_chunks({"Hi"})});
    Outcome out;
    nlohmann::json body = request();
    body["tools"] = {{{"type", "function"},
                      {"function", {{"name", "end_call"}, {"parameters", {{"type", "object"}, {"properties", nlohmann::json::object()}}}}}}};
    run(out, body);
    ASSERT_EQ(out.finish_reason, "stop") << out.error_message;
    auto received = server_.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].method, "POST");
    EXPECT_EQ(received[0].path, "/v1/chat/completions");
    EXPECT_EQ(received[0].authorization, "Bearer " + server_.api_key());
    EXPECT_EQ(received[0].body.at("stream"), true);
    EXPECT_EQ(received[0].body.at("model"), "gpt-4o-mini");
    EXPECT_EQ(received[0].body.at("messages").size(), 2u);
    EXPECT_EQ(received[0].body.at("max_tokens"), 64);
    EXPECT_EQ(received[0].body.at("tools").at(0).at("function").at("name"), "end_call");
}

TEST_F(OpenAiPlugin, StreamsTokensAsTheyArrive) {
    server_.set_script({.chunks = OpenAiTestServer::content_chunks({"The", " quick", " brown", " fox", "."}),
                        .chunk_delay = 60ms});
    Outcome out;
    run(out);
    ASSERT_EQ(out.finish_reason, "stop") << out.error_message;
    EXPECT_EQ(out.text, "The quick brown fox.");
    ASSERT_EQ(out.tokens.size(), 5u);
    auto last_sent = server_.last_chunk_sent();
    ASSERT_TRUE(last_sent);
    // The first token was delivered well before the server sent the last chunk.
    EXPECT_LT(out.tokens.front().second + 100ms, *last_sent);
}

TEST_F(OpenAiPlugin, AssemblesAToolCallFromFragments) {
    auto chunks = OpenAiTestServer::tool_call_chunks(0, "call_abc123", "book_appointment",
                                                     {"{\"da", "te\": \"2026-", "11-25\", \"time\"", ": \"10:30\"}"});
    chunks.insert(chunks.begin(), OpenAiTestServer::chunk({{"role", "assistant"}, {"content", nullptr}}));
    chunks.push_back(OpenAiTestServer::chunk(nlohmann::json::object(), "tool_calls"));
    server_.set_script({.chunks = chunks, .chunk_delay = 5ms});
    Outcome out;
    run(out);
    ASSERT_EQ(out.finish_reason, "tool_calls") << out.error_message;
    ASSERT_EQ(out.tool_calls.size(), 1u);
    EXPECT_EQ(out.tool_calls[0].id, "call_abc123");
    EXPECT_EQ(out.tool_calls[0].name, "book_appointment");
    auto arguments = nlohmann::json::parse(out.tool_calls[0].arguments_json);
    EXPECT_EQ(arguments, nlohmann::json({{"date", "2026-11-25"}, {"time", "10:30"}}));
    EXPECT_EQ(out.text, "");
}

TEST_F(OpenAiPlugin, ReportsFinishReasonLength) {
    server_.set_script({.chunks = OpenAiTestServer::content_chunks({"Once upon", " a time"}, "length")});
    Outcome out;
    run(out);
    EXPECT_EQ(out.finish_reason, "length") << out.error_message;
    EXPECT_EQ(out.text, "Once upon a time");
    EXPECT_EQ(out.ends, 1);
}

TEST_F(OpenAiPlugin, WrongKeyIsAnAuthErrorWithTheServersMessageAndNoKey) {
    std::string key = "sk-wrong-key-abcdefghijklmnop";
    load({{"api_key", key}});
    Outcome out;
    run(out);
    ASSERT_EQ(out.error_code, VOX_ERR_AUTH) << out.error_message;
    EXPECT_NE(out.error_message.find("Incorrect API key provided"), std::string::npos) << out.error_message;
    EXPECT_NE(out.error_message.find("401"), std::string::npos) << out.error_message;
    EXPECT_EQ(out.error_message.find(key), std::string::npos) << out.error_message;
    EXPECT_FALSE(out.finish_reason);
    EXPECT_EQ(out.ends, 1);
}

TEST_F(OpenAiPlugin, RateLimitedAndServerErrorsMapToStatuses) {
    server_.set_script({.status = 429, .error_message = "Rate limit reached for gpt-4o-mini"});
    Outcome limited;
    run(limited);
    EXPECT_EQ(limited.error_code, VOX_ERR_RATE_LIMITED) << limited.error_message;
    EXPECT_NE(limited.error_message.find("Rate limit reached"), std::string::npos) << limited.error_message;

    server_.set_script({.status = 500, .error_message = "The server had an error while processing your request."});
    Outcome failed;
    run(failed);
    EXPECT_EQ(failed.error_code, VOX_ERR_UNAVAILABLE) << failed.error_message;
    EXPECT_NE(failed.error_message.find("server had an error"), std::string::npos) << failed.error_message;
}

TEST_F(OpenAiPlugin, NothingListeningIsUnavailable) {
    std::uint16_t port = 0;
    {
        OpenAiTestServer gone;
        port = gone.port();
    }
    load({{"base_url", "http://127.0.0.1:" + std::to_string(port) + "/v1"}});
    Outcome out;
    run(out);
    EXPECT_EQ(out.error_code, VOX_ERR_UNAVAILABLE) << out.error_message;
}

TEST_F(OpenAiPlugin, SlowFirstByteTimesOut) {
    load({{"first_byte_timeout_ms", 300}});
    server_.set_script({.chunks = OpenAiTestServer::content_chunks({"late"}), .first_byte_delay = 3s});
    Outcome out;
    auto started = Clock::now();
    run(out);
    EXPECT_EQ(out.error_code, VOX_ERR_TIMEOUT) << out.error_message;
    EXPECT_LT(out.ended_at - started, 2s);
}

TEST_F(OpenAiPlugin, ConnectionDroppedMidStreamIsAnError) {
    server_.set_script({.chunks = OpenAiTestServer::content_chunks({"Half", " an", " answer", " never", " ends"}),
                        .drop_after = 3});
    Outcome out;
    run(out);
    ASSERT_TRUE(out.error_code) << "finished with " << out.finish_reason.value_or("?");
    EXPECT_EQ(*out.error_code, VOX_ERR_UNAVAILABLE) << out.error_message;
    EXPECT_EQ(out.text, "Half an");
    EXPECT_EQ(out.ends, 1);
}

TEST_F(OpenAiPlugin, CancelMidStreamEndsPromptlyWithCancelled) {
    std::vector<std::string> pieces(50, " word");
    server_.set_script({.chunks = OpenAiTestServer::content_chunks(pieces), .chunk_delay = 100ms});
    Outcome out;
    LlmClient client(*provider_, callbacks_for(out));
    auto generation = client.start(request());
    ASSERT_TRUE(out.wait_tokens(2));
    auto cancelled_at = Clock::now();
    client.cancel(generation);
    std::size_t tokens_at_cancel = 0;
    {
        std::lock_guard lock(out.mutex);
        tokens_at_cancel = out.tokens.size();
    }
    ASSERT_TRUE(out.wait(5s));
    EXPECT_EQ(out.finish_reason, "cancelled") << out.error_message;
    EXPECT_LT(out.ended_at - cancelled_at, 500ms);
    EXPECT_TRUE(client.wait_idle(1s));
    std::this_thread::sleep_for(250ms);
    std::lock_guard lock(out.mutex);
    EXPECT_EQ(out.tokens.size(), tokens_at_cancel);  // nothing after cancel
    EXPECT_EQ(out.ends, 1);
}

TEST_F(OpenAiPlugin, UnloadingDuringAStreamJoinsItsThread) {
    std::vector<std::string> pieces(50, " word");
    server_.set_script({.chunks = OpenAiTestServer::content_chunks(pieces), .chunk_delay = 100ms});
    Outcome out;
    {
        LlmClient client(*provider_, callbacks_for(out));
        client.start(request());
        ASSERT_TRUE(out.wait_tokens(1));
    }  // the client cancels and waits
    EXPECT_EQ(out.finish_reason, "cancelled");
    auto started = Clock::now();
    registry_.reset();  // deinit: joins every generation thread
    EXPECT_LT(Clock::now() - started, 2s);
}

TEST_F(OpenAiPlugin, ManyConcurrentGenerations) {
    server_.set_script({.chunks = OpenAiTestServer::content_chunks({"a", "b", "c"}), .chunk_delay = 10ms});
    std::vector<std::unique_ptr<Outcome>> outs;
    std::vector<std::unique_ptr<LlmClient>> clients;
    for (int i = 0; i < 8; ++i) {
        outs.push_back(std::make_unique<Outcome>());
        clients.push_back(std::make_unique<LlmClient>(*provider_, callbacks_for(*outs.back())));
        clients.back()->start(request());
    }
    for (auto& out : outs) {
        ASSERT_TRUE(out->wait());
        EXPECT_EQ(out->text, "abc");
        EXPECT_EQ(out->finish_reason, "stop") << out->error_message;
    }
}

TEST_F(OpenAiPlugin, RefusesARequestWithoutMessagesOrModel) {
    Outcome out;
    LlmClient client(*provider_, callbacks_for(out));
    EXPECT_THROW(client.start({{"model", "gpt-4o-mini"}}), ProviderError);
    try {
        client.start({{"messages", {{{"role", "user"}, {"content", "hi"}}}}});
        FAIL() << "a request without a model was accepted";
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT);
    }
    EXPECT_EQ(client.active(), 0u);
}

TEST(OpenAiPluginConfig, AnHttpsServerWithoutAKeyIsRefusedWithTheReason) {
    ::unsetenv("OPENAI_API_KEY");
    HostServices host;
    RegistryOptions options;
    options.settings_for = [](const std::string&) {
        return nlohmann::json{{"base_url", "https://api.openai.com/v1"}, {"api_key", ""}};
    };
    PluginRegistry registry(host, std::move(options));
    EXPECT_FALSE(PluginLoader(registry).load_file(VOX_TEST_OPENAI_PLUGIN));
    ASSERT_EQ(registry.refused().size(), 1u);
    EXPECT_NE(registry.refused()[0].reason.find("OPENAI_API_KEY"), std::string::npos) << registry.refused()[0].reason;
    EXPECT_EQ(registry.find("llm.openai"), nullptr);
}

TEST(OpenAiPluginConfig, UnknownSettingsAreRefused) {
    HostServices host;
    RegistryOptions options;
    options.settings_for = [](const std::string&) {
        return nlohmann::json{{"base_url", "http://127.0.0.1:9/v1"}, {"temperatur", "0.5"}};
    };
    PluginRegistry registry(host, std::move(options));
    EXPECT_FALSE(PluginLoader(registry).load_file(VOX_TEST_OPENAI_PLUGIN));
    ASSERT_EQ(registry.refused().size(), 1u);
    EXPECT_NE(registry.refused()[0].reason.find("temperatur"), std::string::npos) << registry.refused()[0].reason;
}

TEST_F(OpenAiPlugin, ConfiguredDefaultModelFillsIn) {
    load({{"model", "llama-3.1-8b-instant"}});
    server_.set_script({.chunks = OpenAiTestServer::content_chunks({"ok"})});
    Outcome out;
    run(out, {{"messages", {{{"role", "user"}, {"content", "hi"}}}}});
    EXPECT_EQ(out.finish_reason, "stop") << out.error_message;
    EXPECT_EQ(server_.received().back().body.at("model"), "llama-3.1-8b-instant");
}

TEST_F(OpenAiPlugin, ListsModelsFromTheServerAndCachesThem) {
    Outcome unused;
    LlmClient client(*provider_, callbacks_for(unused));
    EXPECT_EQ(client.list_models(), (std::vector<std::string>{"gpt-4o-mini", "gpt-4o", "llama-3.1-8b-instant"}));
    EXPECT_EQ(client.list_models().size(), 3u);
    EXPECT_EQ(server_.model_requests(), 1u);
    EXPECT_EQ(server_.received().back().path, "/v1/models");
}

TEST_F(OpenAiPlugin, ModelsFallBackToTheConfiguredList) {
    load({{"models", "local-a, local-b"}});
    server_.set_models({}, 503);
    Outcome unused;
    LlmClient client(*provider_, callbacks_for(unused));
    EXPECT_EQ(client.list_models(), (std::vector<std::string>{"local-a", "local-b"}));

    load();
    LlmClient without(*provider_, callbacks_for(unused));
    try {
        without.list_models();
        FAIL() << "no fallback, yet list_models succeeded";
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.code(), VOX_ERR_UNAVAILABLE) << e.what();
    }
}

}  // namespace
}  // namespace vox::test
