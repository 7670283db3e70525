#include <vox/core/call/conversation.hpp>

#include <algorithm>
#include <sstream>

namespace vox::call {
namespace {

std::string trim(std::string_view text) {
    auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return {};
    auto end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(begin, end - begin + 1));
}

std::vector<std::string> split_words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

}  // namespace

std::string substitute_variables(std::string_view text, const nlohmann::json& variables) {
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        auto open = text.find("{{", at);
        if (open == std::string_view::npos) break;
        auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) break;
        out.append(text.substr(at, open - at));
        std::string name = trim(text.substr(open + 2, close - open - 2));
        if (variables.is_object() && variables.contains(name)) {
            const auto& value = variables[name];
            out += value.is_string() ? value.get<std::string>() : value.dump();
        } else {
            out.append(text.substr(open, close + 2 - open));
        }
        at = close + 2;
    }
    out.append(text.substr(at));
    return out;
}

std::string heard_prefix(const std::string& text, const std::vector<TimedWord>& words, std::uint32_t played_ms,
                         std::uint32_t total_ms) {
    std::vector<std::string> text_words = split_words(text);
    std::size_t heard = 0;
    if (!words.empty()) {
        // Timed words may not match the text's tokens one to one (numbers are
        // expanded, punctuation dropped); scale the count to the text.
        std::size_t started = static_cast<std::size_t>(
            std::count_if(words.begin(), words.end(), [&](const TimedWord& w) { return w.start_ms < played_ms; }));
        heard = started * text_words.size() / words.size();
    } else if (total_ms > 0) {
        heard = static_cast<std::size_t>(static_cast<double>(text_words.size()) *
                                         std::min(1.0, static_cast<double>(played_ms) / total_ms));
    }
    heard = std::min(heard, text_words.size());
    std::string out;
    for (std::size_t i = 0; i < heard; ++i) {
        if (i > 0) out += ' ';
        out += text_words[i];
    }
    return out;
}

std::string spoken_prefix(const std::string& text, const std::vector<TimedWord>& words, std::uint32_t audio_ms) {
    constexpr std::uint32_t kMsPerWord = 400;  // 150 words a minute
    std::vector<std::string> text_words = split_words(text);
    std::size_t spoken = words.empty() ? audio_ms / kMsPerWord : words.size();
    spoken = std::min(spoken, text_words.size());
    std::string out;
    for (std::size_t i = 0; i < spoken; ++i) {
        if (i > 0) out += ' ';
        out += text_words[i];
    }
    return out;
}

void Conversation::add_user(std::string text) { turns_.push_back({"user", std::move(text), 0, nullptr, {}}); }

void Conversation::begin_agent(std::uint64_t response) { turns_.push_back({"assistant", {}, response, nullptr, {}}); }

Conversation::Turn* Conversation::find_agent(std::uint64_t response) {
    for (auto it = turns_.rbegin(); it != turns_.rend(); ++it)
        if (it->role == "assistant" && it->response == response) return &*it;
    return nullptr;
}
const Conversation::Turn* Conversation::find_agent(std::uint64_t response) const {
    for (auto it = turns_.rbegin(); it != turns_.rend(); ++it)
        if (it->role == "assistant" && it->response == response) return &*it;
    return nullptr;
}

void Conversation::append_agent(std::uint64_t response, std::string_view text) {
    if (Turn* turn = find_agent(response)) {
        if (!turn->text.empty() && !text.empty()) turn->text += ' ';
        turn->text += trim(text);
    }
}

void Conversation::truncate_agent(std::uint64_t response, std::string heard) {
    if (Turn* turn = find_agent(response)) turn->text = std::move(heard);
}

std::string Conversation::agent_text(std::uint64_t response) const {
    const Turn* turn = find_agent(response);
    return turn == nullptr ? std::string() : turn->text;
}

void Conversation::add_tool_calls(std::uint64_t response, nlohmann::json tool_calls) {
    if (Turn* turn = find_agent(response)) turn->tool_calls = std::move(tool_calls);
}

void Conversation::add_tool_result(std::string tool_call_id, std::string content) {
    turns_.push_back({"tool", std::move(content), 0, nullptr, std::move(tool_call_id)});
}

nlohmann::json Conversation::messages() const {
    nlohmann::json messages = nlohmann::json::array();
    if (!system_prompt_.empty()) messages.push_back({{"role", "system"}, {"content", system_prompt_}});
    for (const Turn& turn : turns_) {
        if (turn.role == "tool") {
            messages.push_back({{"role", "tool"}, {"tool_call_id", turn.tool_call_id}, {"content", turn.text}});
            continue;
        }
        bool calls = turn.tool_calls.is_array() && !turn.tool_calls.empty();
        if (turn.text.empty() && !calls) continue;
        nlohmann::json message = {{"role", turn.role}, {"content", turn.text}};
        if (calls) {
            // A tool call's turn keeps its calls even when a barge-in cut its words.
            if (turn.text.empty()) message["content"] = nullptr;
            message["tool_calls"] = turn.tool_calls;
        }
        messages.push_back(std::move(message));
    }
    return messages;
}

}  // namespace vox::call
