#include "api/plugin_routes.hpp"

#include "http/http_exchange.hpp"
#include "http/problem_error.hpp"

namespace vox::host {

namespace {

// How long POST /api/system/reload waits for the main thread's reload.
constexpr std::chrono::milliseconds kReloadWait{60'000};

}  // namespace

void add_plugin_routes(ApiRoutes& routes, const ProviderCatalog& providers, ConfigReloader& reloader) {
    ApiOperation list{
        "get",
        "/api/plugins",
        "listPlugins",
        "Loaded providers and refused plugins",
        "The providers new calls use now. generation counts configuration loads (1 at start-up, +1 per "
        "reload); previous_generations_in_use: older generations still serving live calls; providers: key, kind, name, "
        "version, capabilities, settings_schema; plugins; refused: "
        "path and reason; disabled: providers switched off by configuration.",
        {"Plugins"},
        {},
        std::nullopt,
        {{200, json_response("The registry", "plugin_registry")}}};
    routes.add(list, [&providers](HttpExchange& exchange) {
        ProviderGenerationPtr now = providers.current();
        nlohmann::json body = now->plugins->to_json();
        body["generation"] = now->number;
        body["loaded_at"] = now->loaded_at;
        body["previous_generations_in_use"] = providers.retired();
        body["agent_defaults"] = agent_defaults_json(*now);
        exchange.send_json(200, body);
    });

    ApiOperation reload{
        "post",
        "/api/system/reload",
        "reloadConfiguration",
        "Reload the configuration (as SIGHUP does)",
        "Re-reads the configuration file and environment. Provider settings (provider.*), plugin.disabled, "
        "plugin.path, plugin.builtin, the [agents] defaults and calls.vad_provider take effect for new calls; live "
        "calls finish on the providers they started with. Other changed keys are listed in restart_needed_keys. A "
        "configuration that does not load changes nothing (422).",
        {"Plugins"},
        {},
        std::nullopt,
        {{200, json_response("What changed", "reload_result")},
         {422, problem_response("The configuration does not load; nothing changed")},
         {503, problem_response("The reload did not finish in time")}}};
    routes.add(reload, [&reloader](HttpExchange& exchange) {
        ReloadOutcome outcome = reloader.request(kReloadWait);
        if (!outcome.applied) {
            bool late = outcome.timed_out;
            throw ProblemError(Problem{late ? 503 : 422, late ? "reload_timeout" : "config_invalid",
                                       late ? "Reload not finished" : "Configuration does not load", outcome.error,
                                       nlohmann::json::object()});
        }
        exchange.send_json(200, outcome.report);
    });
}

}  // namespace vox::host
