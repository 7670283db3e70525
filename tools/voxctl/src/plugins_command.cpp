// voxctl plugins: what the plugin search path offers on this machine, and
// why any plugin was refused.
#include "command.hpp"
#include "local_plugins.hpp"

#include <iostream>

namespace voxctl {
namespace {

int run_plugins(const ParsedArgs& args) {
    LocalPlugins plugins(args.value_or(kPluginPathOption, ""));
    const vox::PluginRegistry& registry = plugins.registry();
    if (args.flag("json")) {
        nlohmann::json document = registry.to_json();
        document["search_path"] = nlohmann::json::array();
        for (const auto& dir : plugins.search_path()) document["search_path"].push_back(dir.string());
        // Add run-time capabilities, as the API shows them.
        for (auto& entry : document["providers"])
            if (const vox::Provider* provider = registry.find(entry.value("key", "")); provider != nullptr)
                entry["capabilities"] = provider->describe();
        std::cout << document.dump(2) << "\n";
        return kExitOk;
    }

    std::cout << "Search path:\n";
    for (const auto& dir : plugins.search_path()) std::cout << "  " << dir.string() << "\n";
    std::cout << "\nProviders:\n";
    if (registry.providers().empty()) std::cout << "  (none)\n";
    for (const vox::Provider* provider : registry.providers()) {
        std::cout << "  " << provider->key << "  " << provider->plugin->name << " " << provider->plugin->version << "  "
                  << provider->description << "\n";
        nlohmann::json voices = provider->capabilities.value("voices", nlohmann::json::array());
        if (!voices.empty()) {
            std::cout << "      voices:";
            for (const auto& voice : voices) std::cout << " " << voice.value("id", "?");
            std::cout << "\n";
        }
        std::cout << "      from " << provider->plugin->origin << "\n";
    }
    if (!registry.disabled().empty()) {
        std::cout << "\nDisabled by configuration:\n";
        for (const auto& disabled : registry.disabled())
            std::cout << "  " << disabled.key << "  (" << disabled.origin << ")\n";
    }
    if (!registry.refused().empty()) {
        std::cout << "\nRefused plugins:\n";
        for (const auto& refused : registry.refused())
            std::cout << "  " << refused.origin << "\n      " << refused.reason << "\n";
    }
    return kExitOk;
}

}  // namespace

Command make_plugins_command() {
    Command command;
    command.name = "plugins";
    command.summary = "list the providers on the plugin search path, and refused plugins with reasons";
    command.usage = "voxctl plugins [--json] [--plugin-path DIRS]";
    command.description =
        "Loads every plugin on the search path as voxd would and lists the providers they offer (with their\n"
        "voices), the plugins refused (wrong ABI, failed init, duplicate provider, ...) and why.";
    command.options = {
        {"json", "", "print the registry as JSON (providers with capabilities and settings schema)"},
        {kPluginPathOption, "DIRS", kPluginPathHelp},
    };
    command.run = run_plugins;
    return command;
}

}  // namespace voxctl
