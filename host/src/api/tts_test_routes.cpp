#include "api/tts_test_routes.hpp"

#include "api/provider_checks.hpp"
#include "api/request_body.hpp"
#include "api/tts_preview.hpp"
#include "calls/call_providers.hpp"
#include "http/http_exchange.hpp"
#include "http/problem_error.hpp"

#include <vox/core/audio/wav.hpp>

namespace vox::host {
namespace {

using nlohmann::json;

constexpr std::chrono::seconds kSynthesisTimeout{20};
constexpr const char* kSampleText = "Hello! This is how I sound on a call. How can I help you today?";

ProblemError agent_not_found(const std::string& id) {
    return ProblemError(
        Problem{404, "agent_not_found", "Not found", "agent " + id + " does not exist", {{"agent_id", id}}});
}

// The agent's TTS fields with the request's on top. A different provider
// without a voice gets its own default voice, not the agent's.
json effective_agent(json agent, const json& input, const AgentDefaults& defaults) {
    if (input.contains("tts_provider")) {
        if (input["tts_provider"] != agent.value("tts_provider", json())) agent.erase("voice");
        agent["tts_provider"] = input["tts_provider"];
    }
    if (input.contains("voice")) agent["voice"] = input["voice"];
    if (input.contains("language")) agent["language"] = input["language"];
    if (!agent.contains("language") || !agent["language"].is_string()) agent["language"] = defaults.language;
    if (input.contains("tts_speed")) agent["settings"]["tts_speed"] = input["tts_speed"];
    return agent;
}

// Only the TTS side of the agent is in play: its other providers may be anything.
json tts_problems(json& agent, const PluginRegistry& plugins, const AgentDefaults& defaults) {
    json problems = json::array();
    for (auto& problem : check_agent_providers(agent, plugins, defaults)) {
        std::string field = problem.value("field", "");
        if (field == "/tts_provider" || field == "/voice" || field == "/language") problems.push_back(problem);
    }
    return problems;
}

// What a call of this agent would give the provider: voice, and speed and language when it takes them.
json session_settings(const json& agent, const Provider& tts) {
    json settings = json::object();
    if (agent.contains("voice") && agent["voice"].is_string()) settings["voice"] = agent["voice"];
    const json agent_settings = agent.value("settings", json::object());
    if (auto speed = agent_settings.find("tts_speed");
        speed != agent_settings.end() && speed->is_number() && takes_setting(tts, "speed"))
        settings["speed"] = *speed;
    if (takes_setting(tts, "language")) settings["language"] = agent["language"];
    return settings;
}

}  // namespace

void add_tts_test_routes(ApiRoutes& routes, ApiContext& context) {
    ApiOperation operation{
        "post",
        "/api/test/tts",
        "testTts",
        "Speak a text with an agent's voice",
        "Synthesises `text` (at most 500 characters; default: a short sample sentence) with the agent's TTS "
        "provider, voice, language and tts_speed, each overridden by the field of the same name when given, so an "
        "unsaved form can be previewed. Without agent_id the server's [agents] defaults are used. Answers a WAV "
        "file: PCM16, mono, at the provider's sample rate.",
        {"Testing"},
        {},
        "tts_test_input",
        {{200, ApiResponse{"The speech", std::nullopt, {{"type", "string"}, {"format", "binary"}}, false, "audio/wav"}},
         {404, problem_response("No such agent (agent_not_found)")},
         {422, problem_response("Invalid input, or a voice or language the provider does not offer (with allowed)")},
         {502, problem_response("The TTS provider failed or took too long (tts_error)")},
         {503, problem_response("The agent's TTS provider is not loaded (provider_unavailable)")}}};
    routes.add(operation, [&context](HttpExchange& exchange) {
        json input = read_json_body(exchange, context.max_body_bytes);
        validate_against("tts_test_input", input);
        json agent = json::object();
        if (input.contains("agent_id")) {
            std::string id = input["agent_id"];
            auto stored = context.store.agents->get(id);
            if (!stored) throw agent_not_found(id);
            agent = std::move(*stored);
        }
        ProviderGenerationPtr providers = context.providers.current();
        const PluginRegistry& plugins = *providers->plugins;
        agent = effective_agent(std::move(agent), input, providers->agents);

        std::string name = agent.value("tts_provider", "");
        if (name.empty()) name = providers->agents.tts_provider;
        const Provider* tts = plugins.find(ProviderKind::tts, name);
        if (tts == nullptr && !input.contains("tts_provider")) {
            std::string key = provider_key(ProviderKind::tts, name);
            throw ProblemError(Problem{503,
                                       "provider_unavailable",
                                       "Service unavailable",
                                       "the agent's tts provider " + key + " is not loaded",
                                       {{"provider", key}}});
        }
        if (json problems = tts_problems(agent, plugins, providers->agents); !problems.empty())
            throw validation_failed(std::move(problems),
                                    "the loaded TTS providers do not offer this provider, "
                                    "voice or language");
        if (tts == nullptr)  // named but not loaded: check_agent_providers has reported it above
            throw validation_failed(json::array({{{"field", "/tts_provider"}, {"message", "not loaded"}}}));

        std::string text = input.value("text", std::string(kSampleText));
        audio::AudioBuffer speech;
        try {
            speech = synthesise_preview(*tts, session_settings(agent, *tts), text, kSynthesisTimeout);
        } catch (const TtsPreviewFailed& failure) {
            throw ProblemError(Problem{502,
                                       "tts_error",
                                       "Bad gateway",
                                       "the TTS provider " + tts->key + " failed: " + failure.what(),
                                       {{"provider", tts->key}}});
        }
        std::vector<std::uint8_t> wav = audio::encode_wav(speech.view());
        exchange.response().set("Cache-Control", "no-store");
        exchange.send_text(200, "audio/wav", std::string_view(reinterpret_cast<const char*>(wav.data()), wav.size()));
    });
}

}  // namespace vox::host
