// One thread serving every media socket: an epoll loop over non-blocking
// sockets, with a wake-up for work posted from other threads and a timer for
// paced output. Handlers (one per connection) run only on this thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace vox::transport_ws {

class Reactor {
public:
    using Clock = std::chrono::steady_clock;
    using TimePoint = Clock::time_point;

    class Handler {
    public:
        virtual ~Handler() = default;
        virtual int fd() const = 0;
        // The socket is readable, writable or failed (epoll event bits).
        virtual void on_events(std::uint32_t events, TimePoint now) = 0;
        // Paced work due by `now`; returns when it next wants to run (TimePoint::max() for never).
        virtual TimePoint service(TimePoint now) = 0;
        // The reactor is stopping: close now.
        virtual void on_shutdown() = 0;
    };

    // Handlers whose service() is due within `slack` of each other run together.
    explicit Reactor(std::chrono::microseconds slack = std::chrono::microseconds(4000));
    ~Reactor();
    Reactor(const Reactor&) = delete;
    Reactor& operator=(const Reactor&) = delete;

    void start();
    // Runs every handler's on_shutdown(), then joins the thread. Idempotent.
    void stop();

    // Any thread: runs `task` on the reactor thread soon. False once stopping.
    bool post(std::function<void()> task);
    // Any thread: runs `handler`'s service() soon (coalesced per handler by the caller).
    bool schedule(std::shared_ptr<Handler> handler);

    // Reactor thread only.
    void add(const std::shared_ptr<Handler>& handler);
    void remove(Handler& handler);
    void want_writable(Handler& handler, bool writable);
    // Makes the next round of service() calls happen by `when` (a handler whose
    // next due time moved earlier outside service()).
    void service_by(TimePoint when) { next_service_ = std::min(next_service_, when); }
    bool on_reactor_thread() const { return std::this_thread::get_id() == thread_id_.load(); }

    std::size_t handler_count() const { return handler_count_.load(); }
    // CPU time the reactor thread has used, in microseconds (refreshed about every second).
    std::uint64_t cpu_us() const { return cpu_us_.load(); }

private:
    void run();
    void run_posted();
    void service_all(TimePoint now);

    std::chrono::microseconds slack_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    std::thread thread_;
    std::atomic<std::thread::id> thread_id_{};
    std::atomic<bool> stopping_{false};
    std::atomic<bool> running_{false};

    std::mutex posted_mutex_;
    std::vector<std::function<void()>> posted_;

    // Reactor thread only.
    std::unordered_map<Handler*, std::shared_ptr<Handler>> handlers_;
    std::vector<Handler*> removed_;
    TimePoint next_service_ = TimePoint::max();
    std::atomic<std::size_t> handler_count_{0};
    std::atomic<std::uint64_t> cpu_us_{0};
};

}  // namespace vox::transport_ws
