// The agent's brain: on a final caller transcript, asks the LLM for an answer
// with the conversation so far and streams it on as speakable clauses. Also
// speaks scripted text (the begin message, fillers) through the same path.
// Tokens come back from the provider's threads through inject(), tagged with
// the generation they were asked in, so a barge-in drops them.
#pragma once

#include "agent_tools.hpp"
#include "call_context.hpp"
#include "last_words.hpp"
#include "stage_inbox.hpp"

#include <vox/core/pipeline/frame_processor.hpp>
#include <vox/core/providers/llm_client.hpp>
#include <vox/core/text/clause_splitter.hpp>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace vox::call::detail {

class LlmProcessor : public pipeline::FrameProcessor {
public:
    explicit LlmProcessor(CallContext& call);
    void open();  // throws ProviderError
    void close() noexcept;
    void process(pipeline::Frame frame) override;

    // Says `text` as a response of its own (no LLM). `answer` marks it as the
    // answer a caller turn is owed (the greeting), not a filler.
    void say(const std::string& text, bool counts_as_answer);
    // Dead-air recovery: asks again for the pending answer. False when there is none.
    bool retry();
    // A generation that has spoken and then sends nothing for `stall_ms` is
    // cut: what was said stands, the response ends (periodic, from the session).
    void cut_if_stalled(std::int64_t now_ns, std::uint32_t stall_ms);
    // Agent response `response` is over: a hang-up or transfer the LLM asked
    // for (its end_call / transfer_call tools) happens after its last words.
    void on_response_over(std::uint64_t response);

private:
    void start_response(std::uint64_t turn);
    void ask(std::uint64_t turn);
    void on_token(pipeline::Frame frame);
    void on_done(pipeline::Frame frame);
    void on_error(pipeline::Frame frame);
    void cancel_generation();
    void use_provider(const Provider& provider);
    // Moves on to the next fallback LLM; false when there is none.
    bool switch_provider(const std::string& reason);
    // Ends the response being generated with what was said so far.
    void cut_response();
    void on_tool_call(const pipeline::Frame& frame);
    // The generation ended having called tools: hang up, transfer, or run http tools.
    void use_tools(std::uint64_t response);
    void run_http_tools(const std::vector<nlohmann::json>& calls);
    void on_tool_result(const pipeline::Frame& frame);
    void transfer(const LastWords::Pending& action);
    void abandon_tools();
    void keep_call_after_interruption();
    pipeline::Frame frame(pipeline::FrameType type) const;

    CallContext& call_;
    std::unique_ptr<LlmClient> llm_;
    std::vector<const Provider*> chain_;  // the agent's LLM, then its fallbacks
    std::size_t chain_at_ = 0;
    std::vector<AgentTool> tools_;
    std::vector<nlohmann::json> tool_calls_;            // called by the running generation, OpenAI shape
    std::map<std::string, std::string> tools_pending_;  // http tool calls out, id -> name
    std::uint64_t tool_round_ = 0;                      // results of an older round are dropped
    std::shared_ptr<StageInbox> inbox_ = std::make_shared<StageInbox>();  // http tool results
    LastWords last_words_;  // end_call / transfer_call, after the words said with them (tag: the tool call id)
    text::ClauseSplitter splitter_{{.min_words = 4, .max_chars = 200}};
    std::optional<std::uint64_t> generation_;  // the provider's id of the running generation
    std::uint64_t response_ = 0;               // the response being generated (0: none)
    std::uint64_t response_turn_ = 0;
    bool first_clause_sent_ = false;
    std::int64_t last_token_ns_ = 0;
    int attempts_ = 0;
};

}  // namespace vox::call::detail
