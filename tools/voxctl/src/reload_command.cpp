// voxctl reload: asks a running voxd to re-read its configuration and switch
// new calls to the providers it now names (POST /api/system/reload, the same
// as `kill -HUP`). Live calls finish on the providers they started with.
#include "call_api.hpp"
#include "command.hpp"

#include <cstdlib>
#include <iostream>

namespace voxctl {
namespace {

std::string joined(const nlohmann::json& list) {
    std::string text;
    for (const auto& item : list)
        text += (text.empty() ? "" : ", ") + (item.is_string() ? item.get<std::string>() : item.dump());
    return text.empty() ? "none" : text;
}

void print_report(const nlohmann::json& report) {
    std::cout << "reloaded: generation " << report.value("generation", 0) << "\n";
    const auto providers = report.value("providers", nlohmann::json::object());
    std::cout << "  providers added:         " << joined(providers.value("added", nlohmann::json::array())) << "\n"
              << "  providers removed:       " << joined(providers.value("removed", nlohmann::json::array())) << "\n"
              << "  providers reinitialised: " << joined(providers.value("reinitialised", nlohmann::json::array()))
              << "\n";
    const auto defaults = report.value("agent_defaults", nlohmann::json::object());
    std::cout << "  agent defaults: stt " << defaults.value("stt_provider", "") << ", llm "
              << defaults.value("llm_provider", "") << ", tts " << defaults.value("tts_provider", "") << "\n";
    for (const auto& refused : report.value("refused", nlohmann::json::array()))
        std::cout << "  refused " << refused.value("path", "") << ": " << refused.value("reason", "") << "\n";
    for (const auto& pending : report.value("restart_needed", nlohmann::json::array()))
        std::cout << "  needs a restart: plugin " << pending.value("plugin", "") << " (" << pending.value("reason", "")
                  << ")\n";
    const auto keys = report.value("restart_needed_keys", nlohmann::json::array());
    if (!keys.empty()) std::cout << "  needs a restart: " << joined(keys) << "\n";
}

int run_reload(const ParsedArgs& args) {
    std::string url = args.required("url");
    if (url.rfind("http://", 0) != 0)
        throw UsageError("--url must be voxd's http:// address, e.g. http://127.0.0.1:8080");
    const char* env_key = std::getenv("VOX_API_KEY");
    std::string api_key = args.value_or("api-key", env_key != nullptr ? env_key : "");
    if (api_key.empty()) throw UsageError("missing --api-key (or VOX_API_KEY)");
    nlohmann::json report = post_api(url, api_key, "/api/system/reload", nlohmann::json::object(), 200, 90);
    if (args.flag("json"))
        std::cout << report.dump(2) << "\n";
    else
        print_report(report);
    return kExitOk;
}

}  // namespace

Command make_reload_command() {
    Command command;
    command.name = "reload";
    command.summary = "make a running voxd re-read its configuration and switch providers for new calls";
    command.usage = "voxctl reload --url URL --api-key KEY [--json]";
    command.description =
        "The same as sending voxd SIGHUP: it re-reads its config file and environment, loads the\n"
        "providers they name (provider.*, plugin.disabled, [agents] defaults) for new calls, and lets\n"
        "live calls finish on the providers they started with. Prints what changed; a configuration\n"
        "that does not load changes nothing and fails with voxd's message.\n\n"
        "Example:\n"
        "  voxctl reload --url http://127.0.0.1:8080 --api-key $VOX_API_KEY";
    command.options = {
        {"url", "URL", "voxd's address, e.g. http://127.0.0.1:8080"},
        {"api-key", "KEY", "an API key (default: $VOX_API_KEY)"},
        {"json", "", "print voxd's whole answer as JSON"},
    };
    command.run = run_reload;
    return command;
}

}  // namespace voxctl
