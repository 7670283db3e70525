// Who watches which call: the event sockets (EventWatcher) by call id, the
// fan-out of each event to them, and the one reader thread that polls every
// watcher socket (Poco::Net::PollSet) to notice closes and answer pings, and
// that alone closes sockets. No thread is held per watcher.
//
//   auto watcher = hub.adopt(std::move(websocket));   // after the upgrade
//   hub.subscribe("call_...", watcher);                // while the call is live
//   watcher->begin(snapshot_text, /*then_close=*/false);
//   hub.publish("call_...", event);                    // the call's strand
//   hub.end_call("call_...");                          // after call_ended: close 1000
#pragma once

#include "calls/event_watcher.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vox::host {

class EventHub {
public:
    // `send_timeout`: how long a write may wait for a slow watcher before it is dropped.
    explicit EventHub(std::chrono::milliseconds send_timeout = std::chrono::milliseconds(250));
    ~EventHub();  // stop()
    EventHub(const EventHub&) = delete;
    EventHub& operator=(const EventHub&) = delete;

    // Takes an upgraded socket over; the reader thread watches it from now on.
    std::shared_ptr<EventWatcher> adopt(std::unique_ptr<Poco::Net::WebSocket> socket);
    // `watcher` receives the events of `call_id` from now on. Returns the
    // call's transcript so far (its final `transcript` events, as record
    // lines), exactly the ones the watcher will not be sent.
    nlohmann::json subscribe(const std::string& call_id, std::shared_ptr<EventWatcher> watcher);
    // `watcher` receives the events of every call from now on (/ws/events);
    // call ends do not close it.
    void subscribe_all(std::shared_ptr<EventWatcher> watcher);
    // Sends `event` to every watcher of its call and to every hub-wide watcher.
    void publish(const std::string& call_id, const nlohmann::json& event);
    // The call is over: each of its watchers closes with 1000 after what it
    // was sent, and its transcript so far is forgotten.
    void end_call(const std::string& call_id);
    // Closes every socket (1001, going away) and joins the reader. Idempotent.
    void stop();

    // Sockets open (for tests and metrics).
    std::size_t open_sockets() const;

private:
    void run();

    const std::chrono::milliseconds send_timeout_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::string, std::vector<std::shared_ptr<EventWatcher>>> by_call_;
    std::vector<std::shared_ptr<EventWatcher>> every_call_;
    std::map<std::string, nlohmann::json> transcripts_;    // live calls' final transcript lines
    std::vector<std::shared_ptr<EventWatcher>> incoming_;  // adopted, not yet polled
    std::size_t open_ = 0;
    bool stopping_ = false;
    std::thread reader_;  // last: starts once the rest exists
};

}  // namespace vox::host
