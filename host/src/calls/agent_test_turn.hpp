// POST /api/test/agent/{id} (docs/protocol.md section 7): one text-only turn
// of an agent, no audio. The agent's system prompt (variables filled in),
// model, temperature and max_tokens go to its LLM provider with the
// conversation so far; the streamed answer is collected with its time to
// first token. An empty conversation answers with the begin message instead.
#pragma once

#include "config/voxd_settings.hpp"

#include <vox/core/plugin_registry.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <stdexcept>
#include <string>

namespace vox::host {

struct AgentTestReply {
    std::string reply;
    nlohmann::json messages;  // the conversation including the reply
    double first_token_ms = 0;
    double total_ms = 0;
};

// The LLM provider failed (or did not finish in time).
class LlmTurnFailed : public std::runtime_error {
public:
    LlmTurnFailed(std::string provider, const std::string& message)
        : std::runtime_error(message), provider_(std::move(provider)) {}
    const std::string& provider() const { return provider_; }

private:
    std::string provider_;
};

// `messages`: [{"role": "user"|"assistant", "content"}]. Throws CallRefusal
// (provider_unavailable) or LlmTurnFailed.
AgentTestReply run_agent_test_turn(const nlohmann::json& agent, const nlohmann::json& messages,
                                   const nlohmann::json& variables, const PluginRegistry& plugins,
                                   const AgentDefaults& defaults, std::chrono::milliseconds timeout);

// The chat request for one turn (without "stream"; the provider sets it).
nlohmann::json agent_turn_request(const nlohmann::json& agent, const nlohmann::json& messages,
                                  const nlohmann::json& variables);

}  // namespace vox::host
