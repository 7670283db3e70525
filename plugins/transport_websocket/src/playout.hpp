// The agent's audio of one call on its way out: queued by context, cut into
// 20 ms frames and released in real time with at most `ahead` sent before the
// client's play-out position, with an account of how much of each context has
// been played (the client plays each frame as it arrives, so a frame counts as
// played when its real-time slot has passed). Pure logic with the clock passed
// in; the owner serialises access (the call's lock).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

namespace vox::transport_ws {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

struct PlayoutOptions {
    std::uint32_t sample_rate = 16000;
    std::chrono::microseconds frame{20'000};
    std::chrono::microseconds ahead{120'000};        // sent before the play-out position, at most
    std::chrono::microseconds max_queued{30'000'000};  // beyond it the oldest queued audio is dropped
    std::chrono::microseconds report_every{100'000};  // on_played while a context plays
};

struct PlayedReport {
    std::uint64_t context = 0;
    std::uint32_t played_ms = 0;
};

class Playout {
public:
    explicit Playout(PlayoutOptions options);

    // Queues audio of `context` (copied). Returns how many ms of the oldest
    // queued audio were dropped to stay within max_queued (0 normally).
    std::uint32_t push(std::uint64_t context, const std::int16_t* samples, std::size_t count);

    // Drops queued audio of `context` and older contexts and forgets what is
    // in flight (the client discards it on "clear"); the play-out position
    // restarts at `now`. Returns the ms of `context` played by `now`.
    std::uint32_t clear(std::uint64_t context, TimePoint now);

    // Drops everything (hang-up).
    void reset();

    // Appends the frames due by `now` to `frames` (each frame_samples()
    // samples) and the on_played reports due to `reports`.
    void pump(TimePoint now, std::vector<std::int16_t>& frames, std::vector<PlayedReport>& reports);

    // When pump() next has something to do; TimePoint::max() when idle.
    TimePoint next_due() const;

    bool idle() const { return queued_ == 0 && in_flight_.empty(); }
    std::size_t frame_samples() const { return frame_samples_; }
    std::size_t queued_samples() const { return queued_; }
    // The ms of `context` played by `now` (0 for an unknown context).
    std::uint32_t played_ms(std::uint64_t context, TimePoint now) const;

private:
    struct Segment {
        std::uint64_t context;
        std::vector<std::int16_t> samples;
        std::size_t offset = 0;
        std::size_t left() const { return samples.size() - offset; }
    };
    // A stretch of one context's audio inside a sent frame, with its play-out slot.
    struct Piece {
        std::uint64_t context;
        TimePoint start;
        std::size_t samples;
        TimePoint end;
    };
    struct ContextState {
        std::size_t unsent = 0;     // queued, not yet sent
        std::size_t in_flight = 0;  // sent, not yet played
        std::size_t played = 0;     // samples played
        std::uint32_t reported_ms = 0;
        TimePoint reported_at{};
        bool ever_reported = false;
    };

    void settle(TimePoint now);  // moves pieces whose slot has passed to played
    void take_frame(TimePoint slot, std::vector<std::int16_t>& frames);
    void drop_oldest(std::size_t samples);
    std::chrono::microseconds duration_of(std::size_t samples) const;
    std::uint32_t ms_of(std::size_t samples) const;

    PlayoutOptions options_;
    std::size_t frame_samples_;
    std::size_t max_queued_samples_;
    std::deque<Segment> queue_;
    std::size_t queued_ = 0;
    std::deque<Piece> in_flight_;
    std::map<std::uint64_t, ContextState> contexts_;
    TimePoint play_head_{};  // the play-out slot of the next frame sent
};

}  // namespace vox::transport_ws
