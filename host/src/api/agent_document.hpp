// Building and updating the stored agent document from API input: defaults
// filled in, read-only fields ignored, settings merged key by key.
#pragma once

#include "config/voxd_settings.hpp"

#include <nlohmann/json.hpp>

namespace vox::host {

// The settings every agent starts with: the "default" of each property in agent_settings.json.
const nlohmann::json& default_agent_settings();

// A new agent from validated POST input (id, timestamps, stats and defaults added).
nlohmann::json new_agent(const nlohmann::json& input, const AgentDefaults& defaults);

// `existing` updated by validated PUT input: the fields sent replace those
// fields (settings per key; "model": null clears it); id, stats and created_at stay.
nlohmann::json updated_agent(const nlohmann::json& existing, const nlohmann::json& input);

}  // namespace vox::host
