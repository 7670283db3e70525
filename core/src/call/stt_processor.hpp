// Speech-to-text stage: streams the caller's speech into the STT session and
// passes the turn's final transcript on. To have it ready the moment the turn
// ends, it finalises early, at the first pause; if the caller goes on, the
// next segment is recognised too and the turn's text is the segments joined.
// Silence after a pause is held back (and only sent if speech resumes), so
// the last segment is never a stretch of silence to decode.
// Transcripts come back from the provider's threads through inject().
#pragma once

#include "call_context.hpp"

#include <vox/core/pipeline/frame_processor.hpp>
#include <vox/core/providers/stt_client.hpp>

#include <string>
#include <vector>
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
    // Recognises against `grammar` from the next utterance on ({} = free
    // speech). False when the provider has no grammars or refuses this one
    // (an error event says why); the call goes on with free speech.
    bool set_grammar(const nlohmann::json& grammar);

private:
    void on_transcript(pipeline::Frame frame);
    void push_audio(const pipeline::Frame& frame);
    void finalise_segment();
    void complete_turn_if_ready();
    void fail(const std::string& message);
    void reset_turn();

    CallContext& call_;
    std::unique_ptr<SttClient> stt_;
    std::uint64_t turn_ = 0;                  // the caller turn being recognised
    std::vector<std::string> segments_;       // final texts of its segments so far
    std::size_t awaiting_finals_ = 0;         // segments flushed, final not yet back
    bool audio_since_flush_ = false;
    bool holding_silence_ = false;            // after a pause: hold unvoiced audio back
    std::vector<pipeline::Frame> held_;
    bool turn_ended_ = false;
    std::int64_t turn_ended_ns_ = 0;
    bool failed_ = false;
};

}  // namespace vox::call::detail
