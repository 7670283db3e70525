// One stage of a call pipeline (VAD and turns, STT, LLM, TTS, output). A
// processor handles one frame at a time on the call's strand and passes
// frames on with push(); it never blocks (provider work runs elsewhere and
// comes back through Pipeline::inject).
#pragma once

#include <vox/core/pipeline/frame.hpp>

#include <cstddef>
#include <string>

namespace vox::pipeline {

class Pipeline;

enum class FlowStatus : std::uint8_t {
    ok,
    flushing,  // the frame belonged to a cancelled generation and was dropped
    end,       // the pipeline has ended
    error,     // a queue refused it (overflow)
};

class FrameProcessor {
public:
    explicit FrameProcessor(std::string name) : name_(std::move(name)) {}
    virtual ~FrameProcessor() = default;
    FrameProcessor(const FrameProcessor&) = delete;
    FrameProcessor& operator=(const FrameProcessor&) = delete;

    const std::string& name() const { return name_; }

    // Handles one frame. The default passes it on unchanged.
    virtual void process(Frame frame) { push(std::move(frame)); }

protected:
    // Passes a frame to the next processor (or the pipeline's sink after the last).
    FlowStatus push(Frame frame);
    Pipeline& pipeline() { return *pipeline_; }
    std::size_t index() const { return index_; }

private:
    friend class Pipeline;
    std::string name_;
    Pipeline* pipeline_ = nullptr;
    std::size_t index_ = 0;
};

}  // namespace vox::pipeline
