#include "calls/event_watcher.hpp"

#include <vox/core/log.hpp>

#include <Poco/Buffer.h>
#include <Poco/Exception.h>

namespace vox::host {
namespace {

constexpr std::size_t kMaxQueued = 1000;               // events waiting for the snapshot
constexpr auto kCloseGrace = std::chrono::seconds(2);  // for the peer's close frame
constexpr int kMaxClientFrame = 64 * 1024;

Poco::Timespan to_timespan(std::chrono::milliseconds duration) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(duration.count()) * 1000);
}

}  // namespace

EventWatcher::EventWatcher(std::unique_ptr<Poco::Net::WebSocket> socket, std::chrono::milliseconds send_timeout)
    : socket_(std::move(socket)) {
    socket_->setSendTimeout(to_timespan(send_timeout));
    // The reader thread reads only when poll says data is there; a frame that
    // stalls half-way is a broken client.
    socket_->setReceiveTimeout(to_timespan(std::chrono::milliseconds(500)));
    socket_->setMaxPayloadSize(kMaxClientFrame);
    socket_->setNoDelay(true);
}

EventWatcher::~EventWatcher() { close_socket(); }

void EventWatcher::deliver(const std::string& text) {
    std::lock_guard lock(mutex_);
    if (state_ == State::buffering) {
        if (queued_.size() < kMaxQueued) queued_.push_back(text);
    } else if (state_ == State::live) {
        send_locked(text, Poco::Net::WebSocket::FRAME_TEXT);
    }
}

void EventWatcher::begin(const std::string& snapshot, bool then_close) {
    std::lock_guard lock(mutex_);
    if (state_ != State::buffering) return;
    state_ = State::live;
    if (!snapshot.empty()) send_locked(snapshot, Poco::Net::WebSocket::FRAME_TEXT);  // /ws/events has none
    if (then_close) {
        queued_.clear();
    } else {
        while (!queued_.empty() && state_ == State::live) {
            send_locked(queued_.front(), Poco::Net::WebSocket::FRAME_TEXT);
            queued_.pop_front();
        }
    }
    if (then_close || finish_requested_) start_close_locked(Poco::Net::WebSocket::WS_NORMAL_CLOSE);
}

void EventWatcher::finish() {
    std::lock_guard lock(mutex_);
    if (state_ == State::buffering)
        finish_requested_ = true;
    else if (state_ == State::live)
        start_close_locked(Poco::Net::WebSocket::WS_NORMAL_CLOSE);
}

void EventWatcher::abort(std::uint16_t code) {
    std::lock_guard lock(mutex_);
    if (state_ == State::buffering || state_ == State::live) start_close_locked(code);
    state_ = State::done;
}

void EventWatcher::send_locked(const std::string& text, int flags) {
    if (socket_closed_) {
        state_ = State::done;
        return;
    }
    try {
        socket_->sendFrame(text.data(), static_cast<int>(text.size()), flags);
    } catch (const Poco::Exception& error) {
        // A timeout leaves a frame half-written: the stream is unusable either way.
        vox::log::debug("events", "dropping an event socket that does not take data", {{"error", error.displayText()}});
        state_ = State::done;
    }
}

void EventWatcher::start_close_locked(std::uint16_t code) {
    if (state_ == State::closing || state_ == State::done) return;
    state_ = State::closing;
    close_deadline_ = Clock::now() + kCloseGrace;
    if (socket_closed_) {
        state_ = State::done;
        return;
    }
    try {
        socket_->shutdown(code);  // sends the close frame; the peer answers with its own
    } catch (const Poco::Exception&) {
        state_ = State::done;
    }
}

void EventWatcher::read() {
    Poco::Buffer<char> buffer(0);
    int flags = 0;
    int received = 0;
    try {
        received = socket_->receiveFrame(buffer, flags);
    } catch (const Poco::Exception&) {
        std::lock_guard lock(mutex_);
        state_ = State::done;
        return;
    }
    int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
    std::lock_guard lock(mutex_);
    if (received == 0 && flags == 0) {  // the peer closed the connection
        state_ = State::done;
    } else if (opcode == Poco::Net::WebSocket::FRAME_OP_CLOSE) {
        // Our close answered, or the peer closing first: answer it, then done.
        if (state_ == State::buffering || state_ == State::live)
            start_close_locked(Poco::Net::WebSocket::WS_NORMAL_CLOSE);
        state_ = State::done;
    } else if (opcode == Poco::Net::WebSocket::FRAME_OP_PING && (state_ == State::live || state_ == State::buffering)) {
        send_locked(std::string(buffer.begin(), buffer.size()),
                    static_cast<int>(Poco::Net::WebSocket::FRAME_FLAG_FIN) |
                        static_cast<int>(Poco::Net::WebSocket::FRAME_OP_PONG));
    }
    // Anything else from the client is ignored (docs/protocol.md section 3).
}

EventWatcher::State EventWatcher::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

bool EventWatcher::close_overdue(Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    return state_ == State::closing && now >= close_deadline_;
}

void EventWatcher::close_socket() {
    std::lock_guard lock(mutex_);
    if (socket_closed_) return;
    socket_closed_ = true;
    state_ = State::done;
    try {
        socket_->close();
    } catch (const Poco::Exception&) {}
}

}  // namespace vox::host
