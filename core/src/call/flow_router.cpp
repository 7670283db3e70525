#include "flow_router.hpp"

#include <algorithm>
#include <cctype>

namespace vox::call::detail {

using pipeline::Frame;
using pipeline::FrameType;

namespace {
constexpr const char* kRouterInstructions =
    "You follow a phone call for a call script. Read the conversation, then decide which of the numbered "
    "conditions is true now. Answer with the number of the first condition that is true, and nothing else; "
    "answer 0 if none is true.";
}

FlowRouter::FlowRouter(const Provider& llm, nlohmann::json agent, Deliver deliver) : agent_(std::move(agent)) {
    auto send = [deliver = std::move(deliver)](const char* code, std::uint64_t generation, std::string_view text) {
        auto f = Frame::make(FrameType::flow_result, 0, 0, 0);
        f.code = code;
        f.response = generation;
        f.text = text;
        deliver(std::move(f));
    };
    llm_ = std::make_unique<LlmClient>(
        llm, LlmCallbacks{
                 .on_token = [send](std::uint64_t g, std::string_view text) { send("route_token", g, text); },
                 .on_tool_call = {},
                 .on_done = [send](std::uint64_t g, std::string_view reason) { send("route_done", g, reason); },
                 .on_error = [send](std::uint64_t g, const ProviderError& e) { send("route_error", g, e.what()); }});
}

FlowRouter::~FlowRouter() = default;

namespace {
std::string transcript_of(const Conversation& conversation) {
    std::string transcript;
    const nlohmann::json messages = conversation.messages();
    auto text = [](const nlohmann::json& message, const char* key) {
        auto it = message.find(key);
        return it != message.end() && it->is_string() ? it->get_ref<const std::string&>() : std::string();
    };
    for (const auto& message : messages) {
        std::string role = text(message, "role");
        if (role == "system") continue;
        transcript += (role == "user" ? "Caller: " : "Agent: ") + text(message, "content") + "\n";
    }
    return transcript.empty() ? std::string("(nothing said yet)\n") : transcript;
}

nlohmann::json chat(const nlohmann::json& agent, const char* instructions, std::string question, int max_tokens) {
    nlohmann::json request = {
        {"messages",
         {{{"role", "system"}, {"content", instructions}}, {{"role", "user"}, {"content", std::move(question)}}}},
        {"temperature", 0},
        {"max_tokens", max_tokens}};
    if (agent.contains("model") && agent["model"].is_string()) request["model"] = agent["model"];
    return request;
}

constexpr const char* kExtractInstructions =
    "You take values out of a phone conversation for a call script. Answer with one JSON object that has a key "
    "for each requested variable: its value as the caller gave it, or null when the caller did not give it. "
    "Answer with the JSON object only.";
}  // namespace

nlohmann::json FlowRouter::request(const nlohmann::json& agent, const Conversation& conversation,
                                   const std::vector<std::string>& conditions) {
    std::string question = "Conversation:\n" + transcript_of(conversation) + "\nConditions:\n";
    for (std::size_t i = 0; i < conditions.size(); ++i) question += std::to_string(i + 1) + ". " + conditions[i] + "\n";
    question += "\nThe number of the first true condition, or 0:";
    return chat(agent, kRouterInstructions, std::move(question), 5);
}

nlohmann::json FlowRouter::extraction_request(const nlohmann::json& agent, const Conversation& conversation,
                                              const nlohmann::json& variables) {
    std::string question = "Conversation:\n" + transcript_of(conversation) + "\nVariables:\n";
    for (const auto& variable : variables) {
        question += "- " + variable.value("name", std::string()) + " (" +
                    variable.value("type", std::string("string")) +
                    "): " + variable.value("description", std::string());
        if (variable.contains("choices")) question += "; one of " + variable["choices"].dump();
        question += "\n";
    }
    question += "\nThe JSON object:";
    return chat(agent, kExtractInstructions, std::move(question), 200);
}

std::uint64_t FlowRouter::extract(const Conversation& conversation, const nlohmann::json& variables) {
    return llm_->start(extraction_request(agent_, conversation, variables));
}

nlohmann::json FlowRouter::parse_extraction(const std::string& answer, const nlohmann::json& variables) {
    nlohmann::json values = nlohmann::json::object();
    auto open = answer.find('{');
    auto close = answer.rfind('}');
    if (open == std::string::npos || close == std::string::npos || close < open) return values;
    auto object = nlohmann::json::parse(answer.substr(open, close - open + 1), nullptr, false);
    if (!object.is_object()) return values;
    for (const auto& variable : variables) {
        std::string name = variable.value("name", std::string());
        auto it = object.find(name);
        if (name.empty() || it == object.end() || it->is_null()) continue;
        if (it->is_string() && it->get<std::string>().empty()) continue;
        if (variable.contains("choices")) {
            const auto& choices = variable["choices"];
            if (std::find(choices.begin(), choices.end(), *it) == choices.end()) continue;
        }
        values[name] = *it;
    }
    return values;
}

std::uint64_t FlowRouter::ask(const Conversation& conversation, const std::vector<std::string>& conditions) {
    return llm_->start(request(agent_, conversation, conditions));
}

void FlowRouter::cancel(std::uint64_t generation) noexcept { llm_->cancel(generation); }

std::optional<std::size_t> FlowRouter::parse_answer(const std::string& answer, std::size_t count) {
    std::size_t at = 0;
    while (at < answer.size() && !std::isdigit(static_cast<unsigned char>(answer[at]))) ++at;
    if (at == answer.size()) return std::nullopt;
    std::size_t number = 0;
    while (at < answer.size() && std::isdigit(static_cast<unsigned char>(answer[at])) && number < 100000)
        number = number * 10 + static_cast<std::size_t>(answer[at++] - '0');
    if (number == 0 || number > count) return std::nullopt;
    return number - 1;
}

}  // namespace vox::call::detail
