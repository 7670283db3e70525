#include "flow_processor.hpp"

#include "scripted_response.hpp"

#include <vox/core/audio/dtmf.hpp>
#include <vox/core/flow/answer_expectation.hpp>
#include <vox/core/flow/edge_condition.hpp>
#include <vox/core/log.hpp>
#include <vox/core/pipeline/pipeline.hpp>
#include <vox/core/providers/flow_node_client.hpp>

#include <boost/asio/post.hpp>

#include <algorithm>

namespace vox::call::detail {

using nlohmann::json;
using pipeline::Frame;
using pipeline::FrameType;

namespace {
// Node moves in a row without the caller saying anything: beyond this the
// flow is looping (branch -> branch -> ...) and the call ends.
constexpr int kMaxMovesWithoutCaller = 50;
constexpr std::int64_t kRouteTimeoutNs = 8'000'000'000;
constexpr const char* kAskAgainPrefix = "Sorry, I didn't catch that. ";

const char* condition_name(const json& condition) {
    switch (flow::condition_kind(condition)) {
    case flow::ConditionKind::always: return "always";
    case flow::ConditionKind::equation: return "equation";
    case flow::ConditionKind::keyword: return "keyword";
    case flow::ConditionKind::llm: return "llm";
    }
    return "always";
}
}  // namespace

FlowProcessor::FlowProcessor(CallContext& call, flow::FlowGraph graph, boost::asio::any_io_executor blocking)
    : FrameProcessor("flow"), call_(call), graph_(std::move(graph)), blocking_(std::move(blocking)) {
    base_prompt_ = call_.conversation.system_prompt();
    variables_ = graph_.initial_variables();
    for (const auto& [name, value] : call_.setup.variables.items()) variables_[name] = value;
}

FlowProcessor::~FlowProcessor() { close(); }

void FlowProcessor::open() {
    inbox_->open(pipeline(), index());
    if (call_.setup.providers.llm != nullptr)
        router_ = std::make_unique<FlowRouter>(*call_.setup.providers.llm, call_.setup.agent,
                                               [inbox = inbox_](Frame f) { inbox->deliver(std::move(f)); });
}

void FlowProcessor::close() noexcept {
    inbox_->close();
    router_.reset();  // waits for its callbacks
}

void FlowProcessor::start() {
    call_.conversation.set_system_prompt(system_prompt(""));
    enter(graph_.start(), nullptr);
}

std::string FlowProcessor::system_prompt(const std::string& node_prompt) const {
    std::string prompt = base_prompt_;
    for (const std::string& part : {substitute_variables(graph_.global_prompt(), variables_), node_prompt}) {
        if (part.empty()) continue;
        if (!prompt.empty()) prompt += "\n\n";
        prompt += part;
    }
    return prompt;
}

// ---- frames -----------------------------------------------------------------

void FlowProcessor::process(Frame f) {
    switch (f.type) {
    case FrameType::flow_result:
        if (f.code == "step")
            on_step(f);
        else
            on_route(f);
        return;
    case FrameType::transcript:
        if (f.is_final && !f.text.empty() && node_ != nullptr) {
            on_caller_turn(f);
            return;
        }
        break;  // partials go on; after the flow, the LLM converses
    case FrameType::dtmf:
        if (node_ != nullptr && !f.text.empty()) on_key(f.text[0]);
        return;
    case FrameType::interruption: {
        // The caller cut the agent off: whatever the flow was saying is over,
        // including words still on their way to TTS (dropped, never played).
        auto cut = responses_playing_;
        for (std::uint64_t response : cut) on_response_over(response);
        break;
    }
    default: break;
    }
    push(std::move(f));
}

// ---- nodes ------------------------------------------------------------------

void FlowProcessor::enter(const std::string& node_id, const flow::FlowEdge* via) {
    const flow::FlowNode* node = graph_.node(node_id);
    if (node == nullptr) {
        fail("the flow has no node '" + node_id + "'");
        return;
    }
    if (++moves_without_caller_ > kMaxMovesWithoutCaller) {
        fail("the flow moved " + std::to_string(kMaxMovesWithoutCaller) +
             " times without the caller speaking; it loops (last node '" + node_id + "')");
        return;
    }
    json event = {{"type", "node_transition"},
                  {"from_node_id", node_ != nullptr ? json(node_->id) : json()},
                  {"to_node_id", node->id},
                  {"node_type", node->type},
                  {"edge_id", via != nullptr && !via->id.empty() ? json(via->id) : json()},
                  {"condition", via != nullptr ? condition_name(via->condition) : "start"}};
    if (!node->name.empty()) event["node_name"] = node->name;
    call_.emit(std::move(event));
    json step = {{"node_id", node->id}, {"type", node->type}, {"t_ms", (call_.now_ns() - call_.start_ns) / 1'000'000}};
    if (!node->name.empty()) step["name"] = node->name;
    path_.push_back(std::move(step));

    stop_listening();
    node_ = node;
    first_step_ = true;
    node_listened_ = false;
    node_said_.clear();
    collecting_keys_ = false;
    pending_keys_.clear();
    route_decided_ = false;
    route_choice_.reset();
    call_.conversation.set_system_prompt(system_prompt(""));
    request_step(last_user_text_, "");
}

void FlowProcessor::request_step(const std::string& user_text, const std::string& dtmf) {
    auto it = call_.setup.flow_node_types.find(node_->type);
    if (it == call_.setup.flow_node_types.end() || it->second == nullptr) {
        fail("node '" + node_->id + "' has type '" + node_->type + "', which is not loaded");
        return;
    }
    json state = {{"config", node_->config},
                  {"variables", variables_},
                  {"user_text", user_text},
                  {"dtmf", dtmf},
                  {"first", first_step_}};
    first_step_ = false;
    std::uint64_t id = ++step_id_;
    const Provider* provider = it->second;
    boost::asio::post(blocking_, [inbox = inbox_, provider, state = std::move(state), id] {
        auto f = Frame::make(FrameType::flow_result, 0, 0, 0);
        f.code = "step";
        f.response = id;
        try {
            f.text = step_flow_node(*provider, state).dump();
        } catch (const std::exception& error) {
            f.text = json{{"step_failed", error.what()}}.dump();
        }
        inbox->deliver(std::move(f));
    });
}

void FlowProcessor::on_step(const Frame& f) {
    if (f.response != step_id_ || node_ == nullptr) return;  // a step of a node left behind
    step_id_ = 0;
    json actions = json::parse(f.text, nullptr, false);
    if (!actions.is_object()) actions = json{{"step_failed", "the step's answer is not JSON"}};
    apply(actions);
}

void FlowProcessor::apply(const json& actions) {
    // Keys pressed while this step was on its way belong to it only if it collects them.
    if (!actions.contains("collect_digits")) pending_keys_.clear();
    if (actions.contains("step_failed")) {
        call_.emit({{"type", "error"},
                    {"code", "flow_node_failed"},
                    {"node_id", node_->id},
                    {"message", actions["step_failed"].is_string() ? actions["step_failed"].get<std::string>() : ""},
                    {"fatal", false}});
        follow_edges();
        return;
    }
    if (auto error = actions.find("error"); error != actions.end() && error->is_string())
        call_.emit({{"type", "error"},
                    {"code", "flow_node_failed"},
                    {"node_id", node_->id},
                    {"message", error->get<std::string>()},
                    {"fatal", false}});
    if (auto set = actions.find("set_variables"); set != actions.end() && set->is_object())
        for (const auto& [name, value] : set->items()) {
            variables_[name] = value;
            collected_[name] = value;
        }
    // Values the node could not find offline: the agent's LLM, when it has one, reads them from the conversation.
    if (auto missing = actions.find("missing"); missing != actions.end() && extract_with_llm(*missing)) return;
    if (auto text = actions.find("say");
        text != actions.end() && text->is_string() && !text->get<std::string>().empty()) {
        node_said_ = text->get<std::string>();
        say(node_said_);
    }
    if (actions.value("needs", "") == "llm") {
        if (router_ == nullptr) {
            call_.emit({{"type", "error"},
                        {"code", "flow_needs_llm"},
                        {"node_id", node_->id},
                        {"message", "node '" + node_->id + "' asks the LLM to speak, and the agent has no LLM"},
                        {"fatal", false}});
        } else {
            call_.conversation.set_system_prompt(system_prompt(actions.value("prompt", "")));
            generate();
        }
    }
    if (auto keys = actions.find("press_digits"); keys != actions.end() && keys->is_string())
        press(keys->get<std::string>());
    if (actions.value("end_call", false)) {
        after_last_words({LastWords::Action::hang_up, {}, {}});
        return;
    }
    if (auto transfer = actions.find("transfer"); transfer != actions.end() && transfer->is_object()) {
        after_last_words({LastWords::Action::transfer, transfer->value("to", ""), {}});
        return;
    }
    if (auto collect = actions.find("collect_digits"); collect != actions.end() && collect->is_object()) {
        collecting_keys_ = !actions.value("done", true);
        key_timeout_ns_ = collect->value("timeout_ms", 5000LL) * 1'000'000;
        if (last_key_ns_ == 0 || pending_keys_.empty()) last_key_ns_ = call_.now_ns();
        if (collecting_keys_) {
            if (node_said_.empty()) call_.answer_owed_since = 0;  // waiting for keys is not dead air
            if (!pending_keys_.empty()) {
                std::string keys = std::move(pending_keys_);
                pending_keys_.clear();
                request_step("", keys);
            }
            return;
        }
        follow_edges();
        return;
    }
    if (actions.value("listen", false)) {
        listening_ = true;
        node_listened_ = true;
        expect_ = actions.contains("expect") ? actions["expect"] : json();
        if (expect_.is_object() && call_.set_grammar) {
            // A number may come in parts (the caller pauses between groups):
            // each part must be recognisable, the whole is checked here.
            json grammar = expect_;
            if (grammar.value("type", "") == "digits") grammar["min_digits"] = 1;
            grammar_set_ = call_.set_grammar(grammar);
        }
        if (node_said_.empty() && actions.value("needs", "") != "llm") call_.answer_owed_since = 0;
        return;
    }
    if (actions.value("done", true)) {
        follow_edges();
        return;
    }
    request_step(last_user_text_, "");  // a node that works in two steps (say, then call an API)
}

// ---- the caller -----------------------------------------------------------------

void FlowProcessor::on_caller_turn(const Frame& f) {
    call_.conversation.add_user(f.text);
    last_user_text_ = f.text;
    moves_without_caller_ = 0;
    if (!listening_) return;  // the agent is not asking anything right now
    std::string answer = pending_answer_.empty() ? f.text : pending_answer_ + " " + f.text;
    if (!flow::answer_complete(expect_, answer)) {
        // Part of the answer (the first digits of a number): wait for the rest.
        pending_answer_ = answer;
        answer_deadline_ns_ = call_.now_ns() + static_cast<std::int64_t>(call_.setup.answer_wait_ms) * 1'000'000;
        return;
    }
    take_answer(answer);
}

void FlowProcessor::take_answer(const std::string& text) {
    last_user_text_ = text;
    stop_listening();
    call_.answer_owed_since = call_.now_ns();  // the caller is owed what comes next
    request_step(text, "");
}

void FlowProcessor::on_key(char key) {
    // A key pressed as a node is entered (its first step still on its way) is kept for it: callers do not wait.
    if (!collecting_keys_ && step_id_ == 0) return;
    last_key_ns_ = call_.now_ns();
    moves_without_caller_ = 0;
    if (step_id_ != 0) {
        pending_keys_ += key;
        return;
    }
    request_step("", std::string(1, key));
}

void FlowProcessor::stop_listening() {
    listening_ = false;
    pending_answer_.clear();
    answer_deadline_ns_ = 0;
    if (grammar_set_ && call_.set_grammar) call_.set_grammar(json::object());
    grammar_set_ = false;
    expect_ = json();
}

void FlowProcessor::tick(std::int64_t now_ns) {
    // The key timeout runs from the end of the node's prompt, not its start.
    if (collecting_keys_ && responses_playing_.contains(last_response_)) last_key_ns_ = now_ns;
    if (answer_deadline_ns_ != 0 && now_ns >= answer_deadline_ns_ && listening_) {
        std::string answer = std::move(pending_answer_);
        take_answer(answer);  // as much of the answer as the caller gave
    }
    if (collecting_keys_ && step_id_ == 0 && now_ns - last_key_ns_ >= key_timeout_ns_) {
        collecting_keys_ = false;
        follow_edges();
    }
    if (route_generation_ != 0 && now_ns >= route_deadline_ns_) {
        call_.emit({{"type", "error"},
                    {"code", "flow_route_timeout"},
                    {"message", "the LLM did not decide the node's conditions in time; taken as none"},
                    {"fatal", false}});
        router_->cancel(route_generation_);
        route_generation_ = 0;
        if (std::exchange(asking_, Asking::edges) == Asking::extraction) {
            extracting_ = json();
            follow_edges();  // with what was found offline
            return;
        }
        route_decided_ = true;
        route_choice_.reset();
        follow_edges();
    }
}

// ---- edges ------------------------------------------------------------------

void FlowProcessor::follow_edges() {
    if (node_ == nullptr) return;
    const auto& edges = graph_.edges_from(node_->id);
    std::vector<std::string> llm_conditions;
    std::size_t llm_index = 0;
    for (const auto& edge : edges) {
        bool holds = false;
        if (flow::condition_kind(edge.condition) == flow::ConditionKind::llm) {
            if (router_ == nullptr) continue;  // no LLM: such an edge is never taken
            if (!route_decided_) {
                // Ask once for all of the node's llm conditions, then walk again.
                for (const auto& e : edges)
                    if (flow::condition_kind(e.condition) == flow::ConditionKind::llm)
                        llm_conditions.push_back(
                            substitute_variables(e.condition.value("prompt", std::string()), variables_));
                try {
                    route_answer_.clear();
                    asking_ = Asking::edges;
                    route_generation_ = router_->ask(call_.conversation, llm_conditions);
                    route_deadline_ns_ = call_.now_ns() + kRouteTimeoutNs;
                } catch (const ProviderError& error) {
                    call_.emit({{"type", "error"},
                                {"code", "flow_route_failed"},
                                {"message", error.what()},
                                {"fatal", false}});
                    route_decided_ = true;
                    route_choice_.reset();
                    follow_edges();
                }
                return;
            }
            holds = route_choice_ && *route_choice_ == llm_index;
            ++llm_index;
        } else {
            holds = flow::condition_holds(edge.condition, variables_, last_user_text_);
        }
        if (holds) {
            enter(edge.target, &edge);
            return;
        }
    }
    if (node_listened_ && !edges.empty()) {
        stay_in_node();
        return;
    }
    if (node_->type == "end_call" || node_->type == "transfer_call") return;  // ends by itself
    finish_flow(edges.empty() ? "" : "no edge of node '" + node_->id + "' matched");
}

bool FlowProcessor::extract_with_llm(const json& missing) {
    if (router_ == nullptr || !missing.is_array() || missing.empty()) return false;
    json specs = json::array();
    for (const auto& variable : node_->config.value("variables", json::array()))
        if (std::find(missing.begin(), missing.end(), variable.value("name", json())) != missing.end())
            specs.push_back(variable);
    if (specs.empty()) return false;
    try {
        route_answer_.clear();
        route_generation_ = router_->extract(call_.conversation, specs);
        route_deadline_ns_ = call_.now_ns() + kRouteTimeoutNs;
        asking_ = Asking::extraction;
        extracting_ = std::move(specs);
        return true;
    } catch (const ProviderError& error) {
        call_.emit({{"type", "error"}, {"code", "flow_extract_failed"}, {"message", error.what()}, {"fatal", false}});
        return false;
    }
}

void FlowProcessor::on_extraction(const Frame& f) {
    if (f.code == "route_error")
        call_.emit({{"type", "error"}, {"code", "flow_extract_failed"}, {"message", f.text}, {"fatal", false}});
    else {
        const json found = FlowRouter::parse_extraction(route_answer_, extracting_);
        for (auto it = found.begin(); it != found.end(); ++it) {
            variables_[it.key()] = it.value();
            collected_[it.key()] = it.value();
        }
    }
    extracting_ = json();
    follow_edges();
}

void FlowProcessor::on_route(const Frame& f) {
    if (f.response != route_generation_ || route_generation_ == 0) return;
    if (f.code == "route_token") {
        route_answer_ += f.text;
        return;
    }
    if (std::exchange(asking_, Asking::edges) == Asking::extraction) {
        route_generation_ = 0;
        on_extraction(f);
        return;
    }
    route_generation_ = 0;
    route_decided_ = true;
    route_choice_.reset();
    if (f.code == "route_error")
        call_.emit({{"type", "error"}, {"code", "flow_route_failed"}, {"message", f.text}, {"fatal", false}});
    else {
        std::size_t count = 0;
        for (const auto& e : graph_.edges_from(node_->id))
            if (flow::condition_kind(e.condition) == flow::ConditionKind::llm) ++count;
        route_choice_ = FlowRouter::parse_answer(route_answer_, count);
    }
    follow_edges();
}

void FlowProcessor::stay_in_node() {
    // The answer leads nowhere: ask again, in the node's own words (or its LLM's).
    route_decided_ = false;
    route_choice_.reset();
    node_listened_ = true;
    first_step_ = false;
    listening_ = true;
    if (node_->config.contains("prompt") && router_ != nullptr) {
        call_.conversation.set_system_prompt(
            system_prompt(substitute_variables(node_->config.value("prompt", std::string()), variables_)));
        generate();
        return;
    }
    if (!node_said_.empty()) say(kAskAgainPrefix + node_said_);
}

void FlowProcessor::finish_flow(const std::string& why) {
    if (!why.empty()) call_.emit({{"type", "error"}, {"code", "flow_no_edge"}, {"message", why}, {"fatal", false}});
    call_.emit({{"type", "node_transition"},
                {"from_node_id", node_->id},
                {"to_node_id", nullptr},
                {"node_type", nullptr},
                {"edge_id", nullptr},
                {"condition", "end_of_flow"}});
    stop_listening();
    node_ = nullptr;
    call_.conversation.set_system_prompt(system_prompt(""));
    if (router_ != nullptr) {
        // The LLM carries on the conversation, starting with the caller's
        // last words when nothing has answered them yet.
        if (call_.answer_owed_since != 0) generate();
        return;
    }
    after_last_words({LastWords::Action::hang_up, {}, {}});
}

// ---- speaking, hanging up, transferring ----------------------------------------

void FlowProcessor::say(const std::string& text) {
    auto response = scripted_response(call_, text, true, pipeline().generation());
    responses_playing_.insert(response.id);
    last_response_ = response.id;
    for (auto& f : response.frames) push(std::move(f));
}

void FlowProcessor::press(const std::string& keys) {
    // In-band key tones, as agent audio: they reach the far end over any transport.
    auto tones = audio::dtmf_tones(keys, call_.setup.sample_rate);
    if (tones.samples.empty()) return;
    std::uint64_t id = call_.next_response++;
    auto make = [&](FrameType type) {
        auto f = Frame::make(type, call_.turn, pipeline().generation(), call_.now_ns());
        f.response = id;
        f.code = "tones";
        return f;
    };
    push(make(FrameType::response_start));
    const std::size_t per_frame = call_.setup.sample_rate / 50;  // 20 ms, like synthesised speech
    for (std::size_t at = 0; at < tones.samples.size(); at += per_frame) {
        auto f = make(FrameType::output_audio);
        auto end = tones.samples.begin() + static_cast<std::ptrdiff_t>(std::min(at + per_frame, tones.samples.size()));
        f.audio = std::make_shared<const audio::AudioBuffer>(
            audio::AudioBuffer{{tones.samples.begin() + static_cast<std::ptrdiff_t>(at), end}, tones.sample_rate, 1});
        push(std::move(f));
    }
    push(make(FrameType::response_end));
    responses_playing_.insert(id);
    last_response_ = id;
}

void FlowProcessor::generate() {
    auto f = Frame::make(FrameType::transcript, call_.turn, pipeline().generation(), call_.now_ns());
    f.is_final = true;
    f.code = "flow";
    push(std::move(f));
}

void FlowProcessor::after_last_words(LastWords::Pending action) {
    if (last_response_ != 0 && responses_playing_.contains(last_response_)) {
        last_words_.arm(last_response_, std::move(action));
        return;
    }
    carry_out(action);
}

void FlowProcessor::on_response_over(std::uint64_t response) {
    responses_playing_.erase(response);
    if (auto action = last_words_.take_when_over(response)) carry_out(*action);
}

void FlowProcessor::carry_out(const LastWords::Pending& action) {
    if (action.action == LastWords::Action::hang_up) {
        call_.end_call("agent_hangup", false);
        return;
    }
    if (!transfer_call(call_, action.target)) return;
    variables_["transfer_failed"] = true;
    collected_["transfer_failed"] = true;
    if (node_ == nullptr) return;
    // Edges out of a transfer node are where a failed transfer goes on.
    const auto& edges = graph_.edges_from(node_->id);
    for (const auto& edge : edges)
        if (flow::condition_holds(edge.condition, variables_, last_user_text_)) {
            enter(edge.target, &edge);
            return;
        }
    finish_flow("");
}

void FlowProcessor::fail(const std::string& message) {
    vox::log::warn("call", "the call flow cannot go on", {{"call_id", call_.setup.call_id}, {"error", message}});
    call_.emit({{"type", "error"}, {"code", "error_flow"}, {"message", message}, {"fatal", true}});
    node_ = nullptr;
    call_.end_call("error_flow", true);
}

}  // namespace vox::call::detail
