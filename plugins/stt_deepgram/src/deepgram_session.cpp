#include "deepgram_session.hpp"

#include "messages.hpp"

#include <vox/plugin_common/websocket.hpp>

#include <Poco/Net/HTTPResponse.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vox::deepgram {
namespace {

using Connection = plugin_common::WebSocketConnection;
using plugin_common::ConnectError;

// The listen socket at `url`: the key as "Token <key>", a refused handshake
// read with Deepgram's dg-error header.
plugin_common::WebSocketSettings socket_settings(const std::string& url, const Config& config) {
    plugin_common::WebSocketSettings settings;
    settings.url = url;
    settings.api_key = config.api_key;
    settings.auth_prefix = "Token ";
    settings.ca_file = config.ca_file;
    settings.connect_timeout = config.connect_timeout;
    settings.peer = "Deepgram";
    settings.handshake_failed = "Deepgram handshake failed: ";
    settings.refused = [](const Poco::Net::HTTPResponse& response) {
        HandshakeFailure failure = classify_handshake(static_cast<int>(response.getStatus()), response.getReason(),
                                                      response.get("dg-error", ""));
        return plugin_common::HandshakeRefusal{failure.status, failure.message, failure.transient};
    };
    return settings;
}

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// How long the reader waits for a frame before it looks at the clock (silence
// detection); close() does not wait for it, it shuts the socket down.
constexpr auto kReceivePoll = 200ms;
// Most unfinalised audio kept for re-sending after a reconnect.
constexpr std::uint64_t kReplaySeconds = 30;
// Deepgram's times are floating-point seconds: "final up to the flush" allows this much.
constexpr double kFinalSlackSeconds = 0.05;

struct Outgoing {
    enum class Type { audio, finalize, close_stream, keepalive } type;
    std::string bytes;  // audio: PCM16 little-endian
};

struct Segment {
    std::string text;
    std::uint64_t start = 0;  // samples on the sent-audio timeline
    std::uint64_t end = 0;
    double confidence = -1;
};

struct PendingFlush {
    Clock::time_point deadline;
    std::uint64_t audio_end = 0;  // sent-audio timeline position the flush covers
};

// Something to hand to the sink once the state lock is released.
struct Delivery {
    std::optional<sdk::Transcript> transcript;
    std::optional<std::pair<vox_status, std::string>> error;
};

}  // namespace

struct DeepgramSession::State {
    sdk::Host host;
    Config config;
    std::string url;
    std::uint32_t rate = 16000;
    sdk::SttSink sink;

    // Callbacks run with this held (re-entrant: the host may cancel() from a
    // callback), so cancel() returning means no stale delivery is under way.
    // Order: delivery_mutex before mutex.
    std::recursive_mutex delivery_mutex;
    std::mutex mutex;
    std::condition_variable wake;

    std::deque<Outgoing> queue;
    std::shared_ptr<Connection> connection;  // null while (re)connecting, after failure or the end
    bool stopping = false;
    bool failed = false;
    std::string failure;
    bool input_ended = false;
    bool finished = false;  // the stream ended after CloseStream

    // Sample positions on the "sent" timeline (audio actually handed to a socket).
    std::uint64_t sent = 0;
    std::uint64_t connection_base = 0;  // where the current connection's time 0 lies
    std::uint64_t dropped = 0;          // cancelled before it was sent: pushed = sent + dropped
    std::uint64_t cancel_point = 0;     // results starting before this are stale
    std::uint64_t finalized_until = 0;
    std::deque<std::int16_t> replay;  // sent, not yet finalised
    std::uint64_t replay_start = 0;

    std::vector<Segment> segments;  // finalised, not yet delivered as a final
    std::deque<PendingFlush> pending_flushes;
    int answered_finalizes = 0;
    bool audio_since_flush = false;
    bool reconnected_this_utterance = false;
    Clock::time_point last_frame_sent = Clock::now();
    std::optional<Clock::time_point> unanswered_since;  // audio sent, nothing heard since

    std::thread sender;
    std::thread reader;

    std::uint64_t queued_samples() const {
        std::uint64_t samples = 0;
        for (const auto& item : queue)
            if (item.type == Outgoing::Type::audio) samples += item.bytes.size() / 2;
        return samples;
    }

    std::uint32_t to_ms(std::uint64_t sent_position) const {
        return static_cast<std::uint32_t>((sent_position + dropped) * 1000 / rate);
    }

    std::uint64_t to_samples(double seconds) const {
        return static_cast<std::uint64_t>(std::llround(std::max(0.0, seconds) * rate));
    }

    // The final transcript of everything gathered (caller holds mutex).
    sdk::Transcript take_final(std::uint64_t audio_end) {
        sdk::Transcript final_transcript;
        final_transcript.is_final = true;
        double confidence_sum = 0;
        int confidences = 0;
        for (const auto& segment : segments) {
            final_transcript.text += (final_transcript.text.empty() ? "" : " ") + segment.text;
            if (segment.confidence >= 0) {
                confidence_sum += segment.confidence;
                ++confidences;
            }
        }
        if (segments.empty()) {
            final_transcript.start_ms = final_transcript.end_ms = to_ms(audio_end);
        } else {
            final_transcript.start_ms = to_ms(segments.front().start);
            final_transcript.end_ms = to_ms(segments.back().end);
        }
        final_transcript.confidence = confidences > 0 ? static_cast<float>(confidence_sum / confidences) : -1.0F;
        segments.clear();
        reconnected_this_utterance = false;
        return final_transcript;
    }

    // Completes the flushes that are ready (caller holds mutex).
    void collect_ready_flushes(Clock::time_point now, std::vector<Delivery>& out) {
        auto slack = to_samples(kFinalSlackSeconds);
        while (!pending_flushes.empty()) {
            const PendingFlush& front = pending_flushes.front();
            bool answered = answered_finalizes > 0;
            bool all_final = finalized_until + slack >= front.audio_end;
            if (!answered && !all_final && now < front.deadline) break;
            if (answered) --answered_finalizes;
            out.push_back({take_final(front.audio_end), {}});
            pending_flushes.pop_front();
        }
    }

    void trim_replay() {
        std::uint64_t keep_from =
            std::max(finalized_until, sent > kReplaySeconds * rate ? sent - kReplaySeconds * rate : 0);
        while (!replay.empty() && replay_start < keep_from) {
            replay.pop_front();
            ++replay_start;
        }
        if (replay.empty()) replay_start = std::max(replay_start, keep_from);
    }

    // The stream cannot go on: one on_error, nothing more (caller holds mutex).
    void fail(vox_status status, const std::string& message, std::vector<Delivery>& out) {
        if (failed || stopping) return;
        failed = true;
        failure = message;
        if (connection) connection->interrupt();
        connection.reset();
        queue.clear();
        pending_flushes.clear();
        out.push_back({{}, std::make_pair(status, message)});
        wake.notify_all();
    }

    void deliver(const std::vector<Delivery>& deliveries) {
        for (const auto& delivery : deliveries) {
            if (delivery.transcript) sink.transcript(*delivery.transcript);
            if (delivery.error) sink.error(delivery.error->first, delivery.error->second);
        }
    }

    // Runs `change` under both locks and delivers what it produced.
    template <class Change>
    void locked(Change&& change) {
        std::lock_guard delivery_lock(delivery_mutex);
        std::vector<Delivery> out;
        {
            std::lock_guard lock(mutex);
            change(out);
        }
        deliver(out);
    }

    std::shared_ptr<Connection> connect_with_retries() {
        for (int attempt = 0;; ++attempt) {
            try {
                return std::make_shared<Connection>(socket_settings(url, config));
            } catch (const ConnectError& error) {
                if (!error.transient() || attempt >= config.retries) throw;
                std::unique_lock lock(mutex);
                if (wake.wait_for(lock, 250ms * (1 << attempt), [&] { return stopping; })) throw;
            }
        }
    }

    void handle_result(const Result& result, std::vector<Delivery>& out) {
        std::uint64_t start = connection_base + to_samples(result.start_s);
        std::uint64_t end = start + to_samples(result.duration_s);
        if (start + to_samples(kFinalSlackSeconds) < cancel_point) return;  // audio from before cancel()
        if (!result.is_final) {
            if (result.transcript.empty()) return;
            sdk::Transcript partial;
            for (const auto& segment : segments) partial.text += segment.text + " ";
            partial.text += result.transcript;
            partial.start_ms = to_ms(segments.empty() ? start : segments.front().start);
            partial.end_ms = to_ms(end);
            partial.confidence = static_cast<float>(result.confidence);
            out.push_back({partial, {}});
            return;
        }
        if (!result.transcript.empty()) segments.push_back({result.transcript, start, end, result.confidence});
        finalized_until = std::max(finalized_until, end);
        trim_replay();
        if (result.from_finalize && !pending_flushes.empty()) ++answered_finalizes;
    }

    void on_text(const std::string& payload) {
        locked([&](std::vector<Delivery>& out) {
            unanswered_since.reset();
            if (auto result = parse_result(payload)) handle_result(*result, out);
            collect_ready_flushes(Clock::now(), out);
        });
    }

    // After CloseStream Deepgram sent what remained and closed: the end.
    void on_finished() {
        locked([&](std::vector<Delivery>& out) {
            finished = true;
            connection.reset();
            while (!pending_flushes.empty()) {
                out.push_back({take_final(pending_flushes.front().audio_end), {}});
                pending_flushes.pop_front();
            }
            wake.notify_all();
        });
    }

    // The stream broke: reconnect once per utterance, re-sending the audio
    // not yet finalised, or fail.
    void on_lost(const std::shared_ptr<Connection>& lost, const std::string& why) {
        lost->interrupt();
        std::string refusal;
        locked([&](std::vector<Delivery>& out) {
            if (connection == lost) connection.reset();
            if (stopping || failed) {
                refusal = "stopped";
                return;
            }
            if (reconnected_this_utterance) {
                fail(VOX_ERR_UNAVAILABLE,
                     "stt.deepgram: the stream to Deepgram was lost again after reconnecting (" + why + ")", out);
                refusal = "failed";
            }
        });
        if (!refusal.empty()) return;
        std::shared_ptr<Connection> fresh;
        try {
            fresh = std::make_shared<Connection>(socket_settings(url, config));
        } catch (const ConnectError& error) {
            locked([&](std::vector<Delivery>& out) {
                fail(VOX_ERR_UNAVAILABLE,
                     "stt.deepgram: the stream to Deepgram was lost (" + why +
                         ") and reconnecting failed: " + error.what(),
                     out);
            });
            return;
        }
        // Re-send, before any newer audio: the sender waits while `connection` is null.
        std::string audio;
        bool finalize = false;
        bool close_stream = false;
        {
            std::lock_guard lock(mutex);
            if (stopping || failed) return;
            reconnected_this_utterance = true;
            connection_base = replay_start;
            audio.reserve(replay.size() * 2);
            for (std::int16_t sample : replay) {
                audio.push_back(static_cast<char>(sample & 0xff));
                audio.push_back(static_cast<char>((sample >> 8) & 0xff));
            }
            finalize = !pending_flushes.empty();
            close_stream = input_ended;
        }
        host.warn("stt.deepgram: stream lost (" + why + "); reconnected, re-sending " +
                  std::to_string(audio.size() / 2 * 1000 / rate) + " ms of audio not yet finalised");
        try {
            constexpr std::size_t kChunk = 8192;
            for (std::size_t at = 0; at < audio.size(); at += kChunk)
                fresh->send_binary(audio.data() + at, std::min(kChunk, audio.size() - at));
            if (finalize) fresh->send_text(kFinalize);
            if (close_stream) fresh->send_text(kCloseStream);
        } catch (const std::exception& error) {
            locked([&](std::vector<Delivery>& out) {
                fail(VOX_ERR_UNAVAILABLE,
                     "stt.deepgram: re-sending audio after reconnecting failed: " + std::string(error.what()), out);
            });
            return;
        }
        std::lock_guard lock(mutex);
        if (stopping || failed) return;
        connection = fresh;
        last_frame_sent = Clock::now();
        if (!audio.empty()) unanswered_since = Clock::now();
        wake.notify_all();
    }

    void read_loop() {
        for (;;) {
            std::shared_ptr<Connection> current;
            {
                std::unique_lock lock(mutex);
                wake.wait(lock, [&] { return stopping || failed || finished || connection != nullptr; });
                if (stopping || failed || finished) return;
                current = connection;
            }
            Connection::Frame frame = current->receive(kReceivePoll);
            bool closing = false;
            {
                std::lock_guard lock(mutex);
                if (stopping) return;
                closing = input_ended && queue.empty();
            }
            switch (frame.kind) {
            case Connection::Kind::text: on_text(frame.payload); break;
            case Connection::Kind::timeout: {
                bool silent = false;
                {
                    std::lock_guard lock(mutex);
                    silent = unanswered_since && Clock::now() - *unanswered_since > config.response_timeout;
                }
                if (silent)
                    on_lost(current, "Deepgram sent nothing for " + std::to_string(config.response_timeout.count()) +
                                         " ms while audio was streaming");
                break;
            }
            case Connection::Kind::close: {
                CloseReason reason = parse_close(frame.payload);
                if (closing && reason.code == 1000) {
                    on_finished();
                } else if (!reason.transient) {
                    locked([&](std::vector<Delivery>& out) {
                        fail(reason.status, "stt.deepgram: " + reason.message, out);
                    });
                } else {
                    on_lost(current, reason.message);
                }
                break;
            }
            case Connection::Kind::ended:
                if (closing)
                    on_finished();
                else
                    on_lost(current, "the connection dropped");
                break;
            }
        }
    }

    void send_loop() {
        std::unique_lock lock(mutex);
        for (;;) {
            if (stopping || failed || finished) return;
            auto now = Clock::now();
            if (!pending_flushes.empty() && now >= pending_flushes.front().deadline) {
                lock.unlock();
                locked([&](std::vector<Delivery>& out) { collect_ready_flushes(Clock::now(), out); });
                lock.lock();
                continue;
            }
            auto keepalive_due = last_frame_sent + config.keepalive;
            bool closed = input_ended && queue.empty();
            if (!connection || (queue.empty() && (now < keepalive_due || closed))) {
                auto until = closed || !connection ? now + 1h : keepalive_due;
                if (!pending_flushes.empty()) until = std::min(until, pending_flushes.front().deadline);
                wake.wait_until(lock, until);
                continue;
            }
            std::shared_ptr<Connection> current = connection;
            // Nothing queued here means the keepalive is due.
            Outgoing item{Outgoing::Type::keepalive, {}};
            if (!queue.empty()) {
                item = std::move(queue.front());
                queue.pop_front();
            }
            if (item.type == Outgoing::Type::audio) {
                for (std::size_t at = 0; at + 1 < item.bytes.size(); at += 2)
                    replay.push_back(static_cast<std::int16_t>(static_cast<std::uint8_t>(item.bytes[at]) |
                                                               (static_cast<std::uint8_t>(item.bytes[at + 1]) << 8)));
                sent += item.bytes.size() / 2;
                trim_replay();
                if (!unanswered_since) unanswered_since = now;
            }
            last_frame_sent = now;
            lock.unlock();
            try {
                switch (item.type) {
                case Outgoing::Type::audio: current->send_binary(item.bytes.data(), item.bytes.size()); break;
                case Outgoing::Type::finalize: current->send_text(kFinalize); break;
                case Outgoing::Type::close_stream: current->send_text(kCloseStream); break;
                case Outgoing::Type::keepalive: current->send_text(kKeepAlive); break;
                }
            } catch (const std::exception&) {
                // The reader sees the broken socket and reconnects; the audio is in
                // the replay buffer and pending Finalize/CloseStream are re-sent.
                current->interrupt();
            }
            lock.lock();
        }
    }

    void check_usable() {
        if (failed) throw sdk::Error(VOX_ERR_UNAVAILABLE, failure);
        if (input_ended) throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "stt.deepgram: the session's input has ended");
    }

    void add_flush(Clock::time_point now) {
        pending_flushes.push_back({now + config.finalize_timeout, sent + queued_samples()});
        audio_since_flush = false;
    }
};

DeepgramSession::DeepgramSession(sdk::Host host, const Config& config, const SessionSettings& settings,
                                 std::uint32_t sample_rate, sdk::SttSink sink)
    : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.host = host;
    s.config = config;
    s.url = listen_url(config, settings, sample_rate);
    s.rate = sample_rate;
    s.sink = std::move(sink);
    s.connection = s.connect_with_retries();  // throws: open fails with the reason
    s.last_frame_sent = Clock::now();
    s.sender = std::thread([&s] { s.send_loop(); });
    s.reader = std::thread([&s] { s.read_loop(); });
}

DeepgramSession::~DeepgramSession() {
    State& s = *state_;
    std::shared_ptr<Connection> current;
    {
        std::lock_guard lock(s.mutex);
        s.stopping = true;
        current = s.connection;
        s.wake.notify_all();
    }
    if (current) {
        current->send_close();
        current->interrupt();
    }
    if (s.sender.joinable()) s.sender.join();
    if (s.reader.joinable()) s.reader.join();
}

void DeepgramSession::push_audio(const vox_audio& audio) {
    State& s = *state_;
    if (audio.channels != 1) throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "stt.deepgram: audio must be mono");
    if (audio.sample_rate != s.rate)
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "stt.deepgram: audio at " + std::to_string(audio.sample_rate) +
                                                       " Hz in a session opened at " + std::to_string(s.rate) + " Hz");
    if (audio.frames == 0) return;  // Deepgram reads an empty frame as the end of the stream
    Outgoing item{Outgoing::Type::audio, {}};
    item.bytes.resize(audio.frames * 2);
    for (std::size_t i = 0; i < audio.frames; ++i) {
        auto sample = static_cast<std::uint16_t>(audio.samples[i]);
        item.bytes[2 * i] = static_cast<char>(sample & 0xff);
        item.bytes[2 * i + 1] = static_cast<char>(sample >> 8);
    }
    std::lock_guard lock(s.mutex);
    s.check_usable();
    s.queue.push_back(std::move(item));
    s.audio_since_flush = true;
    s.wake.notify_all();
}

void DeepgramSession::flush() {
    State& s = *state_;
    s.locked([&](std::vector<Delivery>& out) {
        s.check_usable();
        if (!s.audio_since_flush && s.pending_flushes.empty()) {
            out.push_back({s.take_final(s.sent + s.queued_samples()), {}});  // nothing new: answer at once
            return;
        }
        s.add_flush(Clock::now());
        s.queue.push_back({Outgoing::Type::finalize, {}});
        s.wake.notify_all();
    });
}

void DeepgramSession::end_input() {
    State& s = *state_;
    std::lock_guard lock(s.mutex);
    s.check_usable();
    if (s.audio_since_flush) s.add_flush(Clock::now());
    s.input_ended = true;
    s.queue.push_back({Outgoing::Type::close_stream, {}});
    s.wake.notify_all();
}

void DeepgramSession::cancel() noexcept {
    State& s = *state_;
    std::lock_guard delivery_lock(s.delivery_mutex);
    std::lock_guard lock(s.mutex);
    std::deque<Outgoing> kept;
    for (auto& item : s.queue) {
        if (item.type == Outgoing::Type::audio)
            s.dropped += item.bytes.size() / 2;
        else if (item.type == Outgoing::Type::close_stream)
            kept.push_back(std::move(item));
    }
    s.queue.clear();
    s.pending_flushes.clear();
    s.answered_finalizes = 0;
    s.segments.clear();
    s.audio_since_flush = false;
    s.reconnected_this_utterance = false;
    s.cancel_point = s.sent;
    // Deepgram still holds the audio sent before: have it finalised now, so
    // that later results start after it (its results are discarded as stale).
    if (s.finalized_until < s.sent && !s.input_ended) s.queue.push_back({Outgoing::Type::finalize, {}});
    for (auto& item : kept) s.queue.push_back(std::move(item));
    s.finalized_until = std::max(s.finalized_until, s.sent);
    s.replay.clear();
    s.replay_start = s.sent;
    s.wake.notify_all();
}

}  // namespace vox::deepgram
