#include "llm_processor.hpp"

#include "scripted_response.hpp"

#include <vox/core/log.hpp>
#include <vox/core/pipeline/pipeline.hpp>

namespace vox::call::detail {

using pipeline::Frame;
using pipeline::FrameType;

namespace {
constexpr int kMaxAttempts = 2;  // a failed request is asked once more
}

LlmProcessor::LlmProcessor(CallContext& call) : FrameProcessor("llm"), call_(call) {}

void LlmProcessor::open() {
    if (call_.setup.providers.llm == nullptr) return;
    tools_ = agent_tools(call_.setup.agent);
    inbox_->open(pipeline(), index());
    chain_ = {call_.setup.providers.llm};
    for (const Provider* fallback : call_.setup.providers.llm_fallbacks)
        if (fallback != nullptr) chain_.push_back(fallback);
    use_provider(*chain_.front());
}

void LlmProcessor::use_provider(const Provider& provider) {
    // Every callback becomes a frame on this stage, carrying the provider's
    // generation id in `response`; the strand compares it with the running one,
    // so tokens of a cancelled request die there.
    auto inject = [&pipe = pipeline(), self = index(), now = call_.now_ns](
                      FrameType type, const char* code, std::uint64_t generation, std::string_view text) {
        auto f = Frame::make(type, 0, 0, now());
        f.code = code;
        f.response = generation;
        f.text = text;
        pipe.inject(self, std::move(f));
    };
    llm_ = std::make_unique<LlmClient>(
        provider,
        LlmCallbacks{
            .on_token = [inject](
                            std::uint64_t generation,
                            std::string_view text) { inject(FrameType::response_text, "token", generation, text); },
            .on_tool_call =
                [inject](std::uint64_t generation, const LlmToolCall& call) {
                    nlohmann::json called = {{"id", call.id}, {"name", call.name}, {"arguments", call.arguments_json}};
                    inject(FrameType::response_text, "tool_call", generation, called.dump());
                },
            .on_done = [inject](
                           std::uint64_t generation,
                           std::string_view reason) { inject(FrameType::response_end, "llm", generation, reason); },
            .on_error =
                [inject](std::uint64_t generation, const ProviderError& error) {
                    inject(FrameType::error, "llm", generation, error.what());
                }});
}

void LlmProcessor::close() noexcept {
    inbox_->close();
    cancel_generation();
    llm_.reset();  // waits for the cancelled generations to end
}

Frame LlmProcessor::frame(FrameType type) const {
    auto f =
        Frame::make(type, response_turn_, const_cast<LlmProcessor*>(this)->pipeline().generation(), call_.now_ns());
    f.response = response_;
    return f;
}

void LlmProcessor::process(Frame f) {
    switch (f.type) {
    case FrameType::transcript: {
        // code "flow": the call flow has put the caller's words (if any) into
        // the conversation already and asks for an answer under its prompt.
        bool from_flow = f.code == "flow";
        if (!f.is_final || (f.text.empty() && !from_flow)) return;
        if (response_ != 0) {
            // The caller spoke again before the answer played: answer both at once.
            pipeline().interrupt(index(), f.turn, f.time_ns);
            cancel_generation();
            response_ = 0;
        }
        abandon_tools();  // the caller moved on: tool results still out are not waited for
        if (!from_flow) call_.conversation.add_user(f.text);
        call_.answer_owed_since = f.time_ns;
        start_response(f.turn);
        ask(f.turn);
        return;
    }
    case FrameType::response_text:
        if (f.code == "token") {
            on_token(std::move(f));
            return;
        }
        if (f.code == "tool_call") {
            on_tool_call(f);
            return;
        }
        push(std::move(f));
        return;
    case FrameType::flow_result:
        if (f.code == "tool_result") {
            on_tool_result(f);
            return;
        }
        push(std::move(f));
        return;
    case FrameType::response_end:
        if (f.code == "llm") {
            on_done(std::move(f));
            return;
        }
        push(std::move(f));
        return;
    case FrameType::error:
        if (f.code == "llm") {
            on_error(std::move(f));
            return;
        }
        push(std::move(f));
        return;
    case FrameType::interruption:
        cancel_generation();
        splitter_.reset();
        tool_calls_.clear();
        keep_call_after_interruption();
        response_ = 0;
        push(std::move(f));
        return;
    default: push(std::move(f)); return;
    }
}

void LlmProcessor::start_response(std::uint64_t turn) {
    response_ = call_.next_response++;
    last_token_ns_ = 0;
    response_turn_ = turn;
    first_clause_sent_ = false;
    attempts_ = 0;
    splitter_.reset();
    call_.conversation.begin_agent(response_);
    push(frame(FrameType::response_start));
}

void LlmProcessor::ask(std::uint64_t turn) {
    if (!llm_) {
        call_.emit(
            {{"type", "error"}, {"code", "error_llm"}, {"message", "the agent has no LLM provider"}, {"fatal", true}});
        call_.end_call("error_llm", true);
        return;
    }
    const auto& agent = call_.setup.agent;
    const auto& settings = agent.contains("settings") ? agent["settings"] : nlohmann::json::object();
    nlohmann::json request = {{"messages", call_.conversation.messages()},
                              {"temperature", settings.value("temperature", 0.7)},
                              {"max_tokens", settings.value("max_tokens", 256)}};
    if (agent.contains("model") && agent["model"].is_string()) request["model"] = agent["model"];
    if (!tools_.empty()) request["tools"] = openai_tools(tools_);
    tool_calls_.clear();
    call_.turns[turn].llm_start = call_.now_ns();
    ++attempts_;
    try {
        generation_ = llm_->start(request);
    } catch (const ProviderError& error) {
        auto f = frame(FrameType::error);
        f.text = error.what();
        generation_.reset();
        on_error(std::move(f));
    }
}

void LlmProcessor::on_token(Frame f) {
    if (!generation_ || f.response != *generation_ || response_ == 0) return;  // cancelled
    TurnTimes& times = call_.turns[response_turn_];
    if (times.llm_first_token == 0) times.llm_first_token = f.time_ns;
    last_token_ns_ = f.time_ns;
    for (auto& clause : splitter_.push(f.text)) {
        call_.conversation.append_agent(response_, clause);
        auto out = frame(FrameType::response_text);
        out.text = std::move(clause);
        push(std::move(out));
        first_clause_sent_ = true;
    }
}

void LlmProcessor::on_done(Frame f) {
    if (!generation_ || f.response != *generation_ || response_ == 0) return;
    generation_.reset();
    std::string rest = splitter_.flush();
    if (!rest.empty()) {
        call_.conversation.append_agent(response_, rest);
        auto out = frame(FrameType::response_text);
        out.text = std::move(rest);
        push(std::move(out));
    }
    push(frame(FrameType::response_end));
    std::uint64_t response = std::exchange(response_, 0);
    if (!tool_calls_.empty()) use_tools(response);
}

void LlmProcessor::on_error(Frame f) {
    if (f.code == "llm" && (!generation_ || f.response != *generation_)) return;  // a cancelled request
    generation_.reset();
    if (switch_provider(f.text)) {
        if (!first_clause_sent_) {
            ask(response_turn_);  // the same turn, answered by the fallback
            return;
        }
        // Mid-answer: what was said stands; the next turns go to the fallback.
        cut_response();
        return;
    }
    bool fatal = attempts_ >= kMaxAttempts || first_clause_sent_;
    call_.emit({{"type", "error"}, {"code", "error_llm"}, {"message", f.text}, {"fatal", fatal}});
    vox::log::warn("call", "LLM request failed", {{"call_id", call_.setup.call_id}, {"error", f.text}});
    if (!fatal) {
        ask(response_turn_);
        return;
    }
    call_.end_call("error_llm", true);
}

void LlmProcessor::cancel_generation() {
    if (generation_ && llm_) llm_->cancel(*generation_);
    generation_.reset();
}

void LlmProcessor::say(const std::string& text, bool counts_as_answer) {
    // A response of its own, beside any generation in progress (a filler plays
    // while the real answer is still being generated).
    for (auto& f : scripted_response(call_, text, counts_as_answer, pipeline().generation()).frames) push(std::move(f));
}

bool LlmProcessor::switch_provider(const std::string& reason) {
    if (chain_at_ + 1 >= chain_.size()) return false;
    const Provider& from = *chain_[chain_at_];
    const Provider& to = *chain_[++chain_at_];
    call_.record_switch("llm", from, to, reason);
    use_provider(to);  // the failed client's generations have ended: replacing it waits for nothing long
    attempts_ = 0;
    return true;
}

void LlmProcessor::cut_if_stalled(std::int64_t now_ns, std::uint32_t stall_ms) {
    if (!generation_ || response_ == 0 || last_token_ns_ == 0) return;
    if (now_ns - last_token_ns_ < static_cast<std::int64_t>(stall_ms) * 1'000'000) return;
    vox::log::warn("call", "LLM stream stalled mid-answer; cutting it", {{"call_id", call_.setup.call_id}});
    call_.emit({{"type", "error"},
                {"code", "error_llm"},
                {"message", "the LLM stopped sending mid-answer; the answer was cut short"},
                {"fatal", false}});
    cancel_generation();
    cut_response();
}

void LlmProcessor::cut_response() {
    std::string rest = splitter_.flush();
    if (!rest.empty()) {
        call_.conversation.append_agent(response_, rest);
        auto out = frame(FrameType::response_text);
        out.text = std::move(rest);
        push(std::move(out));
    }
    push(frame(FrameType::response_end));
    response_ = 0;
}

bool LlmProcessor::retry() {
    if (response_ == 0 || first_clause_sent_ || !llm_) return false;
    cancel_generation();
    attempts_ = 0;
    ask(response_turn_);
    return true;
}

}  // namespace vox::call::detail
