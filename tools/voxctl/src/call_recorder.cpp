#include "call_recorder.hpp"

#include <algorithm>

namespace voxctl {

std::size_t CallRecorder::position(Clock::time_point at) const {
    if (at <= origin_) return 0;
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(at - origin_).count();
    return static_cast<std::size_t>(us * rate_ / 1'000'000);
}

void CallRecorder::write(Clock::time_point at, const std::int16_t* samples, std::size_t count) {
    std::size_t start = std::max(position(at), cursor_);
    if (samples_.size() < start + count) samples_.resize(start + count, 0);
    std::copy(samples, samples + count, samples_.begin() + static_cast<std::ptrdiff_t>(start));
    cursor_ = start + count;
}

void CallRecorder::clear(Clock::time_point at) {
    std::size_t now = position(at);
    if (samples_.size() > now) samples_.resize(now);
    cursor_ = std::min(cursor_, now);
}

std::vector<std::int16_t> CallRecorder::finish(Clock::time_point end) {
    std::vector<std::int16_t> all = samples_;
    all.resize(std::max(all.size(), position(end)), 0);
    return all;
}

}  // namespace voxctl
