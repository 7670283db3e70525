#include "calls/deadline_timer.hpp"

#include <vox/core/log.hpp>

#include <exception>

namespace vox::host {

DeadlineTimer::DeadlineTimer() : thread_([this] { run(); }) {}

DeadlineTimer::~DeadlineTimer() { stop(); }

DeadlineTimer::Id DeadlineTimer::schedule(std::chrono::milliseconds delay, std::function<void()> fn) {
    std::lock_guard lock(mutex_);
    Id id = next_id_++;
    waiting_.emplace(Clock::now() + delay, std::make_pair(id, std::move(fn)));
    changed_.notify_one();
    return id;
}

bool DeadlineTimer::cancel(Id id) {
    std::lock_guard lock(mutex_);
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it)
        if (it->second.first == id) {
            waiting_.erase(it);
            return true;
        }
    return false;
}

void DeadlineTimer::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
        waiting_.clear();
        changed_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
}

void DeadlineTimer::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (waiting_.empty()) {
            changed_.wait(lock);
            continue;
        }
        auto first = waiting_.begin();
        if (first->first > Clock::now()) {
            changed_.wait_until(lock, first->first);
            continue;
        }
        auto fn = std::move(first->second.second);
        waiting_.erase(first);
        lock.unlock();
        try {
            fn();
        } catch (const std::exception& error) {
            vox::log::error("calls", "a timer callback failed", {{"error", error.what()}});
        }
        lock.lock();
    }
}

}  // namespace vox::host
