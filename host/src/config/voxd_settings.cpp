#include "config/voxd_settings.hpp"

#include "config/config_error.hpp"
#include "config/config_loader.hpp"

#include <vox/core/provider_kind.hpp>

#include <algorithm>
#include <charconv>
#include <sstream>

namespace vox::host {
namespace {

// Reads keys of one LayeredConfig and turns a bad value into a ConfigError
// that says which key, which value and where it was set.
class SettingReader {
public:
    explicit SettingReader(const LayeredConfig& config) : config_(config) {}

    // The value with any surrounding double quotes removed.
    ResolvedValue raw(std::string_view key) const {
        auto found = config_.find(key);
        if (!found)
            throw ConfigError(std::string(key) + ": missing (the built-in defaults define it; was it removed?)");
        found->value = unquote_value(found->value);
        return *found;
    }

    std::string text(std::string_view key) const { return raw(key).value; }

    std::string non_empty(std::string_view key) const {
        auto value = raw(key);
        if (value.value.empty()) fail(key, value, "must not be empty");
        return value.value;
    }

    long long integer(std::string_view key, long long min, long long max) const {
        auto value = raw(key);
        long long number = 0;
        const char* begin = value.value.data();
        const char* end = begin + value.value.size();
        auto [rest, error] = std::from_chars(begin, end, number);
        if (value.value.empty() || error != std::errc() || rest != end || number < min || number > max)
            fail(key, value, "is not a whole number from " + std::to_string(min) + " to " + std::to_string(max));
        return number;
    }

    std::chrono::milliseconds milliseconds(std::string_view key, long long max) const {
        return std::chrono::milliseconds(integer(key, 0, max));
    }

    bool boolean(std::string_view key) const {
        auto value = raw(key);
        std::string word = normalize_key(value.value);
        if (word == "true" || word == "yes" || word == "on" || word == "1") return true;
        if (word == "false" || word == "no" || word == "off" || word == "0") return false;
        fail(key, value, "is not a boolean (true/false, yes/no, on/off, 1/0)");
        return false;
    }

    [[noreturn]] static void fail(std::string_view key, const ResolvedValue& value, const std::string& what) {
        throw ConfigError(std::string(key) + ": \"" + value.value + "\" " + what + " (set by " + value.source + ")");
    }

private:
    const LayeredConfig& config_;
};

std::string trim(std::string_view text) {
    auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

std::set<std::string> read_disabled(const SettingReader& reader) {
    auto value = reader.raw("plugin.disabled");
    std::set<std::string> keys;
    std::istringstream items(value.value);
    std::string item;
    while (std::getline(items, item, ',')) {
        std::string key = normalize_key(trim(item));
        if (key.empty()) continue;
        auto dot = key.find('.');
        bool known_kind = dot != std::string::npos && provider_kind_from_string(key.substr(0, dot)).has_value();
        if (!known_kind || dot + 1 == key.size())
            SettingReader::fail("plugin.disabled", value,
                                "must list provider keys \"<kind>.<name>\" (kinds: stt, llm, tts, vad, transport, "
                                "flow_node), separated by commas; \"" +
                                    key + "\" is not one");
        keys.insert(key);
    }
    return keys;
}

LogSettings read_log(const SettingReader& reader) {
    LogSettings log;
    auto level = reader.raw("log.level");
    if (!vox::log::parse_level(normalize_key(level.value), log.level))
        SettingReader::fail("log.level", level, "is not a log level (trace, debug, info, warn, error, critical, off)");
    auto format = reader.raw("log.format");
    std::string word = normalize_key(format.value);
    if (word == "json")
        log.format = vox::log::Format::json;
    else if (word == "text")
        log.format = vox::log::Format::text;
    else
        SettingReader::fail("log.format", format, "is not a log format (json or text)");
    return log;
}

std::string read_storage_url(const SettingReader& reader) {
    auto url = reader.raw("storage.url");
    if (url.value.empty()) return url.value;
    auto colon = url.value.find(':');
    bool has_scheme =
        colon != std::string::npos && colon > 0 &&
        std::all_of(url.value.begin(), url.value.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
        });
    if (!has_scheme)
        SettingReader::fail("storage.url", url,
                            "is not a database URL (e.g. sqlite:///var/lib/vox/vox.db or "
                            "postgresql://user:password@host:5432/vox; empty for SQLite in data.dir)");
    return url.value;
}

}  // namespace

VoxdSettings read_settings(const LayeredConfig& config) {
    SettingReader reader(config);
    VoxdSettings settings;

    settings.http.host = reader.non_empty("http.host");
    settings.http.port = static_cast<std::uint16_t>(reader.integer("http.port", 0, 65535));
    settings.http.max_threads = static_cast<int>(reader.integer("http.max_threads", 1, 1024));
    settings.http.max_queued = static_cast<int>(reader.integer("http.max_queued", 1, 65536));
    settings.http.keep_alive = reader.boolean("http.keep_alive");
    constexpr long long kHour = 3'600'000;
    settings.http.keep_alive_timeout = reader.milliseconds("http.keep_alive_timeout_ms", kHour);
    settings.http.timeout = reader.milliseconds("http.timeout_ms", kHour);
    settings.drain_timeout = reader.milliseconds("http.drain_timeout_ms", kHour);
    settings.max_body_bytes = static_cast<std::size_t>(reader.integer("http.max_body_bytes", 1024, 1LL << 30));
    settings.web_root = trim(reader.text("http.web_root"));

    settings.data_dir = reader.non_empty("data.dir");
    settings.storage.url = read_storage_url(reader);
    settings.storage.pool_size = static_cast<std::size_t>(reader.integer("storage.pool_size", 1, 1024));
    auto synchronous = reader.raw("storage.sqlite_synchronous");
    std::string mode = normalize_key(synchronous.value);
    if (mode != "full" && mode != "normal")
        SettingReader::fail("storage.sqlite_synchronous", synchronous, "is not full or normal");
    settings.storage.sqlite_synchronous_full = mode == "full";

    auto bootstrap = reader.raw("bootstrap.api_key");
    if (!bootstrap.value.empty() && (bootstrap.value.size() < 16 || bootstrap.value.find(' ') != std::string::npos))
        SettingReader::fail("bootstrap.api_key", bootstrap, "must be at least 16 characters, without spaces");
    settings.bootstrap_api_key = bootstrap.value;
    settings.demo_agent = reader.boolean("bootstrap.demo_agent");

    settings.agents.stt_provider = reader.non_empty("agents.stt_provider");
    settings.agents.llm_provider = reader.non_empty("agents.llm_provider");
    settings.agents.tts_provider = reader.non_empty("agents.tts_provider");
    settings.agents.language = reader.non_empty("agents.language");

    settings.calls.threads = static_cast<std::size_t>(reader.integer("calls.threads", 1, 256));
    settings.calls.vad_provider = reader.text("calls.vad_provider");
    settings.calls.token_ttl = std::chrono::milliseconds(reader.integer("calls.token_ttl_ms", 100, 3'600'000));
    settings.calls.max_concurrent_calls =
        static_cast<std::size_t>(reader.integer("calls.max_concurrent_calls", 1, 100'000));
    settings.calls.recording = reader.boolean("calls.recording");
    std::string recordings_dir = trim(reader.text("calls.recordings_dir"));
    settings.calls.recordings_dir =
        recordings_dir.empty() ? settings.data_dir / "recordings" : std::filesystem::path(recordings_dir);
    settings.calls.recordings_max_age =
        std::chrono::hours(24 * reader.integer("calls.recordings_max_age_days", 0, 36'500));
    settings.calls.tts_first_audio_timeout = reader.milliseconds("calls.tts_first_audio_timeout_ms", 600'000);
    auto analysis = reader.raw("calls.analysis");
    std::string analysis_mode = normalize_key(analysis.value);
    if (analysis_mode == "auto")
        settings.calls.analysis = AnalysisMode::automatic;
    else if (analysis_mode == "lexicon")
        settings.calls.analysis = AnalysisMode::lexicon;
    else if (analysis_mode == "off")
        settings.calls.analysis = AnalysisMode::off;
    else
        SettingReader::fail("calls.analysis", analysis, "is not auto, lexicon or off");
    settings.calls.analysis_timeout =
        std::chrono::milliseconds(reader.integer("calls.analysis_timeout_ms", 1000, 600'000));

    settings.plugin.path = reader.text("plugin.path");
    settings.plugin.builtin = reader.boolean("plugin.builtin");
    settings.plugin.disabled = read_disabled(reader);
    settings.plugin.work_threads = static_cast<std::size_t>(reader.integer("plugin.work_threads", 1, 256));

    settings.log = read_log(reader);
    return settings;
}

nlohmann::json provider_settings(const LayeredConfig& config, std::string_view provider_key) {
    nlohmann::json settings = nlohmann::json::object();
    for (const auto& [name, value] : config.section("provider." + std::string(provider_key)))
        if (!value.empty()) settings[name] = setting_to_json(value);
    return settings;
}

bool is_secret_key(std::string_view key) {
    std::string normal = normalize_key(key);
    std::string last = normal.substr(normal.find_last_of('.') == std::string::npos ? 0 : normal.find_last_of('.') + 1);
    for (const char* word : {"key", "secret", "token", "password", "passwd", "credential"})
        if (last.find(word) != std::string::npos) return true;
    return false;
}

std::string mask_url_password(std::string_view value) {
    auto scheme_end = value.find("://");
    if (scheme_end == std::string_view::npos) return std::string(value);
    auto authority = scheme_end + 3;
    auto at = value.find('@', authority);
    auto slash = value.find('/', authority);
    if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) return std::string(value);
    auto colon = value.find(':', authority);
    if (colon == std::string_view::npos || colon > at) return std::string(value);
    return std::string(value.substr(0, colon + 1)) + "****" + std::string(value.substr(at));
}

std::vector<std::string> describe_config(const LayeredConfig& config) {
    auto shown = [](std::string_view name, const std::string& value) {
        return is_secret_key(name) && !value.empty() ? std::string("****") : mask_url_password(value);
    };
    std::vector<std::string> lines;
    for (const auto& key : config.keys()) {
        auto value = config.find(key);
        lines.push_back(key + " = " + shown(key, value->value) + "    (" + value->source + ")");
    }
    for (const auto& [variable, value] : config.unmatched_environment({})) {
        std::string note = variable == kConfigFileVariable ? "the config file"
                           : variable.rfind("VOX_PROVIDER_", 0) == 0
                               ? "a provider setting, if a provider of that name is loaded"
                               : "matches no key";
        lines.push_back(variable + " = " + shown(variable, value) + "    (environment variable: " + note + ")");
    }
    return lines;
}

}  // namespace vox::host
