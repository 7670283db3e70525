// Shared by the llm.custom_websocket tests: the plugin loaded from the build
// tree into a registry (as voxd loads it) pointed at a FakeLlmServer, and
// generations driven through the provider's C table (so the plugin's own
// cancel and end-once rules are what is tested, not LlmClient's).
#pragma once

#include "fake_llm_server.hpp"

#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace vox::test {

using namespace std::chrono_literals;

// What one generation delivered, with a condition variable to wait on.
struct Outcome {
    struct ToolCall {
        std::string id, name, arguments;
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::string text;
    int tokens = 0;
    std::vector<ToolCall> tool_calls;
    std::optional<std::string> finish_reason;
    std::optional<vox_status> error_code;
    std::string error_message;
    int ends = 0;
    int after_end = 0;  // callbacks of any kind after the end

    vox_llm_callbacks callbacks() {
        vox_llm_callbacks c{};
        c.struct_size = sizeof c;
        c.user = this;
        c.on_token = [](void* user, std::uint64_t, const char* piece, std::size_t length) {
            auto& self = *static_cast<Outcome*>(user);
            std::lock_guard lock(self.mutex);
            if (self.ends > 0) ++self.after_end;
            self.text.append(piece, length);
            ++self.tokens;
            self.changed.notify_all();
        };
        c.on_tool_call = [](void* user, std::uint64_t, const char* id, const char* name, const char* arguments) {
            auto& self = *static_cast<Outcome*>(user);
            std::lock_guard lock(self.mutex);
            if (self.ends > 0) ++self.after_end;
            self.tool_calls.push_back({id, name, arguments});
            self.changed.notify_all();
        };
        c.on_done = [](void* user, std::uint64_t, const char* reason) {
            auto& self = *static_cast<Outcome*>(user);
            std::lock_guard lock(self.mutex);
            if (self.ends++ > 0) ++self.after_end;
            self.finish_reason = reason;
            self.changed.notify_all();
        };
        c.on_error = [](void* user, std::uint64_t, vox_status code, const char* message) {
            auto& self = *static_cast<Outcome*>(user);
            std::lock_guard lock(self.mutex);
            if (self.ends++ > 0) ++self.after_end;
            self.error_code = code;
            self.error_message = message;
            self.changed.notify_all();
        };
        return c;
    }
    bool wait_end(std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return ends > 0; });
    }
    bool wait_tokens(int count, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return tokens >= count || ends > 0; });
    }
};

class CustomLlmTest : public ::testing::Test {
protected:
    // Loads the plugin with `settings` over the fake server's url and key and
    // fast timings; returns the provider or nullptr (reasons in refusal_).
    const Provider* load(nlohmann::json settings = nlohmann::json::object(), bool with_defaults = true) {
        settings_ = with_defaults ? nlohmann::json{{"url", server_.url()},
                                                   {"api_key", server_.api_key()},
                                                   {"connect_timeout_ms", 2000},
                                                   {"first_token_timeout_ms", 5000},
                                                   {"retries", 0}}
                                  : nlohmann::json::object();
        settings_.update(settings);
        registry_.reset();
        RegistryOptions options;
        options.settings_for = [this](const std::string& key) {
            return key == "llm.custom_websocket" ? settings_ : nlohmann::json::object();
        };
        registry_ = std::make_unique<PluginRegistry>(host_, std::move(options));
        EXPECT_TRUE(std::filesystem::exists(VOX_TEST_CUSTOM_LLM_PLUGIN)) << VOX_TEST_CUSTOM_LLM_PLUGIN;
        PluginLoader(*registry_).load_file(VOX_TEST_CUSTOM_LLM_PLUGIN);
        refusal_.clear();
        for (const auto& refused : registry_->refused()) refusal_ += refused.reason + "\n";
        provider_ = registry_->find("llm.custom_websocket");
        return provider_;
    }

    void SetUp() override { ASSERT_NE(load(), nullptr) << refusal_; }

    static nlohmann::json request(const std::string& prompt) {
        return {{"model", "my-model"},
                {"messages",
                 {{{"role", "system"}, {"content", "Be brief."}},
                  {{"role", "assistant"}, {"content", "Hi, how can I help?"}},
                  {{"role", "user"}, {"content", prompt}}}}};
    }

    // Starts generation `id` through the C table; returns the start status.
    vox_status start(std::uint64_t id, Outcome& out, const nlohmann::json& body) {
        const auto& vtable = provider_->vtable<vox_llm_vtable>();
        vox_llm_callbacks callbacks = out.callbacks();
        vox_error error{sizeof(vox_error), VOX_OK, {}};
        std::string text = body.dump();
        return vtable.start(provider_->plugin_context(), text.c_str(), id, &callbacks, &error);
    }
    void cancel(std::uint64_t id) { provider_->vtable<vox_llm_vtable>().cancel(provider_->plugin_context(), id); }

    FakeLlmServer server_;
    HostServices host_;
    nlohmann::json settings_;
    std::unique_ptr<PluginRegistry> registry_;
    std::string refusal_;
    const Provider* provider_ = nullptr;
};

}  // namespace vox::test
