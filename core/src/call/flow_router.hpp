// Decides a flow node's `llm` edge conditions: one request to the agent's
// LLM lists them, numbered, after the conversation so far, and the answer is
// the number of the first one that holds (0: none). Streamed pieces come back
// as flow_result frames (code route_token / route_done / route_error, the
// generation in `response`) through `deliver`, on the provider's threads.
#pragma once

#include <vox/core/call/conversation.hpp>
#include <vox/core/pipeline/frame.hpp>
#include <vox/core/providers/llm_client.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vox::call::detail {

class FlowRouter {
public:
    using Deliver = std::function<void(pipeline::Frame frame)>;

    // Throws ProviderError when `llm` is not an LLM provider.
    FlowRouter(const Provider& llm, nlohmann::json agent, Deliver deliver);
    ~FlowRouter();  // cancels and waits: no delivery after it

    // Starts a decision; returns its generation. Throws ProviderError.
    std::uint64_t ask(const Conversation& conversation, const std::vector<std::string>& conditions);
    // Starts extracting `variables` (extract_variables specs: name, type,
    // description, choices) from the conversation; the answer is a JSON
    // object (see parse_extraction). Returns its generation.
    std::uint64_t extract(const Conversation& conversation, const nlohmann::json& variables);
    void cancel(std::uint64_t generation) noexcept;

    // The request for `conditions` after `conversation` (for tests).
    static nlohmann::json request(const nlohmann::json& agent, const Conversation& conversation,
                                  const std::vector<std::string>& conditions);
    // The 0-based index the answer names, or nullopt for 0, nonsense or out of range.
    static std::optional<std::size_t> parse_answer(const std::string& answer, std::size_t count);
    static nlohmann::json extraction_request(const nlohmann::json& agent, const Conversation& conversation,
                                             const nlohmann::json& variables);
    // The values of an extraction answer: the JSON object in it, keeping only
    // the asked variables with a non-null value (an enum's only when it is
    // one of its choices). Empty when the answer holds no object.
    static nlohmann::json parse_extraction(const std::string& answer, const nlohmann::json& variables);

private:
    nlohmann::json agent_;
    std::unique_ptr<LlmClient> llm_;
};

}  // namespace vox::call::detail
