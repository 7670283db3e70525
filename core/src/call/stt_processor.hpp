// Speech-to-text stage: streams the caller's speech into the STT session and
// passes the turn's final transcript on. To have it ready the moment the turn
// ends, it finalises early, at the first pause; if the caller goes on, the
// next segment is recognised too and the turn's text is the segments joined.
// Silence after a pause is held back (and only sent if speech resumes), so
// the last segment is never a stretch of silence to decode.
// Transcripts come back from the provider's threads through inject(), tagged
// with the session they came from, so a failed session's late ones are dropped.
// When the provider fails (refuses to open, errs mid-call) the next fallback
// is opened and the turn's audio not yet recognised is sent to it again.
#pragma once

#include "call_context.hpp"
#include "fallback_chain.hpp"

#include <vox/core/pipeline/frame_processor.hpp>
#include <vox/core/providers/stt_client.hpp>

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace vox::call::detail {

class SttProcessor : public pipeline::FrameProcessor {
public:
    explicit SttProcessor(CallContext& call);
    // Opens the provider session, else the first fallback that opens (throws
    // the last ProviderError when none does). Call once the processor is in
    // its pipeline.
    void open();
    void close() noexcept;
    void process(pipeline::Frame frame) override;
    // Recognises against `grammar` from the next utterance on ({} = free
    // speech). False when the provider has no grammars or refuses this one
    // (an error event says why); the call goes on with free speech.
    bool set_grammar(const nlohmann::json& grammar);

private:
    // Audio sent to the provider whose final transcript has not come back: a
    // fallback is sent it again. `flushed`: the segment was finalised.
    struct Segment {
        std::deque<std::shared_ptr<const audio::AudioBuffer>> audio;
        bool flushed = false;
    };
    void open_session(const FallbackProvider& provider);
    void on_transcript(pipeline::Frame frame);
    void push_audio(const pipeline::Frame& frame);
    void finalise_segment();
    void complete_turn_if_ready();
    void fail(const std::string& message);
    // The provider failed: moves on to the next fallback that opens and
    // replays the unrecognised audio there; without one, the call fails.
    void on_failure(std::string reason);
    bool switch_provider(std::string& reason);
    void replay();
    void keep_audio(const pipeline::Frame& frame);
    void confirm_segment(bool flushed);
    void reset_turn();

    CallContext& call_;
    std::unique_ptr<SttClient> stt_;
    FallbackChain chain_;  // the agent's STT, then its fallbacks
    std::uint64_t session_ = 0;  // tags the callbacks of the open session
    std::deque<Segment> unconfirmed_;
    std::size_t unconfirmed_samples_ = 0;
    nlohmann::json grammar_;             // taken by the provider; re-applied on a fallback
    std::uint64_t turn_ = 0;             // the caller turn being recognised
    std::vector<std::string> segments_;  // final texts of its segments so far
    std::size_t awaiting_finals_ = 0;    // segments flushed, final not yet back
    bool audio_since_flush_ = false;
    bool holding_silence_ = false;  // after a pause: hold unvoiced audio back
    std::vector<pipeline::Frame> held_;
    bool turn_ended_ = false;
    std::int64_t turn_ended_ns_ = 0;
    bool failed_ = false;
};

}  // namespace vox::call::detail
