#include <vox/core/log.hpp>
#include <vox/core/plugin_loader.hpp>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/shared_library.hpp>
#include <boost/dll/runtime_symbol_info.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <deque>
#include <mutex>
#include <sstream>

#ifndef VOX_PLUGIN_DIR_FROM_BIN
#define VOX_PLUGIN_DIR_FROM_BIN "../lib/vox/plugins"
#endif

namespace vox {
namespace {

// Plugins are never unloaded: a plugin may have started threads, and its
// static data backs the providers. The handles live until the process exits.
std::deque<boost::dll::shared_library>& open_libraries() {
    static auto* libraries = new std::deque<boost::dll::shared_library>();
    return *libraries;
}
std::mutex& open_libraries_mutex() {
    static std::mutex mutex;
    return mutex;
}

std::vector<std::string> split_path(std::string_view text) {
    std::vector<std::string> parts;
    std::string current;
    std::istringstream stream{std::string(text)};
    while (std::getline(stream, current, ':'))
        if (!current.empty()) parts.push_back(current);
    return parts;
}

}  // namespace

std::filesystem::path builtin_plugin_directory() {
    std::error_code ec;
    auto executable = boost::dll::program_location(ec);
    if (ec) return {};
    return std::filesystem::weakly_canonical(executable.parent_path() / VOX_PLUGIN_DIR_FROM_BIN, ec);
}

std::vector<std::filesystem::path> plugin_search_path(const PluginSearchOptions& options) {
    std::vector<std::filesystem::path> directories;
    auto add = [&](const std::filesystem::path& dir) {
        if (dir.empty()) return;
        std::error_code ec;
        auto normal = std::filesystem::weakly_canonical(dir, ec);
        if (ec) normal = dir;
        if (std::find(directories.begin(), directories.end(), normal) == directories.end()) directories.push_back(normal);
    };
    for (const auto& part : split_path(options.configured_path)) add(part);
    if (options.include_builtin) add(builtin_plugin_directory());
    return directories;
}

void PluginLoader::load_search_path(const std::vector<std::filesystem::path>& directories) {
    for (const auto& directory : directories) load_directory(directory);
}

void PluginLoader::load_directory(const std::filesystem::path& directory) {
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec)) {
        log::warn("plugins", "plugin directory not found", {{"path", directory.string()}});
        return;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(directory, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".so") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) load_file(file);
}

bool PluginLoader::load_file(const std::filesystem::path& file) {
    std::error_code ec;
    auto canonical = std::filesystem::canonical(file, ec);
    std::string origin = ec ? file.string() : canonical.string();
    if (registry_.has_origin(origin)) return false;  // reached twice through the search path

    boost::dll::shared_library library;
    library.load(origin, boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now, ec);
    if (ec) {
        const char* detail = dlerror();
        registry_.refuse(origin, std::string("cannot open the shared library: ") + (detail != nullptr ? detail : ec.message()));
        return false;
    }
    if (!library.has(VOX_PLUGIN_ENTRY_SYMBOL)) {
        registry_.refuse(origin, "missing the entry symbol " VOX_PLUGIN_ENTRY_SYMBOL " (not a Vox plugin, or built without the SDK's export)");
        std::lock_guard lock(open_libraries_mutex());
        open_libraries().push_back(std::move(library));
        return false;
    }
    auto entry = library.get<const vox_plugin_descriptor*()>(VOX_PLUGIN_ENTRY_SYMBOL);
    {
        std::lock_guard lock(open_libraries_mutex());
        open_libraries().push_back(std::move(library));
    }
    return registry_.add(entry, origin);
}

}  // namespace vox
