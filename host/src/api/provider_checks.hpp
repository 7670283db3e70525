// Checks what an agent names against the providers actually loaded: its stt,
// llm and tts providers, its voice (from the tts provider's voices), its
// language and its model (from the llm provider's model list). Each problem
// lists the valid values, so a client can offer them.
#pragma once

#include "config/voxd_settings.hpp"

#include <vox/core/plugin_registry.hpp>

#include <nlohmann/json.hpp>

namespace vox::host {

// Fills in the voice when the agent has none (the provider's default voice).
// Returns the problems as [{field, message, allowed}], empty when all is well.
nlohmann::json check_agent_providers(nlohmann::json& agent, const PluginRegistry& plugins,
                                     const AgentDefaults& defaults);

// The model ids an llm provider offers (empty when it cannot say).
std::vector<std::string> provider_models(const Provider& provider);

}  // namespace vox::host
