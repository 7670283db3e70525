#include <vox/core/pipeline/pipeline.hpp>

#include <boost/asio/post.hpp>

namespace vox::pipeline {

FlowStatus FrameProcessor::push(Frame frame) { return pipeline_->push_from(index_ + 1, std::move(frame)); }

Pipeline::Pipeline(boost::asio::any_io_executor strand, PipelineOptions options)
    : strand_(std::move(strand)), options_(options) {}

Pipeline::~Pipeline() = default;

void Pipeline::attach(std::unique_ptr<FrameProcessor> processor) {
    processor->pipeline_ = this;
    processor->index_ = stages_.size();
    // Only the first stage receives raw caller audio, and only there may it pile
    // up (a stalled strand): keep the newest second of it.
    stages_.push_back(Stage{std::move(processor),
                            FrameQueue(options_.input_audio_capacity, OverflowPolicy::drop_oldest),
                            FrameQueue(options_.data_capacity, OverflowPolicy::reject)});
}

bool Pipeline::stale(const Frame& frame) const {
    return frame.lane() == Lane::data && frame.generation != 0 && frame.generation < generation();
}

FlowStatus Pipeline::enqueue(std::size_t index, Frame frame) {
    if (stopped_) return FlowStatus::end;
    if (stale(frame)) {
        ++dropped_stale_;
        return FlowStatus::flushing;
    }
    if (index >= stages_.size()) {
        if (sink_) sink_(frame);
        return FlowStatus::ok;
    }
    Stage& stage = stages_[index];
    bool accepted = frame.lane() == Lane::system ? stage.system.push(std::move(frame)) : stage.data.push(std::move(frame));
    return accepted ? FlowStatus::ok : FlowStatus::error;
}

FlowStatus Pipeline::push_from(std::size_t index, Frame frame) { return enqueue(index, std::move(frame)); }

void Pipeline::inject(std::size_t index, Frame frame) {
    std::shared_ptr<void> owner = owner_.lock();
    if (!owner && owned_) return;  // the call is gone
    boost::asio::post(strand_, [this, owner = std::move(owner), index, frame = std::move(frame)]() mutable {
        enqueue(index, std::move(frame));
        run();
    });
}

void Pipeline::interrupt(std::size_t from, std::uint64_t turn, std::int64_t time_ns) {
    std::uint64_t generation = generation_.fetch_add(1, std::memory_order_acq_rel) + 1;
    for (Stage& stage : stages_) dropped_stale_ += stage.data.drop_older_than(generation);
    enqueue(from, Frame::make(FrameType::interruption, turn, generation, time_ns));
    enqueue(from, Frame::make(FrameType::flush_stop, turn, generation, time_ns));
}

void Pipeline::run() {
    if (running_) return;  // re-entered from a processor: the outer loop goes on
    running_ = true;
    while (!stopped_) {
        Stage* next = nullptr;
        bool system = false;
        for (Stage& stage : stages_)
            if (!stage.system.empty()) {
                next = &stage;
                system = true;
                break;
            }
        if (next == nullptr)
            for (Stage& stage : stages_)
                if (!stage.data.empty()) {
                    next = &stage;
                    break;
                }
        if (next == nullptr) break;
        Frame frame = system ? next->system.pop() : next->data.pop();
        if (stale(frame)) {
            ++dropped_stale_;
            continue;
        }
        next->processor->process(std::move(frame));
    }
    running_ = false;
}

void Pipeline::stop() {
    stopped_ = true;
    for (Stage& stage : stages_) {
        while (!stage.system.empty()) stage.system.pop();
        while (!stage.data.empty()) stage.data.pop();
    }
}

std::size_t Pipeline::dropped_input() const { return stages_.empty() ? 0 : stages_.front().system.dropped(); }

std::string_view to_string(FrameType type) {
    switch (type) {
    case FrameType::input_audio: return "input_audio";
    case FrameType::user_started_speaking: return "user_started_speaking";
    case FrameType::interruption: return "interruption";
    case FrameType::dtmf: return "dtmf";
    case FrameType::end: return "end";
    case FrameType::user_paused: return "user_paused";
    case FrameType::user_stopped_speaking: return "user_stopped_speaking";
    case FrameType::transcript: return "transcript";
    case FrameType::response_start: return "response_start";
    case FrameType::response_text: return "response_text";
    case FrameType::response_end: return "response_end";
    case FrameType::output_audio: return "output_audio";
    case FrameType::output_done: return "output_done";
    case FrameType::flush_stop: return "flush_stop";
    case FrameType::error: return "error";
    case FrameType::flow_result: return "flow_result";
    }
    return "unknown";
}

}  // namespace vox::pipeline
