#include "api/provider_checks.hpp"

#include <vox/core/json_text.hpp>

#include <algorithm>
#include <set>

namespace vox::host {
namespace {

void append_to_string(void* user, const char* data, std::size_t length) {
    static_cast<std::string*>(user)->append(data, length);
}

nlohmann::json names_of(const PluginRegistry& plugins, ProviderKind kind) {
    nlohmann::json names = nlohmann::json::array();
    for (const auto* provider : plugins.providers(kind)) names.push_back(provider->name);
    return names;
}

nlohmann::json problem(std::string field, std::string message, nlohmann::json allowed) {
    nlohmann::json item = {{"field", std::move(field)}, {"message", std::move(message)}};
    if (!allowed.is_null()) item["allowed"] = std::move(allowed);
    return item;
}

// The provider an agent uses for `kind`: its own choice, else the default.
// Adds a problem when that provider is not loaded.
const Provider* resolve(const nlohmann::json& agent, const PluginRegistry& plugins, ProviderKind kind,
                        const std::string& fallback, nlohmann::json& problems, bool required) {
    std::string field = std::string(to_string(kind)) + "_provider";
    std::string chosen = json_text(agent, field.c_str());
    bool explicit_choice = !chosen.empty();
    std::string name = explicit_choice ? chosen : fallback;
    const Provider* provider = plugins.find(kind, name);
    if (provider == nullptr && (explicit_choice || required)) {
        std::string message = explicit_choice
                                  ? "no " + std::string(to_string(kind)) + " provider '" + name + "' is loaded"
                                  : "the default " + std::string(to_string(kind)) + " provider '" + name +
                                        "' is not loaded; choose one that is";
        problems.push_back(problem("/" + field, message, names_of(plugins, kind)));
    }
    return provider;
}

}  // namespace

std::vector<std::string> provider_models(const Provider& provider) {
    std::vector<std::string> models;
    auto capabilities = provider.describe();
    if (capabilities.contains("models") && capabilities["models"].is_array())
        for (const auto& model : capabilities["models"])
            if (model.is_string()) models.push_back(model);
    if (!models.empty() || provider.kind != ProviderKind::llm) return models;
    const auto& vtable = provider.vtable<vox_llm_vtable>();
    std::string text;
    vox_string_sink sink{sizeof(vox_string_sink), &text, &append_to_string};
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    if (vtable.list_models(provider.plugin_context(), &sink, &err) != VOX_OK) return models;
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_array())
        for (const auto& model : parsed)
            if (model.is_string()) models.push_back(model);
    return models;
}

namespace {
// A provider whose listed voices are suggestions ("custom_voices": true, e.g. an
// OpenAI-compatible server with voices of its own) takes any voice id.
bool takes_any_voice(const nlohmann::json& capabilities) {
    auto custom = capabilities.find("custom_voices");
    return custom != capabilities.end() && custom->is_boolean() && custom->get<bool>();
}

// The ids of the voices a TTS provider's capabilities list.
nlohmann::json voice_ids(const nlohmann::json& capabilities) {
    nlohmann::json voices = nlohmann::json::array();
    if (!capabilities.contains("voices") || !capabilities["voices"].is_array()) return voices;
    for (const auto& voice : capabilities["voices"]) {
        if (voice.is_string())
            voices.push_back(voice);  // a bare id: tolerated, as plugins have written them
        else if (voice.is_object() && voice.contains("id") && voice["id"].is_string())
            voices.push_back(voice["id"]);
    }
    return voices;
}

// agent.fallbacks: each provider must be loaded; a fallback TTS's voice must be one it offers.
void check_fallbacks(const nlohmann::json& agent, const PluginRegistry& plugins, nlohmann::json& problems) {
    auto fallbacks = agent.find("fallbacks");
    if (fallbacks == agent.end() || !fallbacks->is_object()) return;
    for (ProviderKind kind : {ProviderKind::stt, ProviderKind::llm, ProviderKind::tts}) {
        const std::string stage(to_string(kind));
        const auto list = fallbacks->value(stage, nlohmann::json::array());
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& entry = list[i];
            const std::string at = "/fallbacks/" + stage + "/" + std::to_string(i);
            std::string name = entry.is_string() ? entry.get<std::string>() : std::string();
            if (entry.is_object()) name = json_text(entry, "provider");
            if (name.empty()) continue;  // the schema has said so
            const Provider* provider = plugins.find(kind, name);
            if (provider == nullptr) {
                problems.push_back(problem(at, "fallback " + stage + " provider '" + name + "' is not loaded",
                                           names_of(plugins, kind)));
                continue;
            }
            std::string voice = entry.is_object() ? json_text(entry, "voice") : std::string();
            if (voice.empty()) continue;
            auto capabilities = provider->describe();
            auto voices = voice_ids(capabilities);
            if (!takes_any_voice(capabilities) && std::find(voices.begin(), voices.end(), voice) == voices.end())
                problems.push_back(problem(
                    at + "/voice", "voice '" + voice + "' is not offered by tts provider '" + name + "'", voices));
        }
    }
}

// What the schema cannot say about agent.tools: unique names, what each type needs.
void check_agent_tools(const nlohmann::json& agent, const PluginRegistry& plugins, nlohmann::json& problems) {
    auto tools = agent.find("tools");
    if (tools == agent.end() || !tools->is_array()) return;
    std::set<std::string> names;
    for (std::size_t i = 0; i < tools->size(); ++i) {
        const auto& tool = (*tools)[i];
        std::string at = "/tools/" + std::to_string(i);
        std::string type = tool.value("type", "");
        std::string name = tool.value("name", type == "http" ? std::string() : type);
        if (name.empty())
            problems.push_back(
                problem(at + "/name", "an http tool needs a name (the function name the LLM sees)", nullptr));
        else if (!names.insert(name).second)
            problems.push_back(problem(at + "/name", "tool name '" + name + "' is used twice", nullptr));
        if (type == "transfer_call" && !tool.contains("to"))
            problems.push_back(problem(at + "/to", "a transfer_call tool needs `to`: a number or sip: URI", nullptr));
        if (type != "http") {
            for (const char* key : {"url", "method", "headers", "parameters", "timeout_ms"})
                if (tool.contains(key))
                    problems.push_back(problem(at + "/" + key, std::string(key) + " belongs to http tools", nullptr));
            continue;
        }
        std::string url = tool.value("url", "");
        if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
            problems.push_back(problem(at + "/url", "an http tool needs an http:// or https:// url", nullptr));
        if (plugins.find(ProviderKind::flow_node, "function") == nullptr)
            problems.push_back(problem(
                at + "/type", "http tools run on the flow_node.function provider, which is not loaded", nullptr));
    }
}
}  // namespace

nlohmann::json check_agent_providers(nlohmann::json& agent, const PluginRegistry& plugins,
                                     const AgentDefaults& defaults) {
    nlohmann::json problems = nlohmann::json::array();
    resolve(agent, plugins, ProviderKind::stt, defaults.stt_provider, problems, false);
    const Provider* tts = resolve(agent, plugins, ProviderKind::tts, defaults.tts_provider, problems, true);
    const Provider* llm = resolve(agent, plugins, ProviderKind::llm, defaults.llm_provider, problems, false);

    if (tts != nullptr) {
        auto capabilities = tts->describe();
        nlohmann::json voices = voice_ids(capabilities);
        std::set<std::string> languages;
        if (capabilities.contains("voices") && capabilities["voices"].is_array())
            for (const auto& voice : capabilities["voices"])
                if (voice.is_object() && voice.contains("language") && voice["language"].is_string())
                    languages.insert(voice["language"]);
        if (capabilities.contains("languages") && capabilities["languages"].is_array())
            for (const auto& language : capabilities["languages"])
                if (language.is_string()) languages.insert(language);

        std::string voice = json_text(agent, "voice");
        if (voice.empty()) {
            if (capabilities.contains("default_voice") && capabilities["default_voice"].is_string())
                agent["voice"] = capabilities["default_voice"];
            else if (!voices.empty())
                agent["voice"] = voices.front();
        } else if (!takes_any_voice(capabilities) && std::find(voices.begin(), voices.end(), voice) == voices.end()) {
            problems.push_back(
                problem("/voice", "voice '" + voice + "' is not offered by tts provider '" + tts->name + "'", voices));
        }
        std::string language = json_text(agent, "language");
        if (!languages.empty() && languages.count("*") == 0 && languages.count(language) == 0)
            problems.push_back(problem("/language",
                                       "language '" + language + "' is not spoken by tts provider '" + tts->name + "'",
                                       nlohmann::json(languages)));
    }

    auto model = agent.find("model");
    if (model != agent.end() && model->is_string()) {
        if (llm == nullptr) {
            std::string name = json_text(agent, "llm_provider");
            if (name.empty()) name = defaults.llm_provider;
            if (json_text(agent, "llm_provider").empty())  // not already reported above
                problems.push_back(problem("/model",
                                           "model '" + model->get<std::string>() + "' needs the llm provider '" + name +
                                               "', which is not loaded",
                                           names_of(plugins, ProviderKind::llm)));
        } else {
            auto models = provider_models(*llm);
            if (std::find(models.begin(), models.end(), model->get<std::string>()) == models.end())
                problems.push_back(problem(
                    "/model",
                    "model '" + model->get<std::string>() + "' is not offered by llm provider '" + llm->name + "'",
                    nlohmann::json(models)));
        }
    }
    check_agent_tools(agent, plugins, problems);
    check_fallbacks(agent, plugins, problems);
    return problems;
}

}  // namespace vox::host
