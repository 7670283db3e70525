// The host's handle on an LLM provider of the registry: starts streamed
// generations and routes their callbacks to std::functions.
//
//   vox::LlmClient llm(*registry.find("llm.openai"), {
//       .on_token = [&](std::uint64_t gen, std::string_view text) { ... },
//       .on_done  = [&](std::uint64_t gen, std::string_view finish_reason) { ... }});
//   std::uint64_t gen = llm.start({{"model", "gpt-4o-mini"}, {"messages", messages}});
//   ...
//   llm.cancel(gen);  // barge-in
//
// Thread-safe: start/cancel may be called from any thread. Callbacks run on
// the provider's threads; they must not block for long. Each started
// generation ends with exactly one on_done or on_error (the client enforces
// it even if a plugin misbehaves); after cancel(gen) returns, no on_token or
// on_tool_call of `gen` reaches the caller, and its end is on_done("cancelled")
// (or whatever the provider reported first). The destructor cancels what is
// still running and waits for those ends, so no callback runs after it.
#pragma once

#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/provider_error.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vox {

struct LlmToolCall {
    std::string id;
    std::string name;
    std::string arguments_json;
};

struct LlmCallbacks {
    std::function<void(std::uint64_t generation, std::string_view text)> on_token;
    std::function<void(std::uint64_t generation, const LlmToolCall& call)> on_tool_call;
    // "stop", "length", "tool_calls", "cancelled", ...
    std::function<void(std::uint64_t generation, std::string_view finish_reason)> on_done;
    std::function<void(std::uint64_t generation, const ProviderError& error)> on_error;
};

class LlmClient {
public:
    // Throws ProviderError when `provider` is not an LLM provider.
    LlmClient(const Provider& provider, LlmCallbacks callbacks);
    ~LlmClient();
    LlmClient(const LlmClient&) = delete;
    LlmClient& operator=(const LlmClient&) = delete;

    // Starts a generation of an OpenAI-style chat request
    // {"model","messages","tools","temperature","max_tokens"} and returns its
    // id. Throws ProviderError when the provider refuses it at once.
    std::uint64_t start(const nlohmann::json& request);
    // Stops a generation (no-op when it already ended).
    void cancel(std::uint64_t generation) noexcept;
    // Generations started and not yet ended.
    std::size_t active() const;
    // Waits until no generation is active; false on timeout.
    bool wait_idle(std::chrono::milliseconds timeout) const;
    // The provider's model ids. Throws ProviderError.
    std::vector<std::string> list_models() const;

    const Provider& provider() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace vox
