#include "calls/agent_test_turn.hpp"

#include "calls/call_providers.hpp"
#include "calls/prompt_variables.hpp"

#include <vox/core/providers/llm_client.hpp>

#include <condition_variable>
#include <mutex>
#include <optional>

namespace vox::host {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

std::string text_field(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

json agent_turn_request(const json& agent, const json& messages, const json& variables) {
    json chat = json::array();
    std::string prompt = fill_variables(text_field(agent, "system_prompt"), variables);
    if (!prompt.empty()) chat.push_back({{"role", "system"}, {"content", prompt}});
    for (const auto& message : messages) chat.push_back({{"role", message.at("role")}, {"content", message.at("content")}});
    json request = {{"messages", std::move(chat)}};
    if (auto model = agent.find("model"); model != agent.end() && model->is_string()) request["model"] = *model;
    const json settings = agent.value("settings", json::object());
    if (auto it = settings.find("temperature"); it != settings.end() && it->is_number()) request["temperature"] = *it;
    if (auto it = settings.find("max_tokens"); it != settings.end() && it->is_number_integer())
        request["max_tokens"] = *it;
    return request;
}

AgentTestReply run_agent_test_turn(const json& agent, const json& messages, const json& variables,
                                   const PluginRegistry& plugins, const AgentDefaults& defaults,
                                   std::chrono::milliseconds timeout) {
    AgentTestReply result;
    result.messages = messages;
    if (messages.empty()) {
        result.reply = fill_variables(text_field(agent, "begin_message"), variables);
        result.messages.push_back({{"role", "assistant"}, {"content", result.reply}});
        return result;
    }
    const Provider& provider = agent_llm_provider(agent, plugins, defaults);

    struct Turn {
        std::mutex mutex;
        std::condition_variable done;
        std::string text;
        std::optional<Clock::time_point> first_token;
        bool finished = false;
        std::string error;
    };
    auto turn = std::make_shared<Turn>();
    LlmCallbacks callbacks;
    callbacks.on_token = [turn](std::uint64_t, std::string_view text) {
        std::lock_guard lock(turn->mutex);
        if (!turn->first_token) turn->first_token = Clock::now();
        turn->text.append(text);
    };
    callbacks.on_done = [turn](std::uint64_t, std::string_view) {
        std::lock_guard lock(turn->mutex);
        turn->finished = true;
        turn->done.notify_all();
    };
    callbacks.on_error = [turn](std::uint64_t, const ProviderError& error) {
        std::lock_guard lock(turn->mutex);
        turn->error = error.what();
        turn->finished = true;
        turn->done.notify_all();
    };

    LlmClient llm(provider, std::move(callbacks));
    auto started = Clock::now();
    std::uint64_t generation = 0;
    try {
        generation = llm.start(agent_turn_request(agent, messages, variables));
    } catch (const ProviderError& error) {
        throw LlmTurnFailed(provider.key, error.what());
    }
    {
        std::unique_lock lock(turn->mutex);
        if (!turn->done.wait_for(lock, timeout, [&] { return turn->finished; })) {
            lock.unlock();
            llm.cancel(generation);
            throw LlmTurnFailed(provider.key, provider.key + ": no answer within " +
                                                  std::to_string(timeout.count()) + " ms");
        }
        if (!turn->error.empty()) throw LlmTurnFailed(provider.key, turn->error);
        auto ended = Clock::now();
        result.reply = turn->text;
        result.first_token_ms = turn->first_token ? ms_between(started, *turn->first_token) : ms_between(started, ended);
        result.total_ms = ms_between(started, ended);
    }
    result.messages.push_back({{"role", "assistant"}, {"content", result.reply}});
    return result;
}

}  // namespace vox::host
