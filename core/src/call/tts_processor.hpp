// Text-to-speech stage: speaks each response's clauses as they arrive (one
// TTS context per response) and passes the audio on. Audio comes back from
// the provider's threads through inject() into this stage, tagged with the
// session it came from; here it is stamped with the generation its response
// was started in, so a barge-in drops whatever is still in flight.
//
// When the provider fails (refuses to open, errs on a response) the next
// fallback takes over: a response none of whose audio came back is spoken
// again by it in full; one already audible ends where it is (what was said
// stands) and later responses go to the fallback. A provider that sends no
// audio for a whole response within CallSetup::tts_first_audio_ms counts as failed.
#pragma once

#include "call_context.hpp"
#include "fallback_chain.hpp"

#include <vox/core/pipeline/frame_processor.hpp>
#include <vox/core/providers/tts_client.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vox::call::detail {

class TtsProcessor : public pipeline::FrameProcessor {
public:
    explicit TtsProcessor(CallContext& call);
    // Opens the provider session, else the first fallback that opens (throws
    // the last ProviderError when none does).
    void open();
    void close() noexcept;
    void process(pipeline::Frame frame) override;
    // Periodic: a response given whole to the provider that has had no audio
    // back for `limit_ms` counts as the provider failing (0: never).
    void fail_if_silent(std::int64_t now_ns, std::uint32_t limit_ms);

private:
    struct Response {
        std::uint64_t generation = 0;
        std::uint64_t turn = 0;
        bool text_sent = false;
        std::string code;
        std::string text;             // all pushed so far: a fallback speaks it again
        bool ended = false;           // flushed: no more text comes
        bool audible = false;         // some of its audio came back
        bool cut = false;             // ended early when the provider failed mid-audio
        std::int64_t flushed_ns = 0;  // when the current provider was given all of it
    };
    void open_session(const FallbackProvider& provider);
    void from_provider(pipeline::Frame frame);
    void on_text(pipeline::Frame frame);
    void on_end(pipeline::Frame frame);
    // The provider failed: moves on to the next fallback that opens and hands
    // it the open responses; without one, the call fails.
    void on_failure(std::string reason);
    bool switch_provider(std::string& reason);
    void hand_over();
    void fail(const std::string& message);

    CallContext& call_;
    std::unique_ptr<TtsClient> tts_;
    FallbackChain chain_;                          // the agent's TTS, then its fallbacks
    std::uint64_t session_ = 0;                    // tags the callbacks of the open session
    std::map<std::uint64_t, Response> responses_;  // until synthesised (or cut), by response id
    bool failed_ = false;
};

}  // namespace vox::call::detail
