#include <vox/core/call/recording_timeline.hpp>

#include <algorithm>
#include <limits>
#include <utility>

namespace vox::call {
namespace {

// A context's queued count only matters while it may still play or be cut off;
// responses follow each other, so the most recent few are plenty.
constexpr std::size_t kRememberedContexts = 64;
// Marks a segment whose context was cut off: a later clear of a reused id is not about it.
constexpr std::uint64_t kClearedContext = std::numeric_limits<std::uint64_t>::max();

}  // namespace

RecordingTimeline::RecordingTimeline(std::uint32_t sample_rate, Sink sink, std::size_t max_pending_frames)
    : sample_rate_(sample_rate),
      sink_(std::move(sink)),
      max_pending_frames_(max_pending_frames != 0 ? max_pending_frames
                                                  : kDefaultMaxPendingSeconds * static_cast<std::size_t>(sample_rate)) {
}

void RecordingTimeline::caller_audio(std::span<const std::int16_t> samples) {
    if (samples.empty()) return;
    const std::size_t frames = samples.size();
    const std::size_t due = std::min(frames, pending_.size());
    stereo_.resize(frames * 2);
    for (std::size_t i = 0; i < frames; ++i) {
        stereo_[2 * i] = samples[i];
        stereo_[2 * i + 1] = i < due ? pending_[i] : std::int16_t{0};
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(due));
    position_ += frames;
    forget_written_segments();
    sink_(stereo_);
}

std::size_t RecordingTimeline::agent_audio(std::uint64_t context, std::span<const std::int16_t> samples) {
    const std::size_t room = max_pending_frames_ > pending_.size() ? max_pending_frames_ - pending_.size() : 0;
    const std::size_t taken = std::min(samples.size(), room);
    if (taken == 0) return samples.size();
    const std::uint64_t start = position_ + pending_.size();
    std::uint64_t& queued = context_frames_[context];
    if (!segments_.empty() && segments_.back().context == context && segments_.back().end == start)
        segments_.back().end += taken;
    else
        segments_.push_back(Segment{context, start, start + taken, queued});
    queued += taken;
    pending_.insert(pending_.end(), samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(taken));
    while (context_frames_.size() > kRememberedContexts) context_frames_.erase(context_frames_.begin());
    return samples.size() - taken;
}

void RecordingTimeline::agent_cleared(std::uint64_t context, std::uint32_t played_ms) {
    const std::uint64_t played = static_cast<std::uint64_t>(played_ms) * sample_rate_ / 1000;
    // From the last segment back, so that taking one out does not move the ones still to look at.
    for (std::size_t i = segments_.size(); i-- > 0;) {
        if (segments_[i].context != context) continue;
        const Segment segment = segments_[i];
        const std::uint64_t kept = played > segment.offset ? played - segment.offset : 0;
        // What was written already stays: the caller's track has moved past it.
        const std::uint64_t cut = std::max(segment.start + std::min(kept, segment.end - segment.start), position_);
        segments_[i].context = kClearedContext;
        if (cut < segment.end) remove_pending(cut, segment.end);
    }
    context_frames_.erase(context);
}

void RecordingTimeline::remove_pending(std::uint64_t from, std::uint64_t to) {
    const auto first = pending_.begin() + static_cast<std::ptrdiff_t>(from - position_);
    pending_.erase(first, first + static_cast<std::ptrdiff_t>(to - from));
    for (auto& segment : segments_) {
        const std::uint64_t before = segment.start > from ? std::min(segment.start, to) - from : 0;
        const std::uint64_t overlap_start = std::max(segment.start, from);
        const std::uint64_t overlap_end = std::min(segment.end, to);
        const std::uint64_t inside = overlap_end > overlap_start ? overlap_end - overlap_start : 0;
        segment.start -= before;
        segment.end -= before + inside;
    }
    std::erase_if(segments_, [](const Segment& segment) { return segment.end <= segment.start; });
}

void RecordingTimeline::forget_written_segments() {
    std::erase_if(segments_, [this](const Segment& segment) { return segment.end <= position_; });
}

}  // namespace vox::call
