#include "calls/agent_test_turn.hpp"

#include "calls/call_providers.hpp"
#include "calls/call_refusal.hpp"
#include "calls/prompt_variables.hpp"

#include <vox/core/json_text.hpp>

#include <condition_variable>
#include <optional>
#include <vector>

namespace vox::host {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

}  // namespace

struct AgentTurnRunner::Turn {
    std::mutex mutex;
    std::condition_variable done;
    std::string text;
    std::optional<Clock::time_point> first_token;
    Clock::time_point ended_at{};
    bool finished = false;
    std::string error;
};

json agent_turn_request(const json& agent, const json& messages, const json& variables) {
    json chat = json::array();
    std::string prompt = fill_variables(json_text(agent, "system_prompt"), variables);
    if (!prompt.empty()) chat.push_back({{"role", "system"}, {"content", prompt}});
    for (const auto& message : messages)
        chat.push_back({{"role", message.at("role")}, {"content", message.at("content")}});
    json request = {{"messages", std::move(chat)}};
    if (auto model = agent.find("model"); model != agent.end() && model->is_string()) request["model"] = *model;
    const json settings = agent.value("settings", json::object());
    if (auto it = settings.find("temperature"); it != settings.end() && it->is_number()) request["temperature"] = *it;
    if (auto it = settings.find("max_tokens"); it != settings.end() && it->is_number_integer())
        request["max_tokens"] = *it;
    return request;
}

AgentTurnRunner::AgentTurnRunner(const ProviderCatalog& providers) : providers_(providers) {}

bool AgentTurnRunner::llm_follows_prompts(const json& agent) const {
    ProviderGenerationPtr providers = providers_.current();
    try {
        const Provider& provider = agent_llm_provider(agent, *providers->plugins, providers->agents);
        auto follows = provider.capabilities.find("follows_prompts");
        return follows == provider.capabilities.end() || !follows->is_boolean() || follows->get<bool>();
    } catch (const CallRefusal&) {
        return false;  // no LLM
    }
}

AgentTurnRunner::~AgentTurnRunner() { shutdown(); }

void AgentTurnRunner::shutdown() {
    std::map<const Provider*, std::shared_ptr<Client>> clients;
    std::vector<std::shared_ptr<Turn>> waiting;
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        clients.swap(clients_);
        for (const auto& [generation, turn] : turns_) waiting.push_back(turn);
    }
    // Waiters return now instead of at their timeout (a post-call analysis may wait long).
    for (const auto& turn : waiting) {
        std::lock_guard lock(turn->mutex);
        if (turn->finished) continue;
        turn->error = "voxd is stopping";
        turn->ended_at = Clock::now();
        turn->finished = true;
        turn->done.notify_all();
    }
    clients.clear();  // each cancels what it still runs and waits for the ends
}

void AgentTurnRunner::forget_superseded(std::uint64_t current) {
    std::vector<std::shared_ptr<Client>> old;
    {
        std::lock_guard lock(mutex_);
        for (auto it = clients_.begin(); it != clients_.end();)
            if (it->second->providers->number < current) {
                old.push_back(std::move(it->second));
                it = clients_.erase(it);
            } else {
                ++it;
            }
    }
    // A turn still running on one of them holds it; the last holder closes it.
}

std::shared_ptr<AgentTurnRunner::Client> AgentTurnRunner::client_for(const Provider& provider,
                                                                     const ProviderGenerationPtr& providers) {
    std::lock_guard lock(mutex_);
    auto& client = clients_[&provider];
    if (!client) {
        LlmCallbacks callbacks;
        callbacks.on_token = [this](std::uint64_t generation, std::string_view text) { on_token(generation, text); };
        callbacks.on_done = [this](std::uint64_t generation, std::string_view) { on_end(generation, {}); };
        callbacks.on_error = [this](std::uint64_t generation, const ProviderError& error) {
            on_end(generation, error.what());
        };
        client =
            std::make_shared<Client>(Client{providers, std::make_unique<LlmClient>(provider, std::move(callbacks))});
    }
    return client;
}

std::shared_ptr<AgentTurnRunner::Turn> AgentTurnRunner::turn_for(std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    if (abandoned_.count(generation) != 0) return nullptr;
    auto& turn = turns_[generation];
    if (!turn) {
        turn = std::make_shared<Turn>();
        if (stopped_) {  // started while shutdown() ran: it would wait for its whole timeout
            turn->error = "voxd is stopping";
            turn->ended_at = Clock::now();
            turn->finished = true;
        }
    }
    return turn;
}

void AgentTurnRunner::on_token(std::uint64_t generation, std::string_view text) {
    auto turn = turn_for(generation);
    if (!turn) return;
    std::lock_guard lock(turn->mutex);
    if (!turn->first_token) turn->first_token = Clock::now();
    turn->text.append(text);
}

void AgentTurnRunner::on_end(std::uint64_t generation, std::string error) {
    {
        std::lock_guard lock(mutex_);
        if (abandoned_.erase(generation) != 0) return;  // its request gave up on it
    }
    auto turn = turn_for(generation);
    if (!turn) return;
    std::lock_guard lock(turn->mutex);
    turn->error = std::move(error);
    turn->ended_at = Clock::now();
    turn->finished = true;
    turn->done.notify_all();
}

AgentTestReply AgentTurnRunner::run(const json& agent, const json& messages, const json& variables,
                                    std::chrono::milliseconds timeout) {
    AgentTestReply result;
    result.messages = messages;
    if (messages.empty()) {
        result.reply = fill_variables(json_text(agent, "begin_message"), variables);
        result.messages.push_back({{"role", "assistant"}, {"content", result.reply}});
        return result;
    }
    {
        std::lock_guard lock(mutex_);
        if (stopped_) throw LlmTurnFailed("", "voxd is stopping");
    }
    ProviderGenerationPtr providers = providers_.current();
    forget_superseded(providers->number);
    const Provider& provider = agent_llm_provider(agent, *providers->plugins, providers->agents);
    std::shared_ptr<Client> client = client_for(provider, providers);
    LlmClient& llm = *client->llm;

    auto started = Clock::now();
    std::uint64_t generation = 0;
    try {
        generation = llm.start(agent_turn_request(agent, messages, variables));
    } catch (const ProviderError& error) {
        throw LlmTurnFailed(provider.key, error.what());
    }
    auto turn = turn_for(generation);
    bool finished = false;
    {
        std::unique_lock lock(turn->mutex);
        finished = turn->done.wait_for(lock, timeout, [&] { return turn->finished; });
    }
    {
        std::lock_guard lock(mutex_);
        turns_.erase(generation);
        if (!finished) {
            std::lock_guard turn_lock(turn->mutex);
            finished = turn->finished;  // it may have ended just now
            if (!finished) abandoned_.insert(generation);
        }
    }
    if (!finished) {
        llm.cancel(generation);
        throw LlmTurnFailed(provider.key,
                            provider.key + ": no answer within " + std::to_string(timeout.count()) + " ms");
    }
    std::lock_guard lock(turn->mutex);
    if (!turn->error.empty()) throw LlmTurnFailed(provider.key, turn->error);
    result.reply = turn->text;
    result.provider = provider.key;
    result.first_token_ms = ms_between(started, turn->first_token.value_or(turn->ended_at));
    result.total_ms = ms_between(started, turn->ended_at);
    result.messages.push_back({{"role", "assistant"}, {"content", result.reply}});
    return result;
}

}  // namespace vox::host
