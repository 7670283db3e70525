// The call-flow stage, between STT and the LLM, for agents with a flow. It
// walks the flow graph: entering a node runs the node type's step (a
// flow_node provider, called on the blocking pool since a step may call an
// HTTP API) and carries out its actions: say a text, let the LLM speak under
// the node's prompt, listen for the caller (with the grammar the node
// expects), collect keys, set variables, hang up or transfer after the last
// words. When a node is done, its outgoing edges are tried in order (always,
// equation, keyword; llm conditions in one request to the LLM) and the first
// that holds is followed. A listening node whose edges all fail stays and
// asks again. A node without outgoing edges ends the flow: the LLM carries on
// freely when the agent has one, else the agent hangs up.
//
// Every move is a node_transition event; the path and the collected
// variables go on the call record.
#pragma once

#include "call_context.hpp"
#include "last_words.hpp"
#include "flow_router.hpp"
#include "stage_inbox.hpp"

#include <vox/core/flow/flow_graph.hpp>
#include <vox/core/pipeline/frame_processor.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace vox::call::detail {

class FlowProcessor : public pipeline::FrameProcessor {
public:
    FlowProcessor(CallContext& call, flow::FlowGraph graph, boost::asio::any_io_executor blocking);
    ~FlowProcessor() override;
    // Opens the router's LLM session when the agent has an LLM (throws ProviderError).
    void open();
    // No step result or routing answer is delivered after this.
    void close() noexcept;
    // Enters the start node (strand, once the pipeline runs).
    void start();
    void process(pipeline::Frame frame) override;
    // Agent response `response` is over (played, cut off, or silent).
    void on_response_over(std::uint64_t response);
    // Periodic: answer and key-press timeouts, a routing request that hangs.
    void tick(std::int64_t now_ns);

    const nlohmann::json& path() const { return path_; }
    const nlohmann::json& collected() const { return collected_; }

private:

    void enter(const std::string& node_id, const flow::FlowEdge* via);
    void request_step(const std::string& user_text, const std::string& dtmf);
    void on_step(const pipeline::Frame& frame);
    void apply(const nlohmann::json& actions);
    void on_caller_turn(const pipeline::Frame& frame);
    void take_answer(const std::string& text);
    void on_key(char key);
    void follow_edges();
    void on_route(const pipeline::Frame& frame);
    bool extract_with_llm(const nlohmann::json& missing);
    void on_extraction(const pipeline::Frame& frame);
    void stay_in_node();
    void finish_flow(const std::string& why);
    void say(const std::string& text);
    void press(const std::string& keys);
    void generate();
    // Hangs up or transfers once the node's last words have played.
    void after_last_words(LastWords::Pending action);
    void carry_out(const LastWords::Pending& action);
    void stop_listening();
    void fail(const std::string& message);
    std::string system_prompt(const std::string& node_prompt) const;
    nlohmann::json& variables() { return variables_; }

    CallContext& call_;
    flow::FlowGraph graph_;
    boost::asio::any_io_executor blocking_;
    std::shared_ptr<StageInbox> inbox_ = std::make_shared<StageInbox>();  // step results come back here
    std::unique_ptr<FlowRouter> router_;
    std::string base_prompt_;  // the agent's system prompt

    nlohmann::json variables_ = nlohmann::json::object();
    nlohmann::json collected_ = nlohmann::json::object();
    nlohmann::json path_ = nlohmann::json::array();

    const flow::FlowNode* node_ = nullptr;  // the current node (null: the flow is over)
    bool first_step_ = true;
    std::uint64_t step_id_ = 0;   // the step whose result is awaited (0: none)
    bool listening_ = false;      // waiting for the caller's answer
    bool node_listened_ = false;  // the current node took an answer (it may ask again)
    std::string node_said_;       // what the node said, to ask again
    nlohmann::json expect_;       // the answer the node expects (null: any)
    bool grammar_set_ = false;
    std::string pending_answer_;  // an answer not yet complete (digits so far)
    std::int64_t answer_deadline_ns_ = 0;
    bool collecting_keys_ = false;
    std::int64_t key_timeout_ns_ = 0;
    std::int64_t last_key_ns_ = 0;
    std::string pending_keys_;      // pressed while a step was running
    std::string last_user_text_;    // the caller's latest words (keyword conditions)
    int moves_without_caller_ = 0;  // loop guard

    enum class Asking { edges, extraction };
    Asking asking_ = Asking::edges;       // what the LLM request in flight is for
    nlohmann::json extracting_;           // the variables an extraction request asks for
    std::uint64_t route_generation_ = 0;  // an LLM request in flight (0: none)
    std::string route_answer_;
    std::int64_t route_deadline_ns_ = 0;
    std::optional<std::size_t> route_choice_;  // the decided llm edge, by index among the node's llm edges
    bool route_decided_ = false;

    std::set<std::uint64_t> responses_playing_;  // said by the flow, not yet over
    std::uint64_t last_response_ = 0;
    LastWords last_words_;
};

}  // namespace vox::call::detail
