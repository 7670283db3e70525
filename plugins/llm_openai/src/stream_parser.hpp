// Incremental parser of a Chat Completions SSE stream: feed it the body line
// by line as it arrives; it reports content deltas at once and assembles each
// tool call from its fragments (per tool_calls index), handing it over whole
// when the choice finishes.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace vox::openai {

struct ToolCall {
    std::string id;
    std::string name;
    std::string arguments;  // JSON text, concatenated from the fragments
};

class StreamParser {
public:
    struct Handlers {
        std::function<void(std::string_view text)> on_content;
        std::function<void(const ToolCall& call)> on_tool_call;
    };
    explicit StreamParser(Handlers handlers) : handlers_(std::move(handlers)) {}

    // One line of the body without its line ending. Throws sdk::Error
    // (VOX_ERR_UNAVAILABLE) on malformed data or an error event in the stream.
    void line(std::string_view line);
    // The body ended: dispatches a pending event and any unfinished tool calls.
    void end();

    bool done() const { return done_; }  // "data: [DONE]" seen
    const std::string& finish_reason() const { return finish_reason_; }

private:
    void dispatch();
    void chunk(std::string_view json);
    void emit_tool_calls();

    Handlers handlers_;
    std::string data_;  // data lines of the event being read
    bool has_data_ = false;
    bool done_ = false;
    std::string finish_reason_;
    std::map<long long, ToolCall> tool_calls_;
};

}  // namespace vox::openai
