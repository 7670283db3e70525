// The call's transport with its recorder in the way: the agent's audio is
// recorded as it is handed to the transport, and a cut-off response (the
// transport's clear) is cut in the recording where the transport stopped it.
// Runs on the call's strand, like the transport calls it wraps.
#pragma once

#include <vox/core/call/call_recorder.hpp>
#include <vox/core/call/call_session.hpp>

#include <memory>
#include <utility>

namespace vox::call::detail {

class RecordingTransport final : public CallTransport {
public:
    RecordingTransport(std::shared_ptr<CallTransport> transport, std::shared_ptr<CallRecorder> recorder)
        : transport_(std::move(transport)), recorder_(std::move(recorder)) {}

    void play(std::uint64_t context, const audio::AudioView& audio) override {
        recorder_->agent_audio(context, audio);
        transport_->play(context, audio);
    }
    std::uint32_t clear(std::uint64_t context) override {
        std::uint32_t played = transport_->clear(context);
        recorder_->agent_cleared(context, played);
        return played;
    }
    void hangup(std::string_view reason) override { transport_->hangup(reason); }
    void transfer(std::string_view to) override { transport_->transfer(to); }

private:
    std::shared_ptr<CallTransport> transport_;
    std::shared_ptr<CallRecorder> recorder_;
};

}  // namespace vox::call::detail
