#include "reactor.hpp"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <system_error>

namespace vox::transport_ws {
namespace {

std::uint64_t thread_cpu_us() {
    timespec spent{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spent) != 0) return 0;
    return static_cast<std::uint64_t>(spent.tv_sec) * 1'000'000 + static_cast<std::uint64_t>(spent.tv_nsec) / 1000;
}

}  // namespace

Reactor::Reactor(std::chrono::microseconds slack) : slack_(slack) {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0) {
        int error = errno;
        ::close(epoll_fd_);
        throw std::system_error(error, std::generic_category(), "eventfd");
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = nullptr;  // the wake-up
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
}

Reactor::~Reactor() {
    stop();
    ::close(wake_fd_);
    ::close(epoll_fd_);
}

void Reactor::start() {
    if (thread_.joinable()) return;
    stopping_ = false;
    running_ = true;
    thread_ = std::thread([this] { run(); });
}

void Reactor::stop() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
    running_ = false;
}

bool Reactor::post(std::function<void()> task) {
    if (stopping_.load()) return false;
    {
        std::lock_guard lock(posted_mutex_);
        posted_.push_back(std::move(task));
    }
    std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(wake_fd_, &one, sizeof one);
    return true;
}

bool Reactor::schedule(std::shared_ptr<Handler> handler) {
    return post([this, handler = std::move(handler)] {
        auto it = handlers_.find(handler.get());
        if (it == handlers_.end()) return;
        if (std::find(removed_.begin(), removed_.end(), handler.get()) != removed_.end()) return;
        next_service_ = std::min(next_service_, handler->service(Clock::now()));
    });
}

void Reactor::add(const std::shared_ptr<Handler>& handler) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = handler.get();
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, handler->fd(), &event) != 0)
        throw std::system_error(errno, std::generic_category(), "epoll_ctl(ADD)");
    handlers_[handler.get()] = handler;
    handler_count_ = handlers_.size();
    next_service_ = Clock::now();  // let it start its output at once
}

void Reactor::remove(Handler& handler) {
    if (handlers_.find(&handler) == handlers_.end()) return;
    if (std::find(removed_.begin(), removed_.end(), &handler) != removed_.end()) return;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, handler.fd(), nullptr);
    removed_.push_back(&handler);
}

void Reactor::want_writable(Handler& handler, bool writable) {
    epoll_event event{};
    event.events = EPOLLIN | (writable ? EPOLLOUT : 0U);
    event.data.ptr = &handler;
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, handler.fd(), &event);
}

void Reactor::run_posted() {
    std::vector<std::function<void()>> tasks;
    {
        std::lock_guard lock(posted_mutex_);
        tasks.swap(posted_);
    }
    for (auto& task : tasks) task();
}

void Reactor::service_all(TimePoint now) {
    TimePoint next = TimePoint::max();
    // service() may remove its handler (deferred), never add one: iterating is safe.
    for (auto& [raw, handler] : handlers_) {
        if (std::find(removed_.begin(), removed_.end(), raw) != removed_.end()) continue;
        next = std::min(next, handler->service(now));
    }
    next_service_ = next;
}

void Reactor::run() {
    thread_id_ = std::this_thread::get_id();
    pthread_setname_np(pthread_self(), "vox-ws-reactor");
    constexpr int kMaxEvents = 128;
    epoll_event events[kMaxEvents];
    auto cpu_checked = Clock::now();

    while (!stopping_.load()) {
        TimePoint now = Clock::now();
        int timeout_ms = 1000;
        if (next_service_ != TimePoint::max()) {
            auto wait = std::chrono::duration_cast<std::chrono::microseconds>(next_service_ - now).count();
            timeout_ms = wait <= 0 ? 0 : static_cast<int>(std::min<std::int64_t>((wait + 999) / 1000, 1000));
        }
        int ready = epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
        if (ready < 0 && errno != EINTR) break;
        now = Clock::now();
        for (int i = 0; i < ready; ++i) {
            auto* raw = static_cast<Handler*>(events[i].data.ptr);
            if (raw == nullptr) {
                std::uint64_t count = 0;
                [[maybe_unused]] auto got = ::read(wake_fd_, &count, sizeof count);
                continue;
            }
            auto it = handlers_.find(raw);
            if (it == handlers_.end() || std::find(removed_.begin(), removed_.end(), raw) != removed_.end()) continue;
            std::shared_ptr<Handler> keep = it->second;
            keep->on_events(events[i].events, now);
        }
        run_posted();
        now = Clock::now();
        // Every handler is serviced together (a few µs each) whenever the earliest is due.
        if (next_service_ <= now + slack_) service_all(now);
        for (Handler* raw : removed_) handlers_.erase(raw);
        removed_.clear();
        handler_count_ = handlers_.size();

        if (now - cpu_checked >= std::chrono::seconds(1)) {
            cpu_us_ = thread_cpu_us();
            cpu_checked = now;
        }
    }

    run_posted();
    std::vector<std::shared_ptr<Handler>> open;
    for (auto& [raw, handler] : handlers_)
        if (std::find(removed_.begin(), removed_.end(), raw) == removed_.end()) open.push_back(handler);
    for (auto& handler : open) {
        epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, handler->fd(), nullptr);
        handler->on_shutdown();
    }
    handlers_.clear();
    removed_.clear();
    handler_count_ = 0;
    cpu_us_ = thread_cpu_us();
    {
        std::lock_guard lock(posted_mutex_);
        posted_.clear();
    }
}

}  // namespace vox::transport_ws
