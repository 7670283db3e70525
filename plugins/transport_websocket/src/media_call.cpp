#include "media_call.hpp"

#include <nlohmann/json.hpp>

#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

namespace vox::transport_ws {
namespace {

static_assert(std::endian::native == std::endian::little, "PCM s16le is copied as is");

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kMaxReadPerEvent = 256 * 1024;         // then let other sockets have a turn
constexpr std::size_t kMaxUnsent = 4 * 1024 * 1024;          // a client that does not read: gone
constexpr auto kCloseTimeout = std::chrono::milliseconds(2000);  // flushing and lingering after a close
constexpr auto kOverflowLogEvery = std::chrono::seconds(10);

std::string text_frame(const nlohmann::json& message) {
    return encode_frame(Opcode::text, message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

bool is_dtmf_digit(char c) { return std::strchr("0123456789*#ABCD", c) != nullptr && c != '\0'; }

}  // namespace

MediaCall::MediaCall(CallEnvironment environment, ExpectedCaller caller, const Poco::Net::StreamSocket& socket,
                     std::string leftover)
    : env_(std::move(environment)),
      caller_(std::move(caller)),
      socket_(socket),
      fd_(socket_.impl()->sockfd()),
      leftover_(std::move(leftover)),
      playout_(PlayoutOptions{caller_.sample_rate}) {
    socket_.setBlocking(false);
    socket_.setNoDelay(true);
}

MediaCall::~MediaCall() {
    if (phase_ != Phase::closed) {
        try {
            socket_.close();
        } catch (...) {
        }
    }
}

// ---- the host's side ------------------------------------------------------

void MediaCall::play(std::uint64_t context, const vox_audio& audio) {
    if (audio.channels != 1 || audio.sample_rate != caller_.sample_rate)
        throw sdk::Error(VOX_ERR_UNSUPPORTED, "play needs mono PCM at the call's rate (" +
                                                  std::to_string(caller_.sample_rate) + " Hz), got " +
                                                  std::to_string(audio.channels) + " channel(s) at " +
                                                  std::to_string(audio.sample_rate) + " Hz");
    bool start = false;
    std::uint32_t dropped = 0;
    {
        std::lock_guard lock(mutex_);
        if (gone_) throw sdk::Error(VOX_ERR_UNAVAILABLE, "the call has ended");
        start = playout_.idle();
        dropped = playout_.push(context, audio.samples, audio.frames);
        if (dropped > 0) {
            auto now = Clock::now();
            if (now - overflow_logged_ < kOverflowLogEvery) dropped = 0;
            else overflow_logged_ = now;
        }
    }
    if (dropped > 0)
        env_.host.warn("transport.websocket: call " + caller_.call_id + ": more than 30 s of agent audio queued; dropped the oldest " +
                       std::to_string(dropped) + " ms");
    if (start) kick();
}

std::uint32_t MediaCall::clear(std::uint64_t context) noexcept {
    std::uint32_t played = 0;
    try {
        {
            std::lock_guard lock(mutex_);
            if (gone_) return 0;
            played = playout_.clear(context, Clock::now());
            texts_.push_back(text_frame({{"type", "clear"}}));
        }
        kick();
    } catch (...) {
    }
    return played;
}

void MediaCall::send_event(std::string_view event_json) {
    auto event = nlohmann::json::parse(event_json, nullptr, false);
    if (event.is_discarded() || !event.is_object() || !event.contains("type") || !event["type"].is_string())
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "an event must be a JSON object with a string \"type\"");
    std::string frame;
    if (event["type"] == "call_started") {
        // The media format is the transport's to state (docs/protocol.md 2.1).
        if (!event.contains("call_id")) event["call_id"] = caller_.call_id;
        if (!event.contains("sample_rate")) event["sample_rate"] = caller_.sample_rate;
        if (!event.contains("encoding")) event["encoding"] = "pcm_s16le";
        if (!event.contains("channels")) event["channels"] = 1;
        frame = text_frame(event);
    } else {
        frame = encode_frame(Opcode::text, event_json);
    }
    {
        std::lock_guard lock(mutex_);
        if (gone_) throw sdk::Error(VOX_ERR_UNAVAILABLE, "the call has ended");
        texts_.push_back(std::move(frame));
    }
    kick();
}

void MediaCall::hangup(std::string_view reason) {
    {
        std::lock_guard lock(mutex_);
        if (gone_) return;  // already over
        gone_ = true;
        released_ = true;
        playout_.reset();
        hangup_reason_ = std::string(reason.substr(0, 100));
    }
    kick();
}

void MediaCall::kick() {
    if (kick_pending_.exchange(true)) return;
    if (!env_.reactor->schedule(shared_from_this())) kick_pending_ = false;
}

// ---- the reactor's side ---------------------------------------------------

std::int64_t MediaCall::t_ms(TimePoint now) const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now - started_at_).count();
}

void MediaCall::begin(TimePoint now) {
    started_at_ = now;
    last_received_ = now;
    nlohmann::json details = {{"call_id", caller_.call_id},
                              {"sample_rate", caller_.sample_rate},
                              {"direction", "web"},
                              {"encoding", "pcm_s16le"},
                              {"channels", 1}};
    try {
        details["remote_address"] = socket_.peerAddress().toString();
    } catch (...) {
    }
    if (!released_) env_.sink.call_started(*this, details.dump());
    if (!leftover_.empty()) {
        decoder_.feed(leftover_.data(), leftover_.size());
        leftover_.clear();
        process_messages(now);
    }
}

void MediaCall::on_events(std::uint32_t events, TimePoint now) {
    if (phase_ == Phase::closed) return;
    if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) read_some(now);
    if (phase_ != Phase::closed && (events & EPOLLOUT) != 0) flush(now);
}

void MediaCall::read_some(TimePoint now) {
    char buffer[kReadChunk];
    std::size_t total = 0;
    while (phase_ != Phase::closed && total < kMaxReadPerEvent) {
        ssize_t n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) {
            total += static_cast<std::size_t>(n);
            last_received_ = now;
            decoder_.feed(buffer, static_cast<std::size_t>(n));
            if (phase_ == Phase::open) {
                process_messages(now);
            } else if (client_closed()) {  // the answer to our close: the handshake is complete
                finish();
                return;
            }
            continue;
        }
        if (n == 0) {  // the client closed its side
            if (phase_ == Phase::open) lost("the client closed the connection without a close frame");
            else finish();
            return;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return;
        if (phase_ == Phase::open) lost(std::string("socket error: ") + std::strerror(errno));
        else finish();
        return;
    }
}

bool MediaCall::client_closed() {
    // After our close frame only the client's close matters; anything else is dropped.
    for (;;) {
        FrameDecoder::Result result = decoder_.next();
        if (result.status != FrameDecoder::Status::message) return result.status == FrameDecoder::Status::error;
        if (result.message.opcode == Opcode::close) return true;
    }
}

void MediaCall::process_messages(TimePoint now) {
    while (phase_ == Phase::open) {
        FrameDecoder::Result result = decoder_.next();
        if (result.status == FrameDecoder::Status::need_more) break;
        if (result.status == FrameDecoder::Status::error) {
            env_.host.info("transport.websocket: call " + caller_.call_id + ": " + result.error);
            end_by_caller("error_transport", result.close_code, result.error, now);
            return;
        }
        Message& message = result.message;
        switch (message.opcode) {
        case Opcode::binary: handle_audio(message.payload); break;
        case Opcode::text:
            if (!is_valid_utf8(message.payload)) {
                end_by_caller("error_transport", close_code::not_acceptable, "text frame is not UTF-8", now);
                return;
            }
            handle_text(message.payload, now);
            break;
        case Opcode::ping: queue(encode_frame(Opcode::pong, message.payload)); break;
        case Opcode::pong: break;
        case Opcode::close: {
            std::uint16_t code = close_code_of(message.payload);
            bool echo = code >= 1000 && code < 5000 && code != close_code::no_status && code != 1006 && code != 1015;
            end_by_caller("user_hangup", echo ? code : close_code::normal, "", now);
            return;
        }
        case Opcode::continuation: break;  // never a whole message
        }
    }
    if (phase_ == Phase::open) flush(now);  // pongs and error events
}

void MediaCall::handle_audio(const std::string& payload) {
    const std::size_t bytes_per_ms = caller_.sample_rate * 2 / 1000;
    const std::size_t min_bytes = bytes_per_ms * 10;
    const std::size_t max_bytes = bytes_per_ms * 200;
    if (payload.size() % 2 != 0 || payload.size() < min_bytes || payload.size() > max_bytes) {
        send_error("bad_audio_frame",
                   "audio frame of " + std::to_string(payload.size()) + " bytes dropped: frames hold 10 to 200 ms of " +
                       "PCM s16le mono at " + std::to_string(caller_.sample_rate) + " Hz, an even " +
                       std::to_string(min_bytes) + " to " + std::to_string(max_bytes) + " bytes",
                   Clock::now());
        return;
    }
    samples_.resize(payload.size() / 2);
    std::memcpy(samples_.data(), payload.data(), payload.size());
    if (!released_) env_.sink.audio(*this, samples_.data(), samples_.size(), caller_.sample_rate);
}

void MediaCall::handle_text(const std::string& text, TimePoint now) {
    auto message = nlohmann::json::parse(text, nullptr, false);
    if (message.is_discarded() || !message.is_object()) {
        send_error("bad_message", "not a JSON object", now);
        return;
    }
    std::string type = message.contains("type") && message["type"].is_string() ? message["type"].get<std::string>() : "";
    if (type == "dtmf") {
        const auto digit = message.find("digit");
        if (digit == message.end() || !digit->is_string() || digit->get<std::string>().size() != 1 ||
            !is_dtmf_digit(digit->get<std::string>()[0])) {
            send_error("bad_message", "dtmf needs \"digit\": one of 0-9, *, #, A-D", now);
            return;
        }
        if (!released_) env_.sink.dtmf(*this, digit->get<std::string>()[0]);
    } else if (type == "mark") {
        const auto played = message.find("played_ms");
        if (played == message.end() || !played->is_number_unsigned()) {
            send_error("bad_message", "mark needs \"played_ms\": a whole number of ms", now);
            return;
        }
        client_played_ms_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(played->get<std::uint64_t>(), UINT32_MAX));
    } else if (type == "hangup") {
        end_by_caller("user_hangup", close_code::normal, "user_hangup", now);
    } else {
        send_error("bad_message",
                   type.empty() ? "a message needs a string \"type\"" : "unknown message type '" + type.substr(0, 40) +
                                                                          "' (dtmf, mark, hangup)",
                   now);
    }
}

void MediaCall::send_error(const std::string& code, const std::string& message, TimePoint now) {
    queue(text_frame({{"type", "error"},
                      {"call_id", caller_.call_id},
                      {"t_ms", t_ms(now)},
                      {"code", code},
                      {"message", message},
                      {"fatal", false}}));
    flush(now);
}

TimePoint MediaCall::service(TimePoint now) {
    kick_pending_ = false;
    if (phase_ == Phase::closed) return TimePoint::max();
    if (phase_ != Phase::open) {
        if (now >= close_deadline_) finish();
        return phase_ == Phase::closed ? TimePoint::max() : close_deadline_;
    }
    if (now - last_received_ >= env_.idle_timeout) {
        end_by_caller("error_transport", close_code::normal, "no data from the client", now);
        return close_deadline_;
    }

    std::optional<std::string> hangup;
    TimePoint due = TimePoint::max();
    frames_.clear();
    reports_.clear();
    {
        std::lock_guard lock(mutex_);
        for (auto& text : texts_) queue(std::move(text));
        texts_.clear();
        if (hangup_reason_) {
            hangup = std::move(hangup_reason_);
            hangup_reason_.reset();
        } else {
            playout_.pump(now, frames_, reports_);
            due = playout_.next_due();
        }
    }
    const std::size_t frame = playout_.frame_samples();  // fixed at construction
    for (std::size_t at = 0; at + frame <= frames_.size(); at += frame)
        queue(encode_frame(Opcode::binary, std::string_view(reinterpret_cast<const char*>(frames_.data() + at),
                                                            frame * sizeof(std::int16_t))));
    if (hangup) {
        begin_close(close_code::normal, *hangup, now);
    } else {
        flush(now);
    }
    for (const auto& report : reports_) {
        if (released_ || phase_ == Phase::closed) break;
        env_.sink.played(*this, report.context, report.played_ms);
    }
    if (phase_ == Phase::closed) return TimePoint::max();
    if (phase_ != Phase::open) return close_deadline_;
    return std::min(due, last_received_ + env_.idle_timeout);
}

void MediaCall::queue(std::string bytes) {
    if (out_.empty()) {
        out_ = std::move(bytes);
        out_offset_ = 0;
    } else {
        out_ += bytes;
    }
}

void MediaCall::flush(TimePoint now) {
    while (out_offset_ < out_.size()) {
        ssize_t n = ::send(fd_, out_.data() + out_offset_, out_.size() - out_offset_, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            out_offset_ += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (phase_ == Phase::open) lost(std::string("cannot send: ") + std::strerror(errno));
        else finish();
        return;
    }
    if (out_offset_ == out_.size()) {
        out_.clear();
        out_offset_ = 0;
        if (want_write_) {
            want_write_ = false;
            env_.reactor->want_writable(*this, false);
        }
        if (phase_ == Phase::closing) {
            // Our close frame is out: shut our side and let the client close (no reset on unread data).
            ::shutdown(fd_, SHUT_WR);
            phase_ = Phase::lingering;
            close_deadline_ = now + kCloseTimeout;
            env_.reactor->service_by(close_deadline_);
        }
        return;
    }
    if (out_offset_ > 64 * 1024) {
        out_.erase(0, out_offset_);
        out_offset_ = 0;
    }
    if (out_.size() - out_offset_ > kMaxUnsent && phase_ == Phase::open) {
        lost("the client does not read (more than 4 MiB unsent)");
        return;
    }
    if (!want_write_) {
        want_write_ = true;
        env_.reactor->want_writable(*this, true);
    }
}

void MediaCall::report_end(const char* reason) {
    if (end_reported_) return;
    end_reported_ = true;
    {
        std::lock_guard lock(mutex_);
        gone_ = true;
        playout_.reset();
        texts_.clear();
    }
    if (!released_) env_.sink.call_ended(*this, reason);
}

void MediaCall::end_by_caller(const char* reason, std::uint16_t code, const std::string& close_reason, TimePoint now) {
    report_end(reason);
    begin_close(code, close_reason, now);
}

void MediaCall::lost(const std::string& why) {
    env_.host.info("transport.websocket: call " + caller_.call_id + ": connection lost: " + why);
    report_end("error_transport");
    finish();
}

void MediaCall::begin_close(std::uint16_t code, const std::string& reason, TimePoint now) {
    if (phase_ != Phase::open) return;
    queue(encode_close(code, reason));
    phase_ = Phase::closing;
    close_deadline_ = now + kCloseTimeout;
    env_.reactor->service_by(close_deadline_);
    flush(now);
}

void MediaCall::finish() {
    if (phase_ == Phase::closed) return;
    phase_ = Phase::closed;
    {
        std::lock_guard lock(mutex_);
        gone_ = true;
        playout_.reset();
        texts_.clear();
    }
    env_.reactor->remove(*this);
    try {
        socket_.close();
    } catch (...) {
    }
    if (env_.on_finished) env_.on_finished(shared_from_this());
}

void MediaCall::on_shutdown() {
    if (phase_ == Phase::closed) return;
    if (phase_ == Phase::open) queue(encode_close(close_code::normal, "server stopping"));
    // One attempt to get what is queued out; the server is going away.
    if (out_offset_ < out_.size())
        [[maybe_unused]] auto sent =
            ::send(fd_, out_.data() + out_offset_, out_.size() - out_offset_, MSG_NOSIGNAL | MSG_DONTWAIT);
    phase_ = Phase::closed;
    {
        std::lock_guard lock(mutex_);
        gone_ = true;
    }
    try {
        socket_.close();
    } catch (...) {
    }
}

}  // namespace vox::transport_ws
