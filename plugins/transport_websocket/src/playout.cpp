#include "playout.hpp"

#include <algorithm>

namespace vox::transport_ws {

Playout::Playout(PlayoutOptions options)
    : options_(options),
      frame_samples_(static_cast<std::size_t>(options.sample_rate * options.frame.count() / 1'000'000)),
      max_queued_samples_(static_cast<std::size_t>(options.sample_rate * (options.max_queued.count() / 1000) / 1000)) {
    if (frame_samples_ == 0) frame_samples_ = 1;
}

std::chrono::microseconds Playout::duration_of(std::size_t samples) const {
    return std::chrono::microseconds(static_cast<std::int64_t>(samples) * 1'000'000 / options_.sample_rate);
}

std::uint32_t Playout::ms_of(std::size_t samples) const {
    return static_cast<std::uint32_t>(static_cast<std::uint64_t>(samples) * 1000 / options_.sample_rate);
}

std::uint32_t Playout::push(std::uint64_t context, const std::int16_t* samples, std::size_t count) {
    if (samples == nullptr || count == 0) return 0;
    if (queue_.empty() || queue_.back().context != context) {
        queue_.push_back(Segment{context, {}, 0});
    }
    auto& tail = queue_.back().samples;
    tail.insert(tail.end(), samples, samples + count);
    contexts_[context].unsent += count;
    queued_ += count;
    if (queued_ <= max_queued_samples_) return 0;
    std::size_t excess = queued_ - max_queued_samples_;
    drop_oldest(excess);
    return std::max<std::uint32_t>(1, ms_of(excess));
}

void Playout::drop_oldest(std::size_t samples) {
    while (samples > 0 && !queue_.empty()) {
        Segment& front = queue_.front();
        std::size_t n = std::min(samples, front.left());
        front.offset += n;
        contexts_[front.context].unsent -= n;
        queued_ -= n;
        samples -= n;
        if (front.left() == 0) queue_.pop_front();
    }
}

std::uint32_t Playout::clear(std::uint64_t context, TimePoint now) {
    settle(now);
    std::uint32_t played = played_ms(context, now);
    for (auto it = queue_.begin(); it != queue_.end();) {
        if (it->context <= context) {
            queued_ -= it->left();
            it = queue_.erase(it);
        } else {
            ++it;
        }
    }
    // The client throws away everything it holds and has not played yet.
    in_flight_.clear();
    for (auto it = contexts_.begin(); it != contexts_.end();) {
        if (it->first <= context) {
            it = contexts_.erase(it);
        } else {
            it->second.in_flight = 0;
            ++it;
        }
    }
    play_head_ = now;
    return played;
}

void Playout::reset() {
    queue_.clear();
    queued_ = 0;
    in_flight_.clear();
    contexts_.clear();
}

void Playout::settle(TimePoint now) {
    while (!in_flight_.empty() && in_flight_.front().end <= now) {
        const Piece& piece = in_flight_.front();
        auto it = contexts_.find(piece.context);
        if (it != contexts_.end()) {
            it->second.in_flight -= piece.samples;
            it->second.played += piece.samples;
        }
        in_flight_.pop_front();
    }
}

std::uint32_t Playout::played_ms(std::uint64_t context, TimePoint now) const {
    auto it = contexts_.find(context);
    if (it == contexts_.end()) return 0;
    std::size_t samples = it->second.played;
    for (const Piece& piece : in_flight_) {
        if (piece.context != context || piece.start >= now) continue;
        if (piece.end <= now) {
            samples += piece.samples;
        } else {
            auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - piece.start).count();
            samples += std::min(piece.samples,
                                static_cast<std::size_t>(elapsed * options_.sample_rate / 1'000'000));
        }
    }
    return ms_of(samples);
}

void Playout::take_frame(TimePoint slot, std::vector<std::int16_t>& frames) {
    std::size_t need = frame_samples_;
    TimePoint at = slot;
    while (need > 0 && !queue_.empty()) {
        Segment& front = queue_.front();
        std::size_t n = std::min(need, front.left());
        const std::int16_t* from = front.samples.data() + front.offset;
        frames.insert(frames.end(), from, from + n);
        TimePoint end = at + duration_of(n);
        in_flight_.push_back(Piece{front.context, at, n, end});
        ContextState& state = contexts_[front.context];
        state.unsent -= n;
        state.in_flight += n;
        queued_ -= n;
        front.offset += n;
        at = end;
        need -= n;
        if (front.left() == 0) queue_.pop_front();
    }
    frames.insert(frames.end(), need, std::int16_t{0});  // a context's last partial frame, padded
}

void Playout::pump(TimePoint now, std::vector<std::int16_t>& frames, std::vector<PlayedReport>& reports) {
    settle(now);
    while (queued_ > 0) {
        if (play_head_ < now) play_head_ = now;  // start, or the client ran dry
        // The client may hold at most `ahead` of audio it has not played yet.
        if (play_head_ + options_.frame > now + options_.ahead) break;
        // Less than a frame queued: wait for more unless the client is about to run dry.
        if (queued_ < frame_samples_ && play_head_ - now >= options_.frame) break;
        take_frame(play_head_, frames);
        play_head_ += options_.frame;
    }

    const std::uint64_t newest = contexts_.empty() ? 0 : contexts_.rbegin()->first;
    for (auto it = contexts_.begin(); it != contexts_.end();) {
        ContextState& state = it->second;
        const std::uint32_t played = played_ms(it->first, now);
        const bool drained = state.unsent == 0 && state.in_flight == 0;
        const bool due = drained ? (!state.ever_reported || played != state.reported_ms)
                                 : (played > state.reported_ms && now - state.reported_at >= options_.report_every);
        if (due && (drained || played > 0)) {
            reports.push_back({it->first, played});
            state.reported_ms = played;
            state.reported_at = now;
            state.ever_reported = true;
        }
        // A drained context is kept while it is the newest: more of it may come.
        if (drained && it->first != newest)
            it = contexts_.erase(it);
        else
            ++it;
    }
}

TimePoint Playout::next_due() const {
    TimePoint due = TimePoint::max();
    if (queued_ >= frame_samples_)
        due = play_head_ + options_.frame - options_.ahead;
    else if (queued_ > 0)
        due = play_head_ - options_.frame;
    // Each played frame may complete a context or make a report due.
    if (!in_flight_.empty()) due = std::min(due, in_flight_.front().end);
    return due;
}

}  // namespace vox::transport_ws
