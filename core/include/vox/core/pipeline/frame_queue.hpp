// A bounded FIFO of frames with an explicit overflow policy. Not thread-safe:
// each queue belongs to one processor lane and is only touched on the call's
// strand.
#pragma once

#include <vox/core/pipeline/frame.hpp>

#include <cstddef>
#include <deque>

namespace vox::pipeline {

enum class OverflowPolicy : std::uint8_t {
    drop_oldest,  // real-time input: stale audio is worth less than fresh audio
    reject,       // ordered data: refuse the push; the producer learns it (FlowStatus::error)
};

class FrameQueue {
public:
    FrameQueue(std::size_t capacity, OverflowPolicy policy) : capacity_(capacity), policy_(policy) {}

    // False when the frame was refused (reject policy and full).
    bool push(Frame frame) {
        if (frames_.size() >= capacity_) {
            if (policy_ == OverflowPolicy::reject) return false;
            frames_.pop_front();
            ++dropped_;
        }
        frames_.push_back(std::move(frame));
        return true;
    }
    Frame pop() {
        Frame frame = std::move(frames_.front());
        frames_.pop_front();
        return frame;
    }
    // Drops queued frames of generations older than `generation`; returns how many.
    std::size_t drop_older_than(std::uint64_t generation) {
        std::size_t before = frames_.size();
        std::erase_if(frames_, [&](const Frame& f) { return f.generation < generation; });
        return before - frames_.size();
    }
    bool empty() const { return frames_.empty(); }
    std::size_t size() const { return frames_.size(); }
    std::size_t dropped() const { return dropped_; }  // by drop_oldest

private:
    std::size_t capacity_;
    OverflowPolicy policy_;
    std::deque<Frame> frames_;
    std::size_t dropped_ = 0;
};

}  // namespace vox::pipeline
