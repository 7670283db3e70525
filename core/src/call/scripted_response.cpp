#include "scripted_response.hpp"

#include <vox/core/text/clause_splitter.hpp>

namespace vox::call::detail {

using pipeline::Frame;
using pipeline::FrameType;

ScriptedResponse scripted_response(CallContext& call, const std::string& text, bool counts_as_answer,
                                   std::uint64_t generation) {
    ScriptedResponse response;
    response.id = call.next_response++;
    auto make = [&](FrameType type) {
        auto f = Frame::make(type, call.turn, generation, call.now_ns());
        f.response = response.id;
        f.code = counts_as_answer ? "" : "filler";
        return f;
    };
    if (counts_as_answer) {
        call.answer_owed_since = call.now_ns();
        call.conversation.begin_agent(response.id);
    }
    response.frames.push_back(make(FrameType::response_start));
    for (auto& clause : text::split_clauses(text)) {
        if (counts_as_answer) call.conversation.append_agent(response.id, clause);
        auto out = make(FrameType::response_text);
        out.text = std::move(clause);
        response.frames.push_back(std::move(out));
    }
    response.frames.push_back(make(FrameType::response_end));
    return response;
}

}  // namespace vox::call::detail
