#include "app/demo_agent.hpp"

#include "api/agent_document.hpp"
#include "api/flow_checks.hpp"
#include "api/provider_checks.hpp"
#include "voxd_demo_agent.hpp"

#include <vox/core/log.hpp>
#include <vox/core/time.hpp>

namespace vox::host {

using nlohmann::json;

bool is_fresh_database(storage::Store& store) {
    return store.api_keys->list().empty() && store.agents->list(storage::PageRequest{1, std::nullopt}).items.empty();
}

std::optional<std::string> create_demo_agent(storage::Store& store, const PluginRegistry& plugins,
                                             const AgentDefaults& defaults) {
    json demo = json::parse(kEmbeddedDemoAgentJson);
    json flow = demo.at("flow");
    json problems = check_flow_structure(flow);
    if (problems.empty()) problems = check_flow_nodes(flow, plugins);
    if (!problems.empty()) {
        vox::log::warn("agents", "the demo agent is not created: its flow does not pass the checks",
                       {{"problems", problems}});
        return std::nullopt;
    }
    json agent = new_agent(demo.at("agent"), defaults);
    // As POST /api/agents does: the providers must be loaded; the voice defaults to the TTS's.
    problems = check_agent_providers(agent, plugins, defaults);
    if (!problems.empty()) {
        vox::log::warn("agents", "the demo agent is not created: its providers are not loaded",
                       {{"problems", problems}});
        return std::nullopt;
    }
    store.agents->create(agent);
    std::string updated_at = time::now_iso8601();
    flow["updated_at"] = updated_at;
    store.agents->put_flow(agent.at("id"), flow, updated_at);
    vox::log::info("agents", "created the demo agent (first start)",
                   {{"agent_id", agent.at("id")}, {"name", agent.at("name")}});
    return agent.at("id").get<std::string>();
}

}  // namespace vox::host
