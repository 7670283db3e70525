// The agent's side of a call as a caller would have heard it: each frame is
// written at the real-time position where it arrived (or right after the
// previous one, when the server sent it ahead of play-out), silence fills the
// rest, and a "clear" drops what had arrived but not yet played. So the
// recording lines up with the call's clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace voxctl {

class CallRecorder {
public:
    using Clock = std::chrono::steady_clock;

    CallRecorder(std::uint32_t sample_rate, Clock::time_point origin) : rate_(sample_rate), origin_(origin) {}

    void write(Clock::time_point at, const std::int16_t* samples, std::size_t count);
    // The client was told to discard audio it has not played yet.
    void clear(Clock::time_point at);
    // Everything up to `end`.
    std::vector<std::int16_t> finish(Clock::time_point end);
    std::uint32_t sample_rate() const { return rate_; }

private:
    std::size_t position(Clock::time_point at) const;

    std::uint32_t rate_;
    Clock::time_point origin_;
    std::vector<std::int16_t> samples_;
    std::size_t cursor_ = 0;  // where the next frame starts at the earliest (the play-out position)
};

}  // namespace voxctl
