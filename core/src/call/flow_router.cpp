#include "flow_router.hpp"

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
        llm, LlmCallbacks{.on_token = [send](std::uint64_t g, std::string_view text) { send("route_token", g, text); },
                          .on_tool_call = {},
                          .on_done = [send](std::uint64_t g, std::string_view reason) { send("route_done", g, reason); },
                          .on_error = [send](std::uint64_t g, const ProviderError& e) { send("route_error", g, e.what()); }});
}

FlowRouter::~FlowRouter() = default;

nlohmann::json FlowRouter::request(const nlohmann::json& agent, const Conversation& conversation,
                                   const std::vector<std::string>& conditions) {
    std::string transcript;
    for (const auto& message : conversation.messages()) {
        std::string role = message.value("role", "");
        if (role == "system") continue;
        transcript += (role == "user" ? "Caller: " : "Agent: ") + message.value("content", std::string()) + "\n";
    }
    std::string question = "Conversation:\n" + (transcript.empty() ? std::string("(nothing said yet)\n") : transcript) +
                           "\nConditions:\n";
    for (std::size_t i = 0; i < conditions.size(); ++i)
        question += std::to_string(i + 1) + ". " + conditions[i] + "\n";
    question += "\nThe number of the first true condition, or 0:";
    nlohmann::json request = {{"messages",
                               {{{"role", "system"}, {"content", kRouterInstructions}},
                                {{"role", "user"}, {"content", question}}}},
                              {"temperature", 0},
                              {"max_tokens", 5}};
    if (agent.contains("model") && agent["model"].is_string()) request["model"] = agent["model"];
    return request;
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
