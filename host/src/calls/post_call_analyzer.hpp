// Asks an agent's LLM to analyse each ended call (summary, caller sentiment,
// success) and stores the answer in the call's record, off the call path: one
// worker thread and a bounded queue, so a slow or failing LLM delays only the
// analyses, never a call. The record keeps its offline (lexicon) analysis when
// the agent has no LLM, the LLM fails, or its answer cannot be read.
//
//   PostCallAnalyzer analyzer(store, agent_turns, publish, std::chrono::seconds(30));
//   analyzer.submit(record, agent, t_ms_at_end);   // after the record is stored
//   ...
//   analyzer.shutdown();                    // drops what waits, ends what runs
#pragma once

#include "calls/agent_test_turn.hpp"

#include <vox/core/storage/store.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace vox::host {

class PostCallAnalyzer {
public:
    // `publish(call_id, event)` sends call_analyzed to the event sockets.
    using Publish = std::function<void(const std::string& call_id, const nlohmann::json& event)>;
    static constexpr std::size_t kDefaultQueueLimit = 256;

    PostCallAnalyzer(storage::Store& store, AgentTurnRunner& runner, Publish publish, std::chrono::milliseconds timeout,
                     std::size_t queue_limit = kDefaultQueueLimit);
    ~PostCallAnalyzer();  // shutdown()
    PostCallAnalyzer(const PostCallAnalyzer&) = delete;
    PostCallAnalyzer& operator=(const PostCallAnalyzer&) = delete;

    // Queues the stored `record` of an ended call of `agent` (as the call had
    // it); `t_ms` is its call_ended's (the call_analyzed event's t_ms counts on
    // from it). Calls in which the caller said nothing are not queued. False
    // when not queued (also when full or stopping).
    bool submit(const nlohmann::json& record, const nlohmann::json& agent, std::int64_t t_ms);

    // Drops the queue, ends the analysis that runs (through the runner) and joins. Idempotent.
    void shutdown();

    // Waits until nothing is queued or running (tests). False on timeout.
    bool wait_idle(std::chrono::milliseconds timeout);

    struct Counts {
        std::uint64_t analysed = 0;  // stored with method llm
        std::uint64_t kept = 0;      // no LLM, a failure, or an unreadable answer: the lexicon analysis stays
        std::uint64_t dropped = 0;   // the queue was full
    };
    Counts counts() const;

private:
    struct Job {
        nlohmann::json record;
        nlohmann::json agent;
        std::int64_t t_ms = 0;
        std::chrono::steady_clock::time_point queued_at;
    };
    void run();
    // True when the record now has the LLM's analysis.
    bool analyse(const Job& job);

    storage::Store& store_;
    AgentTurnRunner& runner_;
    const Publish publish_;
    const std::chrono::milliseconds timeout_;
    const std::size_t queue_limit_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<Job> queue_;
    bool busy_ = false;
    bool stopping_ = false;
    Counts counts_;
    std::thread worker_;
};

}  // namespace vox::host
