// Where work done off the call's strand (a flow node's step, an http tool's
// request) delivers its result: a frame injected at one stage of the call's
// pipeline. close() cuts it off, so a result finishing after the call ended
// cannot reach a pipeline that is gone.
#pragma once

#include <vox/core/pipeline/pipeline.hpp>

#include <mutex>

namespace vox::call::detail {

class StageInbox {
public:
    void open(pipeline::Pipeline& pipeline, std::size_t index) {
        std::lock_guard lock(mutex_);
        pipeline_ = &pipeline;
        index_ = index;
    }
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    void deliver(pipeline::Frame frame) {
        std::lock_guard lock(mutex_);
        if (!closed_ && pipeline_ != nullptr) pipeline_->inject(index_, std::move(frame));
    }

private:
    std::mutex mutex_;
    pipeline::Pipeline* pipeline_ = nullptr;
    std::size_t index_ = 0;
    bool closed_ = false;
};

}  // namespace vox::call::detail
