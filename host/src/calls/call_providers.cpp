#include "calls/call_providers.hpp"

#include "calls/call_refusal.hpp"

#include <vox/core/json_text.hpp>

namespace vox::host {
namespace {

using nlohmann::json;

const Provider& required(const json& agent, const PluginRegistry& plugins, ProviderKind kind,
                         const std::string& fallback) {
    std::string field = std::string(to_string(kind)) + "_provider";
    std::string name = json_text(agent, field.c_str());
    if (name.empty()) name = fallback;
    const Provider* provider = plugins.find(kind, name);
    if (provider == nullptr) {
        std::string key = provider_key(kind, name);
        throw CallRefusal(CallRefusalKind::provider_unavailable,
                          "the agent's " + std::string(to_string(kind)) + " provider " + key + " is not loaded",
                          {{"provider", key}});
    }
    return *provider;
}

// {"voice": the agent's, "speed" when the provider takes one}.
json tts_settings(const json& agent, const Provider& tts) {
    json out = json::object();
    std::string voice = json_text(agent, "voice");
    if (!voice.empty()) out["voice"] = voice;
    if (takes_setting(tts, "speed")) {
        const json settings = agent.value("settings", json::object());
        if (auto speed = settings.find("tts_speed"); speed != settings.end() && speed->is_number())
            out["speed"] = *speed;
    }
    return out;
}

// {"language" when the provider takes one}.
json stt_settings(const json& agent, const Provider& stt) {
    json out = json::object();
    std::string language = json_text(agent, "language");
    if (!language.empty() && takes_setting(stt, "language")) out["language"] = language;
    return out;
}

}  // namespace

bool takes_setting(const Provider& provider, const std::string& name) {
    const json& schema = provider.settings_schema;
    auto properties = schema.find("properties");
    return schema.is_object() && properties != schema.end() && properties->is_object() && properties->contains(name);
}

const Provider& agent_llm_provider(const json& agent, const PluginRegistry& plugins, const AgentDefaults& defaults) {
    return required(agent, plugins, ProviderKind::llm, defaults.llm_provider);
}

ResolvedProviders resolve_call_providers(const json& agent, const json& flow, const PluginRegistry& plugins,
                                         const AgentDefaults& defaults, const std::string& vad_provider) {
    ResolvedProviders resolved;
    bool has_flow = flow.is_object() && flow.contains("nodes") && !flow["nodes"].empty();
    const Provider& stt = required(agent, plugins, ProviderKind::stt, defaults.stt_provider);
    const Provider& tts = required(agent, plugins, ProviderKind::tts, defaults.tts_provider);
    resolved.providers.stt = &stt;
    resolved.providers.tts = &tts;
    try {
        resolved.providers.llm = &required(agent, plugins, ProviderKind::llm, defaults.llm_provider);
    } catch (const CallRefusal&) {
        if (!has_flow) throw;
    }
    // Fallbacks not loaded now are left out (the agent was checked when it was saved; a plugin may have gone since).
    if (auto fallbacks = agent.find("fallbacks"); fallbacks != agent.end() && fallbacks->is_object()) {
        for (const auto& name : fallbacks->value("llm", json::array()))
            if (const Provider* provider =
                    name.is_string() ? plugins.find(ProviderKind::llm, name.get<std::string>()) : nullptr)
                resolved.providers.llm_fallbacks.push_back(provider);
        for (const auto& name : fallbacks->value("stt", json::array()))
            if (const Provider* provider =
                    name.is_string() ? plugins.find(ProviderKind::stt, name.get<std::string>()) : nullptr)
                resolved.providers.stt_fallbacks.push_back({provider, stt_settings(agent, *provider)});
        for (const auto& entry : fallbacks->value("tts", json::array())) {
            // A name, or {"provider", "voice"}: the agent's voice belongs to its own TTS.
            bool named = entry.is_object();
            const Provider* provider = plugins.find(ProviderKind::tts, named ? json_text(entry, "provider")
                                                                       : entry.is_string() ? entry.get<std::string>()
                                                                                           : "");
            if (provider == nullptr) continue;
            json settings = tts_settings(agent, *provider);
            settings.erase("voice");
            if (std::string voice = named ? json_text(entry, "voice") : ""; !voice.empty()) settings["voice"] = voice;
            if (std::string language = json_text(agent, "language");
                !language.empty() && takes_setting(*provider, "language"))
                settings["language"] = language;
            resolved.providers.tts_fallbacks.push_back({provider, std::move(settings)});
        }
    }
    if (auto tools = agent.find("tools"); tools != agent.end() && tools->is_array())
        for (const auto& tool : *tools)
            if (tool.value("type", "") == "http") {
                resolved.http_tool_runner = plugins.find(ProviderKind::flow_node, "function");
                if (resolved.http_tool_runner == nullptr)
                    throw CallRefusal(CallRefusalKind::provider_unavailable,
                                      "the agent's http tools need flow_node.function, which is not loaded",
                                      {{"provider", "flow_node.function"}});
            }
    if (has_flow)
        for (const auto& node : flow["nodes"]) {
            std::string type = json_text(node, "type");
            const Provider* provider = plugins.find(ProviderKind::flow_node, type);
            if (provider == nullptr)
                throw CallRefusal(CallRefusalKind::provider_unavailable,
                                  "the agent's flow uses node type '" + type + "', which is not loaded",
                                  {{"provider", provider_key(ProviderKind::flow_node, type)}});
            resolved.flow_node_types[type] = provider;
        }
    resolved.providers.vad = vad_provider.empty() ? nullptr : plugins.find(ProviderKind::vad, vad_provider);

    resolved.tts_settings = tts_settings(agent, tts);
    resolved.stt_settings = stt_settings(agent, stt);
    return resolved;
}

}  // namespace vox::host
