// One thread that runs callbacks when their deadline passes (a web call's
// token expiring, a closing socket's grace period). Callbacks run one at a
// time on the timer's thread and must be short.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace vox::host {

class DeadlineTimer {
public:
    using Clock = std::chrono::steady_clock;
    using Id = std::uint64_t;

    DeadlineTimer();
    ~DeadlineTimer();  // stop()
    DeadlineTimer(const DeadlineTimer&) = delete;
    DeadlineTimer& operator=(const DeadlineTimer&) = delete;

    // Runs `fn` once `delay` has passed (unless cancelled first).
    Id schedule(std::chrono::milliseconds delay, std::function<void()> fn);
    // True when it was still waiting (it will not run); false when it ran,
    // is running, or never existed.
    bool cancel(Id id);
    // Drops what is waiting and joins the thread. Idempotent; any thread but the timer's.
    void stop();

private:
    void run();

    std::mutex mutex_;
    std::condition_variable changed_;
    std::multimap<Clock::time_point, std::pair<Id, std::function<void()>>> waiting_;
    Id next_id_ = 1;
    bool stopping_ = false;
    std::thread thread_;  // last: starts once the rest exists
};

}  // namespace vox::host
