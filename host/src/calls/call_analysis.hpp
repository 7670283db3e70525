// Post-call analysis of a call record (docs/api.md, "Call analysis"): the
// record's `call_analysis` and `sentiment`.
//
// When a call ends, the caller's words are scored offline (method "lexicon",
// English agents only) and the record is stored with that. When the agent has
// an LLM, PostCallAnalyzer then asks it for a summary, the caller's sentiment
// and whether the call succeeded, and replaces the analysis (method "llm").
// These are the pure parts: the offline verdict, the LLM's request, and
// reading its answer.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace vox::host {

// Whether the caller said anything: an analysis of silence is "unknown".
bool caller_spoke(const nlohmann::json& transcript);

// The offline analysis of `transcript` for an agent speaking `language`
// (BCP-47; only "en…" is scored, others are "unknown").
nlohmann::json lexicon_analysis(const nlohmann::json& transcript, const std::string& language,
                                const std::string& analyzed_at);

// The agent as the analysis asks its LLM: same provider and model, the
// analysis instructions as system prompt (quoting the agent's own), no tools,
// temperature 0.
nlohmann::json analysis_agent(const nlohmann::json& agent);

// The one user message that carries the transcript and how the call ended.
nlohmann::json analysis_messages(const nlohmann::json& record);

// Reads the LLM's answer: a JSON object (possibly in a code fence or after
// some words) with call_summary, user_sentiment and call_successful. nullopt
// when there is no such object or it has none of them.
std::optional<nlohmann::json> parse_llm_analysis(std::string_view reply, const std::string& provider,
                                                 const std::string& analyzed_at);

}  // namespace vox::host
