// voxctl keys: create, list and revoke API keys directly in voxd's database
// (the same configuration layers as voxd: --config/VOX_CONFIG, VOX_* variables,
// --storage-url/--data-dir). For operators on the server; it needs no API key,
// which makes it the way in when every key is lost.
#include "command.hpp"

#include "config/config_error.hpp"
#include "config/config_loader.hpp"
#include "config/voxd_settings.hpp"
#include "voxd_embedded_defaults.hpp"

#include <vox/core/auth/api_keys.hpp>
#include <vox/core/storage/store.hpp>

#include <iostream>

namespace voxctl {
namespace {

vox::storage::Store open_configured_store(const ParsedArgs& args) {
    vox::host::ConfigSources sources;
    sources.defaults_ini = vox::host::kEmbeddedDefaultsIni;
    if (auto file = args.value("config")) sources.file = std::filesystem::path(*file);
    sources.environment = vox::host::vox_environment();
    if (auto url = args.value("storage-url")) sources.overrides.push_back("storage.url=" + *url);
    if (auto dir = args.value("data-dir")) sources.overrides.push_back("data.dir=" + *dir);
    vox::host::VoxdSettings settings;
    try {
        settings = vox::host::read_settings(vox::host::load_config(sources));
    } catch (const vox::host::ConfigError& error) {
        throw UsageError(std::string("configuration: ") + error.what());
    }
    vox::storage::DatabaseOptions options;
    options.url = settings.storage.url;
    options.data_dir = settings.data_dir.string();
    options.pool_size = 2;
    return vox::storage::open_store(options);
}

void print_key(const vox::storage::ApiKey& key) {
    std::cout << key.id << "  " << key.prefix << "...  " << key.role << "  \"" << key.name << "\"  created "
              << key.created_at;
    if (key.last_used_at) std::cout << "  last used " << *key.last_used_at;
    if (key.revoked_at) std::cout << "  REVOKED " << *key.revoked_at;
    std::cout << "\n";
}

int run_keys(const ParsedArgs& args) {
    const auto& words = args.positional();
    if (words.empty()) throw UsageError("say what to do: create, list or revoke");
    const std::string& action = words[0];
    if (action == "create") {
        if (words.size() != 1) throw UsageError("create takes no arguments (use --name)");
        std::string role = args.value_or("role", "admin");
        if (role != "admin" && role != "read_only") throw UsageError("--role must be admin or read_only");
        auto store = open_configured_store(args);
        vox::auth::ApiKeyService keys(*store.api_keys);
        auto created = keys.create(args.value_or("name", "created with voxctl"), role);
        if (args.flag("json")) {
            auto body = created.record.to_json();
            body["key"] = created.secret;
            std::cout << body.dump(2) << "\n";
        } else {
            std::cout << created.secret << "\n";
            std::cerr << "voxctl: created " << created.record.id << " (" << role
                      << "); the key above is shown only this once\n";
        }
        return kExitOk;
    }
    if (action == "list") {
        if (words.size() != 1) throw UsageError("list takes no arguments");
        auto store = open_configured_store(args);
        vox::auth::ApiKeyService keys(*store.api_keys);
        auto all = keys.list();
        if (args.flag("json")) {
            nlohmann::json body = nlohmann::json::array();
            for (const auto& key : all) body.push_back(key.to_json());
            std::cout << body.dump(2) << "\n";
        } else {
            if (all.empty()) std::cout << "(no API keys)\n";
            for (const auto& key : all) print_key(key);
        }
        return kExitOk;
    }
    if (action == "revoke") {
        if (words.size() != 2) throw UsageError("revoke takes the key's id: voxctl keys revoke key_...");
        auto store = open_configured_store(args);
        vox::auth::ApiKeyService keys(*store.api_keys);
        using Outcome = vox::storage::ApiKeyRepository::RevokeOutcome;
        switch (keys.revoke(words[1], !args.flag("force"))) {
        case Outcome::revoked: break;
        case Outcome::not_found: std::cerr << "voxctl: no active API key " << words[1] << "\n"; return kExitFailure;
        case Outcome::last_admin:
            std::cerr << "voxctl: " << words[1]
                      << " is the last active admin key; revoking it locks the API until a new key is created "
                         "(add --force to do it anyway)\n";
            return kExitFailure;
        }
        std::cout << "revoked " << words[1] << "\n";
        return kExitOk;
    }
    throw UsageError("unknown action '" + action + "' (create, list or revoke)");
}

}  // namespace

Command make_keys_command() {
    Command command;
    command.name = "keys";
    command.summary = "create, list or revoke API keys in voxd's database";
    command.usage = "voxctl keys create [--name NAME] [--role admin|read_only] | list | revoke KEY_ID [--force]";
    command.description =
        "Works on the database directly, found the way voxd finds it: --config FILE (or VOX_CONFIG),\n"
        "VOX_STORAGE_URL and VOX_DATA_DIR, or the options below. Run it where voxd runs.\n\n"
        "Examples:\n"
        "  voxctl keys create --name ci            prints the new key (only this once)\n"
        "  voxctl keys list\n"
        "  voxctl keys revoke key_4fQ1x9...";
    command.options = {
        {"name", "NAME", "a label for the new key (create)"},
        {"role", "ROLE", "admin (default) or read_only (create)"},
        {"force", "", "allow revoking the last active admin key (revoke)"},
        {"json", "", "print JSON"},
        {"config", "FILE", "voxd's configuration file (default: $VOX_CONFIG, else the built-in defaults)"},
        {"storage-url", "URL", "the database (default: storage.url / $VOX_STORAGE_URL; empty is SQLite in the data dir)"},
        {"data-dir", "DIR", "voxd's data directory (default: data.dir / $VOX_DATA_DIR, ./data)"},
    };
    command.takes_arguments = true;
    command.run = run_keys;
    return command;
}

}  // namespace voxctl
