#include "calls/post_call_analyzer.hpp"

#include "calls/call_analysis.hpp"
#include "calls/call_refusal.hpp"

#include <vox/core/log.hpp>
#include <vox/core/time.hpp>

namespace vox::host {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

}  // namespace

PostCallAnalyzer::PostCallAnalyzer(storage::Store& store, AgentTurnRunner& runner, Publish publish,
                                   std::chrono::milliseconds timeout, std::size_t queue_limit)
    : store_(store), runner_(runner), publish_(std::move(publish)), timeout_(timeout), queue_limit_(queue_limit) {
    worker_ = std::thread([this] { run(); });
}

PostCallAnalyzer::~PostCallAnalyzer() { shutdown(); }

bool PostCallAnalyzer::submit(const json& record, const json& agent, std::int64_t t_ms) {
    if (!caller_spoke(record.value("transcript", json::array()))) return false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
        if (queue_.size() >= queue_limit_) {
            ++counts_.dropped;
            vox::log::warn("analysis", "the post-call analysis queue is full; the call keeps its offline analysis",
                           {{"call_id", record.value("id", "")}, {"queued", queue_.size()}});
            return false;
        }
        queue_.push_back(Job{record, agent, t_ms, Clock::now()});
    }
    wake_.notify_one();
    return true;
}

void PostCallAnalyzer::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !worker_.joinable()) return;
        stopping_ = true;
        queue_.clear();
    }
    wake_.notify_all();
    runner_.shutdown();  // an analysis waiting on its LLM ends now
    if (worker_.joinable()) worker_.join();
    idle_.notify_all();
}

bool PostCallAnalyzer::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return idle_.wait_for(lock, timeout, [&] { return queue_.empty() && !busy_; });
}

PostCallAnalyzer::Counts PostCallAnalyzer::counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
}

void PostCallAnalyzer::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            busy_ = false;
            idle_.notify_all();
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
            busy_ = true;
        }
        bool analysed = false;
        try {
            analysed = analyse(job);
        } catch (const std::exception& error) {
            vox::log::error("analysis", "post-call analysis failed",
                            {{"call_id", job.record.value("id", "")}, {"error", error.what()}});
        }
        std::lock_guard lock(mutex_);
        ++(analysed ? counts_.analysed : counts_.kept);
    }
}

bool PostCallAnalyzer::analyse(const Job& job) {
    const std::string call_id = job.record.value("id", "");
    // No LLM, or one that answers its own way (a custom LLM server): the offline analysis is the analysis.
    if (!runner_.llm_follows_prompts(job.agent)) return false;
    AgentTestReply reply;
    try {
        reply = runner_.run(analysis_agent(job.agent), analysis_messages(job.record), json::object(), timeout_);
    } catch (const CallRefusal&) {
        return false;  // the agent has no LLM: the offline analysis is the analysis
    } catch (const LlmTurnFailed& error) {
        vox::log::warn("analysis", "the agent's LLM could not analyse the call; it keeps its offline analysis",
                       {{"call_id", call_id}, {"provider", error.provider()}, {"error", error.what()}});
        return false;
    }
    auto analysis = parse_llm_analysis(reply.reply, reply.provider, time::now_iso8601());
    if (!analysis) {
        vox::log::warn("analysis", "the LLM's analysis was not the JSON asked for; the call keeps its offline analysis",
                       {{"call_id", call_id}, {"provider", reply.provider}, {"answer_chars", reply.reply.size()}});
        return false;
    }
    // The LLM may not judge the sentiment; the offline verdict then stands.
    if ((*analysis)["user_sentiment"] == "unknown") {
        if (auto earlier = job.record.find("call_analysis"); earlier != job.record.end() && earlier->is_object())
            (*analysis)["user_sentiment"] = earlier->value("user_sentiment", "unknown");
    }

    auto stored = store_.calls->get(call_id);
    if (!stored) return false;  // deleted since
    (*stored)["call_analysis"] = *analysis;
    (*stored)["sentiment"] = (*analysis)["user_sentiment"];
    if (!store_.calls->replace(*stored)) return false;

    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - job.queued_at).count();
    vox::log::info("analysis", "call analysed",
                   {{"call_id", call_id},
                    {"provider", reply.provider},
                    {"sentiment", (*analysis)["user_sentiment"]},
                    {"ms", waited}});
    if (publish_)
        publish_(call_id, {{"type", "call_analyzed"},
                           {"call_id", call_id},
                           {"t_ms", job.t_ms + waited},
                           {"sentiment", (*analysis)["user_sentiment"]},
                           {"call_analysis", *analysis}});
    return true;
}

}  // namespace vox::host
