// POST /api/test/agent/{id} (docs/protocol.md section 7): one text-only turn
// of an agent, no audio. The agent's system prompt (variables filled in),
// model, temperature and max_tokens go to its LLM provider with the
// conversation so far; the streamed answer is collected with its time to
// first token. An empty conversation answers with the begin message instead.
//
// One LlmClient per LLM provider serves every request (generations are told
// apart by id), so no client is torn down while its provider may still be
// finishing a callback into it. Clients of a superseded provider generation
// (after a reload) are closed once no turn uses them, which lets that
// generation go.
#pragma once

#include "config/voxd_settings.hpp"
#include "providers/provider_catalog.hpp"

#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/llm_client.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

namespace vox::host {

struct AgentTestReply {
    std::string reply;
    std::string provider;     // the LLM provider's key, e.g. "llm.openai" (empty for a begin message)
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

class AgentTurnRunner {
public:
    explicit AgentTurnRunner(const ProviderCatalog& providers);
    ~AgentTurnRunner();  // shutdown()
    AgentTurnRunner(const AgentTurnRunner&) = delete;
    AgentTurnRunner& operator=(const AgentTurnRunner&) = delete;

    // `messages`: [{"role": "user"|"assistant", "content"}]. Throws CallRefusal
    // (provider_unavailable) or LlmTurnFailed. Any thread.
    AgentTestReply run(const nlohmann::json& agent, const nlohmann::json& messages, const nlohmann::json& variables,
                       std::chrono::milliseconds timeout);
    // Whether the agent's LLM (in the current generation) is loaded and takes
    // the host's instructions (capability follows_prompts, default true).
    bool llm_follows_prompts(const nlohmann::json& agent) const;
    // Ends the turns still waiting (LlmTurnFailed "voxd is stopping"), refuses
    // new ones, and closes the clients; before the plugins shut down. Idempotent.
    void shutdown();

private:
    struct Turn;
    struct Client {
        ProviderGenerationPtr providers;  // declared first: outlives the client
        std::unique_ptr<LlmClient> llm;
    };
    std::shared_ptr<Client> client_for(const Provider& provider, const ProviderGenerationPtr& providers);
    // Lets go of the clients of generations older than `current`.
    void forget_superseded(std::uint64_t current);
    // The turn of `generation`, made on first sight (a callback may come before start() returns).
    std::shared_ptr<Turn> turn_for(std::uint64_t generation);
    void on_token(std::uint64_t generation, std::string_view text);
    void on_end(std::uint64_t generation, std::string error);

    const ProviderCatalog& providers_;
    std::mutex mutex_;
    std::map<const Provider*, std::shared_ptr<Client>> clients_;
    std::map<std::uint64_t, std::shared_ptr<Turn>> turns_;
    std::set<std::uint64_t> abandoned_;  // timed out: their late callbacks are dropped
    bool stopped_ = false;               // shutdown() ran: no new turns
};

// The chat request for one turn (without "stream"; the provider sets it).
nlohmann::json agent_turn_request(const nlohmann::json& agent, const nlohmann::json& messages,
                                  const nlohmann::json& variables);

}  // namespace vox::host
