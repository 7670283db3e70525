// Last stage: hands agent audio to the transport, knows what is audible, and
// turns that into events (agent_start_talking / agent_stop_talking,
// interruption with the words heard), latency figures and the agent's lines
// of the transcript. On barge-in it clears the transport's play-out and cuts
// the response in the LLM context to what the caller heard.
#pragma once

#include "call_context.hpp"

#include <vox/core/pipeline/frame_processor.hpp>

#include <map>

namespace vox::call::detail {

class OutputProcessor : public pipeline::FrameProcessor {
public:
    explicit OutputProcessor(CallContext& call);
    void process(pipeline::Frame frame) override;
    // The transport reports play-out progress of response `context`.
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
        std::uint32_t sent_ms = 0;
        std::uint32_t played_ms = 0;
        std::int64_t first_out_ns = 0;
        bool synthesis_done = false;
    };
    void on_audio(pipeline::Frame frame);
    void report_latency(std::uint64_t turn);
    void finish(std::uint64_t id, Response& response, bool interrupted, std::uint32_t played_ms);
    void update_audible();

    CallContext& call_;
    std::map<std::uint64_t, Response> responses_;  // started and not yet finished
};

}  // namespace vox::call::detail
