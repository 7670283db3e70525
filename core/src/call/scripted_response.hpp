// A response the agent says word for word (the begin message, a filler, a
// call flow's texts), as the frames that carry it to TTS: response_start, a
// response_text per clause, response_end. Shared by the stages that script
// speech so that all such responses look alike downstream.
#pragma once

#include "call_context.hpp"

#include <vox/core/pipeline/frame.hpp>

#include <string>
#include <vector>

namespace vox::call::detail {

struct ScriptedResponse {
    std::uint64_t id = 0;
    std::vector<pipeline::Frame> frames;
};

// `counts_as_answer`: the response is the answer a caller turn is owed (it
// enters the LLM context and the dead-air watch); otherwise it is a filler.
ScriptedResponse scripted_response(CallContext& call, const std::string& text, bool counts_as_answer,
                                   std::uint64_t generation);

}  // namespace vox::call::detail
