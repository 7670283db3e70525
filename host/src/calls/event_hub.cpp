#include "calls/event_hub.hpp"

#include <vox/core/log.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/PollSet.h>

#include <algorithm>

namespace vox::host {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(100);

}  // namespace

EventHub::EventHub(std::chrono::milliseconds send_timeout) : send_timeout_(send_timeout), reader_([this] { run(); }) {}

EventHub::~EventHub() { stop(); }

std::shared_ptr<EventWatcher> EventHub::adopt(std::unique_ptr<Poco::Net::WebSocket> socket) {
    auto watcher = std::make_shared<EventWatcher>(std::move(socket), send_timeout_);
    std::lock_guard lock(mutex_);
    if (stopping_) {
        watcher->abort(Poco::Net::WebSocket::WS_ENDPOINT_GOING_AWAY);
        return watcher;  // closed by its destructor
    }
    incoming_.push_back(watcher);
    ++open_;
    wake_.notify_one();
    return watcher;
}

nlohmann::json EventHub::subscribe(const std::string& call_id, std::shared_ptr<EventWatcher> watcher) {
    std::lock_guard lock(mutex_);
    by_call_[call_id].push_back(std::move(watcher));
    auto it = transcripts_.find(call_id);
    return it != transcripts_.end() ? it->second : nlohmann::json::array();
}

void EventHub::subscribe_all(std::shared_ptr<EventWatcher> watcher) {
    std::lock_guard lock(mutex_);
    every_call_.push_back(std::move(watcher));
}

void EventHub::publish(const std::string& call_id, const nlohmann::json& event) {
    std::vector<std::shared_ptr<EventWatcher>> watchers;
    {
        std::lock_guard lock(mutex_);
        // Forget the ones the reader has given up on.
        auto prune = [](std::vector<std::shared_ptr<EventWatcher>>& list) {
            list.erase(std::remove_if(list.begin(), list.end(),
                                      [](const auto& w) { return w->state() == EventWatcher::State::done; }),
                       list.end());
        };
        if (auto it = by_call_.find(call_id); it != by_call_.end()) {
            prune(it->second);
            watchers = it->second;
        }
        // Kept under the same lock as the watchers are chosen, so that a later
        // watcher gets each line either in its snapshot or as an event, never both.
        if (event.value("type", "") == "transcript" && event.value("final", false)) {
            auto role = event.find("role");
            auto text = event.find("text");
            if (role != event.end() && role->is_string() && text != event.end() && text->is_string() &&
                !text->get_ref<const std::string&>().empty()) {
                auto& lines = transcripts_[call_id];
                if (!lines.is_array()) lines = nlohmann::json::array();
                lines.push_back({{"speaker", *role}, {"text", *text}});
            }
        }
        prune(every_call_);
        watchers.insert(watchers.end(), every_call_.begin(), every_call_.end());
    }
    if (watchers.empty()) return;
    std::string text = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    for (const auto& watcher : watchers) watcher->deliver(text);
}

void EventHub::end_call(const std::string& call_id) {
    std::vector<std::shared_ptr<EventWatcher>> watchers;
    {
        std::lock_guard lock(mutex_);
        transcripts_.erase(call_id);
        auto it = by_call_.find(call_id);
        if (it == by_call_.end()) return;
        watchers = std::move(it->second);
        by_call_.erase(it);
    }
    for (const auto& watcher : watchers) watcher->finish();
}

void EventHub::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !reader_.joinable()) return;
        stopping_ = true;
        by_call_.clear();
        every_call_.clear();
        wake_.notify_one();
    }
    if (reader_.joinable()) reader_.join();
}

std::size_t EventHub::open_sockets() const {
    std::lock_guard lock(mutex_);
    return open_;
}

void EventHub::run() {
    Poco::Net::PollSet polled;
    std::map<poco_socket_t, std::shared_ptr<EventWatcher>> watchers;
    auto release = [&](std::map<poco_socket_t, std::shared_ptr<EventWatcher>>::iterator it) {
        try {
            polled.remove(it->second->socket());
        } catch (const Poco::Exception&) {}
        it->second->close_socket();
        {
            std::lock_guard lock(mutex_);
            --open_;
        }
        return watchers.erase(it);
    };

    while (true) {
        {
            std::unique_lock lock(mutex_);
            if (watchers.empty() && incoming_.empty() && !stopping_)
                wake_.wait_for(lock, kPollInterval, [this] { return stopping_ || !incoming_.empty(); });
            if (stopping_) break;
            for (auto& watcher : incoming_) {
                poco_socket_t fd = watcher->socket().impl()->sockfd();
                polled.add(watcher->socket(), Poco::Net::PollSet::POLL_READ | Poco::Net::PollSet::POLL_ERROR);
                watchers.emplace(fd, std::move(watcher));
            }
            incoming_.clear();
        }
        if (!watchers.empty()) {
            Poco::Net::PollSet::SocketModeMap ready;
            try {
                ready = polled.poll(
                    Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(kPollInterval).count()));
            } catch (const Poco::Exception& error) {
                vox::log::warn("events", "polling event sockets failed", {{"error", error.displayText()}});
            }
            for (const auto& [socket, mode] : ready) {
                auto it = watchers.find(socket.impl()->sockfd());
                if (it != watchers.end()) it->second->read();
            }
        }
        auto now = EventWatcher::Clock::now();
        for (auto it = watchers.begin(); it != watchers.end();) {
            if (it->second->state() == EventWatcher::State::done || it->second->close_overdue(now))
                it = release(it);
            else
                ++it;
        }
    }

    // Stopping: whoever is still watching learns that voxd goes away.
    std::vector<std::shared_ptr<EventWatcher>> left;
    {
        std::lock_guard lock(mutex_);
        left = std::move(incoming_);
        incoming_.clear();
    }
    for (auto& [fd, watcher] : watchers) left.push_back(watcher);
    for (auto& watcher : left) {
        watcher->abort(Poco::Net::WebSocket::WS_ENDPOINT_GOING_AWAY);
        watcher->close_socket();
    }
    std::lock_guard lock(mutex_);
    open_ = 0;
}

}  // namespace vox::host
