#include "api/agent_test_routes.hpp"

#include "api/call_problems.hpp"
#include "api/request_body.hpp"
#include "calls/agent_test_turn.hpp"
#include "http/http_exchange.hpp"

#include <vox/core/id_format.hpp>

namespace vox::host {
namespace {

using nlohmann::json;

constexpr std::chrono::seconds kTurnTimeout{60};

ProblemError agent_not_found(const std::string& id) {
    return ProblemError(Problem{404, "agent_not_found", "Not found", "agent " + id + " does not exist",
                                {{"agent_id", id}}});
}

}  // namespace

void add_agent_test_routes(ApiRoutes& routes, ApiContext& context, AgentTurnRunner& runner) {
    ApiOperation test{"post", "/api/test/agent/{agent_id}", "testAgent", "Run one text-only turn of an agent",
                      "Sends the conversation to the agent's LLM with its system prompt (variables filled in), model, "
                      "temperature and max_tokens; no audio. An empty messages array answers with the begin message. "
                      "Send back messages with the next user message appended to go on.",
                      {"Testing"}, {path_parameter("agent_id", "The agent's id (agent_...).")}, "agent_test_input",
                      {{200, json_response("The reply and the conversation", "agent_test_reply")},
                       {404, problem_response("No such agent (agent_not_found)")},
                       {422, problem_response("Invalid input")},
                       {502, problem_response("The LLM provider failed (llm_error)")},
                       {503, problem_response("The agent's LLM provider is not loaded (provider_unavailable)")}}};
    routes.add(test, [&context, &runner](HttpExchange& exchange) {
        std::string id = exchange.param("agent_id");
        if (!is_id_of("agent", id)) throw agent_not_found("'" + id.substr(0, 80) + "'");
        json input = read_json_body(exchange, context.max_body_bytes);
        validate_against("agent_test_input", input);
        auto agent = context.store.agents->get(id);
        if (!agent) throw agent_not_found(id);
        AgentTestReply reply;
        try {
            reply = runner.run(*agent, input.value("messages", json::array()), input.value("variables", json::object()),
                               kTurnTimeout);
        } catch (const CallRefusal& refusal) {
            throw call_problem(refusal);
        } catch (const LlmTurnFailed& failure) {
            throw ProblemError(Problem{502, "llm_error", "Bad gateway",
                                       "the LLM provider " + failure.provider() + " failed: " + failure.what(),
                                       {{"provider", failure.provider()}}});
        }
        exchange.send_json(200, {{"reply", reply.reply},
                                 {"messages", reply.messages},
                                 {"latency_ms", {{"first_token", reply.first_token_ms}, {"total", reply.total_ms}}}});
    });
}

}  // namespace vox::host
