#include "calls/call_analysis.hpp"

#include <vox/core/json_text.hpp>
#include <vox/core/text/sentiment_lexicon.hpp>

#include <algorithm>
#include <cctype>
#include <vector>

namespace vox::host {
namespace {

using nlohmann::json;

// Long prompts and transcripts are cut so the request stays within any model's context.
constexpr std::size_t kMaxQuotedPrompt = 4000;
constexpr std::size_t kMaxTranscript = 24000;
constexpr std::size_t kMaxSummary = 2000;
constexpr int kAnalysisMaxTokens = 400;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::string trimmed(std::string_view text) {
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

bool is_sentiment(const std::string& value) {
    return value == "positive" || value == "negative" || value == "neutral" || value == "unknown";
}

// The first JSON object in `reply` that parses: models wrap answers in code
// fences or preface them with a sentence despite being asked not to.
std::optional<json> first_object_in(std::string_view reply) {
    for (auto open = reply.find('{'); open != std::string_view::npos; open = reply.find('{', open + 1)) {
        for (auto close = reply.rfind('}'); close != std::string_view::npos && close > open;
             close = reply.rfind('}', close - 1)) {
            json parsed = json::parse(reply.substr(open, close - open + 1), nullptr, false);
            if (parsed.is_object()) return parsed;
            if (close == 0) break;
        }
    }
    return std::nullopt;
}

}  // namespace

bool caller_spoke(const json& transcript) {
    if (!transcript.is_array()) return false;
    return std::any_of(transcript.begin(), transcript.end(), [](const json& line) {
        return line.is_object() && line.value("speaker", "") == "user" && !trimmed(json_text(line, "text")).empty();
    });
}

json lexicon_analysis(const json& transcript, const std::string& language, const std::string& analyzed_at) {
    std::string sentiment = "unknown";
    if (lower(language.substr(0, 2)) == "en" && transcript.is_array()) {
        std::vector<std::string> caller;
        for (const auto& line : transcript)
            if (line.is_object() && line.value("speaker", "") == "user") caller.push_back(json_text(line, "text"));
        sentiment = text::score_sentiment(caller).label;
    }
    return {{"method", "lexicon"},
            {"user_sentiment", sentiment},
            {"call_summary", nullptr},
            {"call_successful", nullptr},
            {"analyzed_at", analyzed_at}};
}

json analysis_agent(const json& agent) {
    std::string instructions = json_text(agent, "system_prompt");
    if (instructions.size() > kMaxQuotedPrompt) instructions = instructions.substr(0, kMaxQuotedPrompt) + " […]";
    std::string prompt =
        "You analyse a finished phone call between a voice agent and a caller. Answer with one JSON object and "
        "nothing else, exactly these keys:\n"
        "{\"call_summary\": \"two or three sentences: why the caller called, what happened, how it ended\", "
        "\"user_sentiment\": \"positive\" or \"negative\" or \"neutral\", "
        "\"call_successful\": true or false}\n"
        "user_sentiment is how the caller felt over the call, judged from the caller's words. call_successful is "
        "true when the agent did what the caller needed and what its instructions ask of it.";
    if (!instructions.empty()) prompt += "\n\nThe agent's instructions were:\n<<<\n" + instructions + "\n>>>";

    json analyst = {{"id", agent.value("id", "")}, {"system_prompt", prompt}};
    for (const char* kept : {"llm_provider", "model", "fallbacks"})
        if (auto it = agent.find(kept); it != agent.end()) analyst[kept] = *it;
    analyst["settings"] = {{"temperature", 0}, {"max_tokens", kAnalysisMaxTokens}};
    return analyst;
}

json analysis_messages(const json& record) {
    std::string transcript;
    for (const auto& line : record.value("transcript", json::array())) {
        if (!line.is_object()) continue;
        std::string text = trimmed(json_text(line, "text"));
        if (text.empty()) continue;
        transcript += line.value("speaker", "") == "user" ? "Caller: " : "Agent: ";
        transcript += text + "\n";
    }
    // The end of a long call says most about how it went: keep the end.
    if (transcript.size() > kMaxTranscript)
        transcript = "[…]\n" + transcript.substr(transcript.size() - kMaxTranscript);
    std::string ended = json_text(record, "disconnection_reason");
    std::string content = "Transcript:\n" + transcript;
    if (!ended.empty()) content += "\nThe call ended with reason: " + ended + ".";
    return json::array({{{"role", "user"}, {"content", content}}});
}

std::optional<json> parse_llm_analysis(std::string_view reply, const std::string& provider,
                                       const std::string& analyzed_at) {
    auto answer = first_object_in(reply);
    if (!answer) return std::nullopt;
    json summary = nullptr;
    if (auto it = answer->find("call_summary"); it != answer->end() && it->is_string()) {
        std::string text = trimmed(it->get<std::string>());
        if (text.size() > kMaxSummary) text = text.substr(0, kMaxSummary) + "…";
        if (!text.empty()) summary = text;
    }
    std::string sentiment = "unknown";
    if (auto it = answer->find("user_sentiment"); it != answer->end() && it->is_string()) {
        std::string value = lower(trimmed(it->get<std::string>()));
        if (is_sentiment(value)) sentiment = value;
    }
    json successful = nullptr;
    if (auto it = answer->find("call_successful"); it != answer->end()) {
        if (it->is_boolean())
            successful = *it;
        else if (it->is_string() &&
                 (lower(it->get<std::string>()) == "true" || lower(it->get<std::string>()) == "false"))
            successful = lower(it->get<std::string>()) == "true";
    }
    if (summary.is_null() && sentiment == "unknown" && successful.is_null()) return std::nullopt;
    return json{{"method", "llm"},         {"user_sentiment", sentiment},
                {"call_summary", summary}, {"call_successful", successful},
                {"provider", provider},    {"analyzed_at", analyzed_at}};
}

}  // namespace vox::host
