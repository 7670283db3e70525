// Speech-to-text stage: streams the caller's speech into the STT session,
// finalises it at the end of the turn, and passes the final transcript on.
// Transcripts come back from the provider's threads through inject().
#pragma once

#include "call_context.hpp"

#include <vox/core/pipeline/frame_processor.hpp>
#include <vox/core/providers/stt_client.hpp>

#include <deque>
#include <memory>

namespace vox::call::detail {

class SttProcessor : public pipeline::FrameProcessor {
public:
    explicit SttProcessor(CallContext& call);
    // Opens the provider session (throws ProviderError). Call once the
    // processor is in its pipeline.
    void open();
    void close() noexcept;
    void process(pipeline::Frame frame) override;

private:
    void on_transcript(pipeline::Frame frame);

    CallContext& call_;
    std::unique_ptr<SttClient> stt_;
    std::deque<std::uint64_t> awaiting_final_;  // turns flushed, in order
    std::uint64_t utterance_turn_ = 0;          // the turn whose audio is being pushed
    bool failed_ = false;
};

}  // namespace vox::call::detail
