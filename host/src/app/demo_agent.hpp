// The demo agent (config/demo_agent.json, compiled in): a clinic
// receptionist whose call flow books an appointment with no LLM, on the local
// STT and TTS. voxd creates it on its first start, so that a newcomer has
// something to call at once.
#pragma once

#include "config/voxd_settings.hpp"

#include <vox/core/plugin_registry.hpp>
#include <vox/core/storage/store.hpp>

#include <optional>
#include <string>

namespace vox::host {

// Whether the database is fresh: no API key and no agent yet (checked before
// the first key is made, so deleting the demo agent later does not bring it back).
bool is_fresh_database(storage::Store& store);

// Creates the demo agent and its flow; returns its id. nullopt (and a
// warning in the log) when the flow's node types are not loaded or the
// embedded flow does not pass the API's checks.
std::optional<std::string> create_demo_agent(storage::Store& store, const PluginRegistry& plugins,
                                             const AgentDefaults& defaults);

}  // namespace vox::host
