// One event socket (WS /ws/calls/{call_id}) after its upgrade: the snapshot,
// then the call's events, then a close with 1000 (docs/protocol.md section 3).
//
// Writers (the request thread for the snapshot, the call's strand for events)
// send under the watcher's lock with a send timeout: a watcher whose socket
// does not drain is dropped rather than allowed to hold up the call. Events
// that arrive before the snapshot is sent wait in a queue, so the order is
// always snapshot, events, close.
//
// Reading, and closing the socket, belong to the EventHub's reader thread
// alone: writers only change the state, and the reader closes sockets whose
// state says so.
#pragma once

#include <Poco/Net/WebSocket.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

namespace vox::host {

class EventWatcher {
public:
    using Clock = std::chrono::steady_clock;
    enum class State {
        buffering,  // upgraded; the snapshot is not sent yet
        live,       // events are sent as they come
        closing,    // our close frame is sent; waiting for the peer's (until the deadline)
        done,       // to be closed by the reader thread
    };

    EventWatcher(std::unique_ptr<Poco::Net::WebSocket> socket, std::chrono::milliseconds send_timeout);
    ~EventWatcher();

    // --- writers (any thread) ---
    // An event (JSON text) of the call; queued while buffering.
    void deliver(const std::string& text);
    // Sends the snapshot (none when empty), then what was queued; closes afterwards when
    // `then_close` (an ended call) or when finish() came first.
    void begin(const std::string& snapshot, bool then_close);
    // The call ended: close with 1000 once the snapshot and queued events are out.
    void finish();
    // Close at once with `code` (voxd stopping).
    void abort(std::uint16_t code);

    // --- the reader thread ---
    Poco::Net::WebSocket& socket() { return *socket_; }
    // Reads one frame: ignores data, answers pings, notices the peer's close.
    void read();
    State state() const;
    // Past the deadline of its close handshake.
    bool close_overdue(Clock::time_point now) const;
    // Closes the socket (idempotent).
    void close_socket();

private:
    void send_locked(const std::string& text, int flags);
    void start_close_locked(std::uint16_t code);

    mutable std::mutex mutex_;
    std::unique_ptr<Poco::Net::WebSocket> socket_;
    State state_ = State::buffering;
    bool finish_requested_ = false;
    bool socket_closed_ = false;
    std::deque<std::string> queued_;
    Clock::time_point close_deadline_{};
};

}  // namespace vox::host
