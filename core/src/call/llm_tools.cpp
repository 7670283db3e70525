// The LLM stage's function calling: the agent's tools (agent_tools.hpp) as
// the LLM calls them mid-answer. end_call and transfer_call act once the
// answer's last words have played; http tools run off the strand, their
// results go into the conversation, and the LLM is asked again.
#include "llm_processor.hpp"

#include <vox/core/log.hpp>
#include <vox/core/pipeline/pipeline.hpp>
#include <vox/core/providers/flow_node_client.hpp>

namespace vox::call::detail {

using nlohmann::json;
using pipeline::Frame;
using pipeline::FrameType;

namespace {
constexpr std::size_t kMaxToolResultChars = 4000;  // what goes back to the LLM

json parsed_arguments(const std::string& text) {
    json arguments = json::parse(text, nullptr, false);
    return arguments.is_discarded() ? json(text) : arguments;
}
}  // namespace

void LlmProcessor::on_tool_call(const Frame& f) {
    if (!generation_ || f.response != *generation_ || response_ == 0) return;  // cancelled
    json called = json::parse(f.text, nullptr, false);
    if (!called.is_object()) return;
    tool_calls_.push_back(
        {{"id", called.value("id", "")},
         {"type", "function"},
         {"function", {{"name", called.value("name", "")}, {"arguments", called.value("arguments", "{}")}}}});
}

void LlmProcessor::use_tools(std::uint64_t response) {
    auto calls = std::exchange(tool_calls_, {});
    call_.conversation.add_tool_calls(response, calls);
    const AgentTool* ending = nullptr;
    const AgentTool* transferring = nullptr;
    std::string transfer_call_id, end_call_id;
    for (const auto& call : calls) {
        std::string name = call["function"].value("name", "");
        call_.emit({{"type", "tool_call"},
                    {"name", name},
                    {"arguments", parsed_arguments(call["function"].value("arguments", "{}"))}});
        const AgentTool* tool = find_tool(tools_, name);
        if (tool != nullptr && tool->type == "end_call") {
            ending = tool;
            end_call_id = call.value("id", "");
        }
        if (tool != nullptr && tool->type == "transfer_call") {
            transferring = tool;
            transfer_call_id = call.value("id", "");
        }
    }
    // The words before the call play out first; an answer with no words acts at once.
    bool spoke = !call_.conversation.agent_text(response).empty();
    if (ending != nullptr || transferring != nullptr) {
        last_words_.arm(response,
                        {ending != nullptr ? LastWords::Action::hang_up : LastWords::Action::transfer,
                         transferring != nullptr ? transferring->spec.value("to", "") : "",
                         ending != nullptr ? end_call_id : transfer_call_id});
        if (!spoke) on_response_over(response);
        return;
    }
    run_http_tools(calls);
}

void LlmProcessor::run_http_tools(const std::vector<json>& calls) {
    std::uint64_t round = ++tool_round_;
    for (const auto& call : calls) {
        std::string id = call.value("id", "");
        std::string name = call["function"].value("name", "");
        const AgentTool* tool = find_tool(tools_, name);
        const Provider* runner = call_.setup.http_tool_runner;
        tools_pending_[id] = name;
        if (tool == nullptr || tool->type != "http" || runner == nullptr || !call_.run_blocking) {
            auto result = Frame::make(FrameType::flow_result, 0, 0, call_.now_ns());
            result.code = "tool_result";
            result.response = round;
            result.text = json{{"id", id}, {"content", json{{"error", "no tool named " + name}}.dump()}}.dump();
            on_tool_result(result);
            continue;
        }
        json state = http_tool_step_state(*tool, parsed_arguments(call["function"].value("arguments", "{}")),
                                          call_.setup.variables);
        call_.run_blocking([inbox = inbox_, runner, state = std::move(state), id, round] {
            json content;
            try {
                json actions = step_flow_node(*runner, state);
                content = actions.contains("error")
                              ? json{{"error", actions["error"]}, {"http_status", actions.value("http_status", 0)}}
                              : actions["set_variables"].value("result", json());
            } catch (const std::exception& error) {
                content = json{{"error", error.what()}};
            }
            std::string text = content.is_string() ? content.get<std::string>() : content.dump();
            if (text.size() > kMaxToolResultChars) text = text.substr(0, kMaxToolResultChars) + "...";
            auto result = Frame::make(FrameType::flow_result, 0, 0, 0);
            result.code = "tool_result";
            result.response = round;
            result.text = json{{"id", id}, {"content", text}}.dump();
            inbox->deliver(std::move(result));
        });
    }
}

void LlmProcessor::on_tool_result(const Frame& f) {
    if (f.response != tool_round_) return;  // the caller moved on before it came
    json result = json::parse(f.text, nullptr, false);
    if (!result.is_object()) return;
    std::string id = result.value("id", "");
    auto pending = tools_pending_.find(id);
    if (pending == tools_pending_.end()) return;
    std::string content = result.value("content", "");
    call_.emit({{"type", "tool_result"}, {"name", pending->second}, {"result", parsed_arguments(content)}});
    call_.conversation.add_tool_result(id, content);
    tools_pending_.erase(pending);
    if (!tools_pending_.empty()) return;
    start_response(response_turn_);  // the answer goes on, now knowing the results
    ask(response_turn_);
}

void LlmProcessor::abandon_tools() {
    // Every tool call needs its answer in the conversation before the next turn.
    for (const auto& [id, name] : tools_pending_)
        call_.conversation.add_tool_result(id, R"({"error": "the caller spoke before the result came"})");
    tools_pending_.clear();
    ++tool_round_;
}

void LlmProcessor::keep_call_after_interruption() {
    // A caller who cuts off the goodbye (or the words before a transfer) has
    // more to say: the call goes on, and the LLM learns why.
    std::optional<LastWords::Pending> cancelled = last_words_.pending();
    if (!last_words_.cancel()) return;
    if (!cancelled->tag.empty())
        call_.conversation.add_tool_result(cancelled->tag, R"({"error": "the caller interrupted; the call goes on"})");
    call_.emit({{"type", "error"},
                {"code", "tool_cancelled"},
                {"message", "the caller spoke over the agent's last words: the call was not ended or transferred"},
                {"fatal", false}});
}

void LlmProcessor::on_response_over(std::uint64_t response) {
    auto action = last_words_.take_when_over(response);
    if (!action) return;
    if (action->action == LastWords::Action::hang_up) {
        call_.end_call("agent_hangup", false);
        return;
    }
    transfer(*action);
}

void LlmProcessor::transfer(const LastWords::Pending& action) {
    auto failure = transfer_call(call_, action.target);
    if (!failure) return;
    // The LLM hears why, and tells the caller.
    call_.conversation.add_tool_result(action.tag, json{{"error", *failure}}.dump());
    start_response(response_turn_);
    ask(response_turn_);
}

}  // namespace vox::call::detail
