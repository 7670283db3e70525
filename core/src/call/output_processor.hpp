// Last stage: hands agent audio to the transport, knows what is audible, and
// turns that into events (agent_start_talking / agent_stop_talking,
// interruption with the words heard), latency figures and the agent's lines
// of the transcript.
//
// Barge-in in two steps, so the agent falls silent at once without letting a
// cough cut it off: when the caller starts speaking over the agent, play-out
// is cleared at once and the rest of the response is held (paused); if the
// speech becomes an interruption, the response ends there and the LLM context
// keeps the words heard; if it stays a backchannel, the response resumes from
// where the caller stopped hearing it.
#pragma once

#include "call_context.hpp"

#include <vox/core/pipeline/frame_processor.hpp>

#include <map>
#include <vector>

namespace vox::call::detail {

class OutputProcessor : public pipeline::FrameProcessor {
public:
    explicit OutputProcessor(CallContext& call);
    void process(pipeline::Frame frame) override;
    // The transport reports play-out progress of transport context `context`.
    void on_played(std::uint64_t context, std::uint32_t played_ms);
    // Periodic: ends responses whose audio has played by the clock (a
    // transport that never reports progress).
    void tick(std::int64_t now_ns);

private:
    struct Response {
        std::uint64_t turn = 0;
        bool filler = false;
        std::string text;
        std::vector<TimedWord> words;
        std::vector<std::int16_t> audio;   // everything TTS delivered, at the call's rate
        std::uint32_t sample_rate = 0;
        std::uint64_t transport_context = 0;  // changes when play-out resumes after a pause
        std::uint32_t context_base_ms = 0;    // response position where that context starts
        std::uint32_t played_ms = 0;          // response position heard so far
        std::int64_t first_out_ns = 0;
        std::int64_t playing_since_ns = 0;    // when the current context started playing
        bool paused = false;
        bool synthesis_done = false;

        std::uint32_t total_ms() const;
    };
    void on_audio(pipeline::Frame frame);
    void pause_for_caller();
    void resume_after_backchannel();
    void interrupt();
    void report_latency(std::uint64_t turn);
    void finish(Response& response, bool interrupted, std::uint32_t played_ms);
    void finish_if_played(std::map<std::uint64_t, Response>::iterator it);
    void update_audible();
    void over(std::uint64_t response);  // tells the call the response is over

    CallContext& call_;
    bool can_interrupt_ = true;  // interruption_sensitivity > 0
    std::map<std::uint64_t, Response> responses_;  // started and not yet finished, by response id
    std::map<std::uint64_t, std::uint64_t> contexts_;  // transport context -> response id
    std::uint64_t next_resume_context_ = 1ULL << 48;
};

}  // namespace vox::call::detail
