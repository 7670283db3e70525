// The LLM context of a call: the system prompt and the turns so far, where an
// agent turn holds only what the caller actually heard (a barge-in cuts it to
// the words played before the interruption).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vox::call {

// "Hello {{name}}" with {"name": "Ada"} -> "Hello Ada". Unknown names are left
// as written; non-string values are written as JSON.
std::string substitute_variables(std::string_view text, const nlohmann::json& variables);

// The words of `text` that start before `played_ms`, given each word's start
// time; without timings, the share of the words proportional to played/total.
struct TimedWord {
    std::string word;
    std::uint32_t start_ms = 0;
};
std::string heard_prefix(const std::string& text, const std::vector<TimedWord>& words, std::uint32_t played_ms,
                         std::uint32_t total_ms);
// The words of `text` that `audio_ms` of synthesised audio covers, when the
// synthesis stopped part-way (a TTS that failed mid-response): as many words
// as were timed, else an estimate at a speaking rate of 150 words a minute.
std::string spoken_prefix(const std::string& text, const std::vector<TimedWord>& words, std::uint32_t audio_ms);

class Conversation {
public:
    explicit Conversation(std::string system_prompt) : system_prompt_(std::move(system_prompt)) {}

    void add_user(std::string text);
    // A call flow changes the instructions as it moves from node to node.
    void set_system_prompt(std::string prompt) { system_prompt_ = std::move(prompt); }
    const std::string& system_prompt() const { return system_prompt_; }
    // An agent response `response` begins / grows by a clause / is cut to what was heard.
    void begin_agent(std::uint64_t response);
    void append_agent(std::uint64_t response, std::string_view text);
    void truncate_agent(std::uint64_t response, std::string heard);
    std::string agent_text(std::uint64_t response) const;
    // Function calling: the agent turn of `response` called `tool_calls`
    // (OpenAI shape [{"id","type":"function","function":{"name","arguments"}}]),
    // and a tool answered `tool_call_id` with `content`.
    void add_tool_calls(std::uint64_t response, nlohmann::json tool_calls);
    void add_tool_result(std::string tool_call_id, std::string content);

    // OpenAI-style messages: system first, then the turns (empty agent turns left out).
    nlohmann::json messages() const;
    std::size_t size() const { return turns_.size(); }

private:
    struct Turn {
        std::string role;  // "user" / "assistant" / "tool"
        std::string text;
        std::uint64_t response = 0;
        nlohmann::json tool_calls = nullptr;  // an assistant turn that called tools
        std::string tool_call_id;             // a tool's answer
    };
    Turn* find_agent(std::uint64_t response);
    const Turn* find_agent(std::uint64_t response) const;

    std::string system_prompt_;
    std::vector<Turn> turns_;
};

}  // namespace vox::call
