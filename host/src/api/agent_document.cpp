#include "api/agent_document.hpp"

#include <vox/core/ids.hpp>
#include <vox/core/schema_catalog.hpp>
#include <vox/core/time.hpp>

namespace vox::host {
namespace {

constexpr const char* kReadOnly[] = {"id", "stats", "created_at", "updated_at"};

bool is_read_only(const std::string& key) {
    for (const char* name : kReadOnly)
        if (key == name) return true;
    return false;
}

}  // namespace

const nlohmann::json& default_agent_settings() {
    static const nlohmann::json defaults = [] {
        nlohmann::json settings = nlohmann::json::object();
        for (const auto& [name, property] : SchemaCatalog::instance().raw("agent_settings")["properties"].items())
            if (property.contains("default")) settings[name] = property["default"];
        return settings;
    }();
    return defaults;
}

nlohmann::json new_agent(const nlohmann::json& input, const AgentDefaults& defaults) {
    std::string now = time::now_iso8601();
    nlohmann::json agent = {{"id", new_id("agent")},
                            {"name", input.at("name")},
                            {"description", ""},
                            {"system_prompt", ""},
                            {"begin_message", ""},
                            {"language", defaults.language},
                            {"model", nullptr},
                            {"status", "active"},
                            {"settings", default_agent_settings()},
                            {"metadata", nlohmann::json::object()},
                            {"stats", {{"calls_handled", 0}, {"avg_latency", 0.0}, {"success_rate", 0.0}}},
                            {"created_at", now},
                            {"updated_at", now}};
    agent = updated_agent(agent, input);
    agent["updated_at"] = now;  // a new agent was created and last updated at the same moment
    return agent;
}

nlohmann::json updated_agent(const nlohmann::json& existing, const nlohmann::json& input) {
    nlohmann::json agent = existing;
    for (const auto& [key, value] : input.items()) {
        if (is_read_only(key)) continue;
        if (key == "settings") {
            for (const auto& [name, setting] : value.items()) agent["settings"][name] = setting;
        } else if (value.is_null() && key.ends_with("_provider")) {
            agent.erase(key);  // back to the server's [agents] default
        } else {
            agent[key] = value;
        }
    }
    agent["updated_at"] = time::now_iso8601();
    return agent;
}

}  // namespace vox::host
