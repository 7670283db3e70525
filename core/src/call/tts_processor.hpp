// Text-to-speech stage: speaks each response's clauses as they arrive (one
// TTS context per response) and passes the audio on. Audio comes back from
// the provider's threads through inject(), stamped with the generation the
// response was started in, so a barge-in drops whatever is still in flight.
#pragma once

#include "call_context.hpp"

#include <vox/core/pipeline/frame_processor.hpp>
#include <vox/core/providers/tts_client.hpp>

#include <map>
#include <memory>

namespace vox::call::detail {

class TtsProcessor : public pipeline::FrameProcessor {
public:
    explicit TtsProcessor(CallContext& call);
    void open();  // throws ProviderError
    void close() noexcept;
    void process(pipeline::Frame frame) override;

private:
    struct ContextGenerations;
    struct Response {
        std::uint64_t generation = 0;
        std::uint64_t turn = 0;
        bool text_sent = false;
        std::string code;
    };
    void fail(const std::string& message);

    CallContext& call_;
    std::unique_ptr<TtsClient> tts_;
    std::map<std::uint64_t, Response> responses_;  // being synthesised, by response id
    std::shared_ptr<ContextGenerations> generations_;  // shared with the provider's threads
    bool failed_ = false;
};

}  // namespace vox::call::detail
