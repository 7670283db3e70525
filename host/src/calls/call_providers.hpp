// Which providers a call of an agent uses, and the session settings for each:
// the agent's stt/llm/tts_provider (else the server's [agents] defaults), the
// VAD from [calls] vad_provider (none loaded: the pipeline's built-in energy
// detector), TTS settings {"voice", "speed" when the provider takes one} and
// STT settings {"language"} when the provider takes one. The agent's
// `fallbacks` that are loaded: fallback STTs get the same settings as the
// primary; fallback TTSs the voice of their entry (else their default) and
// speed and language when they take them.
#pragma once

#include "config/voxd_settings.hpp"

#include <vox/core/call/call_session.hpp>
#include <vox/core/plugin_registry.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace vox::host {

struct ResolvedProviders {
    call::CallProviders providers;
    nlohmann::json stt_settings = nlohmann::json::object();
    nlohmann::json tts_settings = nlohmann::json::object();
    nlohmann::json vad_settings = nlohmann::json::object();
    // The flow_node provider of each node type of the agent's flow.
    std::map<std::string, const Provider*> flow_node_types;
    const Provider* http_tool_runner = nullptr;  // flow_node.function, for agents with http tools
};

// Throws CallRefusal (provider_unavailable, naming the provider) when the
// agent's STT, LLM or TTS provider is not loaded, or a node type of its
// `flow` (null: none). An agent with a flow may go without an LLM: its
// flow then speaks only its nodes' texts.
ResolvedProviders resolve_call_providers(const nlohmann::json& agent, const nlohmann::json& flow,
                                         const PluginRegistry& plugins, const AgentDefaults& defaults,
                                         const std::string& vad_provider);

// The LLM provider of an agent, or a CallRefusal (provider_unavailable).
const Provider& agent_llm_provider(const nlohmann::json& agent, const PluginRegistry& plugins,
                                   const AgentDefaults& defaults);

// Whether a provider's settings schema has a property `name`.
bool takes_setting(const Provider& provider, const std::string& name);

}  // namespace vox::host
