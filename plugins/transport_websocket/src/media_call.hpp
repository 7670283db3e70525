// One web call's media socket (docs/protocol.md section 2): the caller's
// audio, DTMF, marks and hang-up in; the agent's paced audio, "clear" and the
// call's events out.
//
// Threads: the socket is served by the reactor thread only (reads, writes,
// pacing, host callbacks); the host calls play/clear/send_event/hangup from its
// threads, which only touch the state behind `mutex_` and ask the reactor to
// run service(). Host callbacks are never made with `mutex_` held.
//
// Lifetime of the host's handle: from on_call_started until on_call_ended has
// returned (the transport ended the call) or hangup() has returned (the host
// ended it); the transport keeps the object alive at least that long.
#pragma once

#include "expected_callers.hpp"
#include "playout.hpp"
#include "reactor.hpp"
#include "ws_frame.hpp"

#include <vox/sdk/host.hpp>
#include <vox/sdk/transport.hpp>

#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace vox::transport_ws {

class MediaCall;

// What a call needs from its transport.
struct CallEnvironment {
    sdk::TransportSink sink;
    sdk::Host host;
    std::shared_ptr<Reactor> reactor;
    std::chrono::milliseconds idle_timeout{15000};
    // Reactor thread, once the socket is closed: the transport forgets the call.
    std::function<void(const std::shared_ptr<MediaCall>&)> on_finished;
};

class MediaCall final : public sdk::TransportCall,
                        public Reactor::Handler,
                        public std::enable_shared_from_this<MediaCall> {
public:
    // `socket`: the upgraded connection; `leftover`: bytes the HTTP server had
    // already read past the upgrade request (the client's first frames).
    MediaCall(CallEnvironment environment, ExpectedCaller caller, const Poco::Net::StreamSocket& socket,
              std::string leftover);
    ~MediaCall() override;

    // sdk::TransportCall: host threads.
    void play(std::uint64_t context, const vox_audio& audio) override;
    std::uint32_t clear(std::uint64_t context) noexcept override;
    void hangup(std::string_view reason) override;
    void send_event(std::string_view event_json) override;

    // Reactor::Handler: reactor thread.
    int fd() const override { return fd_; }
    void on_events(std::uint32_t events, TimePoint now) override;
    TimePoint service(TimePoint now) override;
    void on_shutdown() override;

    // Reactor thread, right after Reactor::add: reports the call to the host.
    void begin(TimePoint now);

    const std::string& call_id() const { return caller_.call_id; }

private:
    enum class Phase {
        open,       // media flows
        closing,    // our close frame is queued; flushing it
        lingering,  // close frame sent and our side shut down; waiting for the client to close
        closed
    };

    void read_some(TimePoint now);
    void process_messages(TimePoint now);
    bool client_closed();  // closing: whether the client's close frame (or garbage) came
    void handle_text(const std::string& text, TimePoint now);
    void handle_audio(const std::string& payload);
    void send_error(const std::string& code, const std::string& message, TimePoint now);
    void queue(std::string bytes);
    void flush(TimePoint now);
    // Ends the call on the caller's side: reports it to the host (unless the
    // host ended it) and closes with `code`.
    void end_by_caller(const char* reason, std::uint16_t code, const std::string& close_reason, TimePoint now);
    // The connection is gone (reset, EOF without a close, write failure).
    void lost(const std::string& why);
    void report_end(const char* reason);
    void begin_close(std::uint16_t code, const std::string& reason, TimePoint now);
    void finish();
    void kick();
    std::int64_t t_ms(TimePoint now) const;

    CallEnvironment env_;
    const ExpectedCaller caller_;
    Poco::Net::StreamSocket socket_;  // owns the file descriptor
    const int fd_;
    std::string leftover_;

    // Reactor thread only.
    FrameDecoder decoder_{64 * 1024};
    std::string out_;
    std::size_t out_offset_ = 0;
    bool want_write_ = false;
    Phase phase_ = Phase::open;
    TimePoint started_at_{};
    TimePoint last_received_{};
    TimePoint close_deadline_{};
    bool end_reported_ = false;
    std::vector<std::int16_t> samples_;
    std::vector<std::int16_t> frames_;
    std::vector<PlayedReport> reports_;

    // Shared with the host's threads.
    std::mutex mutex_;
    Playout playout_;
    std::vector<std::string> texts_;           // encoded text frames, in order
    std::optional<std::string> hangup_reason_;  // the host hung up; close after texts_
    bool gone_ = false;                         // no more play/send_event
    TimePoint overflow_logged_{};
    std::atomic<bool> released_{false};  // the host hung up: no more callbacks
    std::atomic<bool> kick_pending_{false};
    std::atomic<std::uint32_t> client_played_ms_{0};  // the client's last mark
};

}  // namespace vox::transport_ws
