// voxd's configuration: the INI dialect, the layering (defaults < file <
// environment < command line), the environment names, typed settings and
// their error messages, and provider settings.
#include "config/config_error.hpp"
#include "config/config_loader.hpp"
#include "config/ini_parser.hpp"
#include "config/voxd_settings.hpp"
#include "voxd_embedded_defaults.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace vox::host {
namespace {

// A config file that lives as long as the test.
class TempFile {
public:
    explicit TempFile(const std::string& text) {
        path_ = std::filesystem::temp_directory_path() /
                ("voxd-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++) + ".ini");
        std::ofstream(path_) << text;
    }
    ~TempFile() { std::filesystem::remove(path_); }
    const std::filesystem::path& path() const { return path_; }

private:
    static inline int counter_ = 0;
    std::filesystem::path path_;
};

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "(no error)";
}

LayeredConfig defaults_with(ConfigValues environment, std::vector<std::string> overrides = {},
                            std::optional<std::filesystem::path> file = std::nullopt) {
    ConfigSources sources;
    sources.defaults_ini = kEmbeddedDefaultsIni;
    sources.environment = std::move(environment);
    sources.overrides = std::move(overrides);
    sources.file = std::move(file);
    return load_config(sources);
}

// --- the INI dialect ---------------------------------------------------------

TEST(IniParser, ReadsSectionsAsDottedKeys) {
    auto values = parse_ini(
        "top = 1\n"
        "; a comment\n"
        "# another comment\n"
        "\n"
        "[HTTP]\n"
        "  Port = 8080  \n"
        "host=127.0.0.1\n"
        "[provider.tts.flite]\n"
        "voice = \"  slt \"\n"
        "url = postgresql://u:p;#x@h/db\n"
        "empty =\n",
        "test");
    EXPECT_EQ(values.at("top"), "1");
    EXPECT_EQ(values.at("http.port"), "8080");
    EXPECT_EQ(values.at("http.host"), "127.0.0.1");
    EXPECT_EQ(values.at("provider.tts.flite.voice"), "\"  slt \"");              // quotes are the reader's business
    EXPECT_EQ(values.at("provider.tts.flite.url"), "postgresql://u:p;#x@h/db");  // no end-of-line comments
    EXPECT_EQ(values.at("provider.tts.flite.empty"), "");
    EXPECT_EQ(values.size(), 6u);
}

TEST(IniParser, ReportsTheLineOfAMalformedEntry) {
    EXPECT_EQ(error_of([] { parse_ini("[http]\nport 8080\n", "x.ini"); }),
              "x.ini:2: expected \"name = value\", a [section] or a comment");
    EXPECT_EQ(error_of([] { parse_ini("ok = 1\n[http\n", "x.ini"); }), "x.ini:2: a section header must end with ']'");
    EXPECT_NE(error_of([] { parse_ini("[a..b]\n", "x.ini"); }).find("x.ini:1: bad section name"), std::string::npos);
    EXPECT_NE(error_of([] { parse_ini("bad key = 1\n", "x.ini"); }).find("x.ini:1: bad key"), std::string::npos);
    EXPECT_NE(error_of([] { parse_ini(" = 1\n", "x.ini"); }).find("x.ini:1: bad key"), std::string::npos);
}

TEST(IniParser, TheEmbeddedDefaultsParse) {
    auto values = parse_ini(kEmbeddedDefaultsIni, "built-in defaults");
    EXPECT_EQ(values.at("http.port"), "8080");
    EXPECT_EQ(values.at("data.dir"), "./data");
}

// --- environment names ---------------------------------------------------------

TEST(EnvironmentNames, AreVoxPlusTheUpperCasedKeyWithUnderscores) {
    EXPECT_EQ(environment_variable_for("http.port"), "VOX_HTTP_PORT");
    EXPECT_EQ(environment_variable_for("data.dir"), "VOX_DATA_DIR");
    EXPECT_EQ(environment_variable_for("storage.url"), "VOX_STORAGE_URL");
    EXPECT_EQ(environment_variable_for("plugin.path"), "VOX_PLUGIN_PATH");
    EXPECT_EQ(environment_variable_for("http.max_threads"), "VOX_HTTP_MAX_THREADS");
    EXPECT_EQ(environment_variable_for("provider.llm.openai.api_key"), "VOX_PROVIDER_LLM_OPENAI_API_KEY");
}

// --- layering -----------------------------------------------------------------

TEST(ConfigLayers, DefaultsAloneGiveTheDocumentedSettings) {
    auto settings = read_settings(defaults_with({}));
    EXPECT_EQ(settings.http.host, "127.0.0.1");
    EXPECT_EQ(settings.http.port, 8080);
    EXPECT_EQ(settings.http.max_threads, 128);
    EXPECT_EQ(settings.http.max_queued, 256);
    EXPECT_TRUE(settings.http.keep_alive);
    EXPECT_EQ(settings.drain_timeout, std::chrono::milliseconds(10'000));
    EXPECT_EQ(settings.data_dir, std::filesystem::path("./data"));
    EXPECT_EQ(settings.storage.url, "");
    EXPECT_EQ(settings.plugin.path, "");
    EXPECT_TRUE(settings.plugin.builtin);
    EXPECT_TRUE(settings.plugin.disabled.empty());
    EXPECT_EQ(settings.log.level, spdlog::level::info);
    EXPECT_EQ(settings.log.format, vox::log::Format::json);
    EXPECT_EQ(settings.calls.analysis, AnalysisMode::automatic);
    EXPECT_EQ(settings.calls.recordings_max_age, std::chrono::hours(0)) << "recordings are kept";
    EXPECT_EQ(settings.calls.tts_first_audio_timeout, std::chrono::milliseconds(3000));
    EXPECT_EQ(read_settings(defaults_with({}, {"calls.recordings_max_age_days=30"})).calls.recordings_max_age,
              std::chrono::hours(720));
    EXPECT_EQ(settings.calls.analysis_timeout, std::chrono::milliseconds(30'000));
    EXPECT_EQ(read_settings(defaults_with({}, {"calls.analysis=Lexicon"})).calls.analysis, AnalysisMode::lexicon);
    EXPECT_EQ(read_settings(defaults_with({}, {"calls.analysis=off"})).calls.analysis, AnalysisMode::off);
    EXPECT_EQ(read_settings(defaults_with({}, {"calls.analysis=auto"})).calls.analysis, AnalysisMode::automatic);
}

TEST(ConfigLayers, EachLayerOverridesTheOnesBelow) {
    TempFile file("[http]\nport = 1001\nmax_threads = 3\nmax_queued = 7\n[data]\ndir = /srv/vox\n");
    auto config = defaults_with({{"VOX_HTTP_PORT", "1002"}, {"VOX_HTTP_MAX_THREADS", "4"}},
                                {"http.port=1003", "HTTP.PORT=1004"}, file.path());
    auto settings = read_settings(config);
    EXPECT_EQ(settings.http.port, 1004);         // command line, last one wins, keys case-insensitive
    EXPECT_EQ(settings.http.max_threads, 4);     // environment over file
    EXPECT_EQ(settings.http.max_queued, 7);      // file over defaults
    EXPECT_EQ(settings.http.host, "127.0.0.1");  // defaults
    EXPECT_EQ(settings.data_dir, std::filesystem::path("/srv/vox"));

    EXPECT_EQ(config.find("http.port")->source, "command line");
    EXPECT_EQ(config.find("http.max_threads")->source, "environment variable VOX_HTTP_MAX_THREADS");
    EXPECT_EQ(config.find("http.max_queued")->source, "config file " + file.path().string());
    EXPECT_EQ(config.find("http.host")->source, "built-in defaults");
}

TEST(ConfigLayers, TheDocumentedVariablesOverrideTheirKeys) {
    auto settings = read_settings(defaults_with({{"VOX_HTTP_PORT", "9090"},
                                                 {"VOX_DATA_DIR", "/var/lib/vox"},
                                                 {"VOX_STORAGE_URL", "postgresql://vox@db:5432/vox"},
                                                 {"VOX_PLUGIN_PATH", "/opt/a:/opt/b"},
                                                 {"VOX_PLUGIN_BUILTIN", "no"},
                                                 {"VOX_LOG_LEVEL", "DEBUG"},
                                                 {"VOX_LOG_FORMAT", "text"}}));
    EXPECT_EQ(settings.http.port, 9090);
    EXPECT_EQ(settings.data_dir, std::filesystem::path("/var/lib/vox"));
    EXPECT_EQ(settings.storage.url, "postgresql://vox@db:5432/vox");
    EXPECT_EQ(settings.plugin.path, "/opt/a:/opt/b");
    EXPECT_FALSE(settings.plugin.builtin);
    EXPECT_EQ(settings.log.level, spdlog::level::debug);
    EXPECT_EQ(settings.log.format, vox::log::Format::text);
}

TEST(ConfigLayers, VoxConfigNamesTheFileUnlessTheCommandLineDoes) {
    TempFile from_variable("[http]\nport = 2001\n");
    TempFile from_option("[http]\nport = 2002\n");
    EXPECT_EQ(read_settings(defaults_with({{"VOX_CONFIG", from_variable.path().string()}})).http.port, 2001);
    EXPECT_EQ(
        read_settings(defaults_with({{"VOX_CONFIG", from_variable.path().string()}}, {}, from_option.path())).http.port,
        2002);
}

TEST(ConfigLayers, UnknownKeysAndVariablesAreReported) {
    TempFile file("[http]\nprot = 1\n[provider.tts.x]\nvoice = a\n");
    auto config = defaults_with({{"VOX_HTTP_POTR", "1"}, {"VOX_HTTP_PORT", "1"}, {"VOX_PROVIDER_LLM_X_KEY", "k"}},
                                {"log.colour=red"}, file.path());
    EXPECT_EQ(config.keys_unknown_to_base(),
              (std::vector<std::string>{"http.prot", "log.colour", "provider.tts.x.voice"}));
    auto unmatched = config.unmatched_environment({"VOX_PROVIDER_"});
    EXPECT_EQ(unmatched.size(), 1u);
    EXPECT_EQ(unmatched.count("VOX_HTTP_POTR"), 1u);
}

// --- bad values ------------------------------------------------------------------

TEST(ConfigErrors, NameTheKeyTheValueAndWhereItCameFrom) {
    EXPECT_EQ(
        error_of([] {
            read_settings(defaults_with({{"VOX_HTTP_PORT", "eighty"}}));
        }),
        "http.port: \"eighty\" is not a whole number from 0 to 65535 (set by environment variable VOX_HTTP_PORT)");
    EXPECT_EQ(error_of([] { read_settings(defaults_with({}, {"log.level=loud"})); }),
              "log.level: \"loud\" is not a log level (trace, debug, info, warn, error, critical, off) "
              "(set by command line)");
}

TEST(ConfigErrors, RejectMalformedValues) {
    const std::vector<std::pair<std::string, std::string>> bad{
        {"http.port=80x", "http.port"},
        {"http.port=-1", "http.port"},
        {"http.port=65536", "http.port"},
        {"http.port=", "http.port"},
        {"http.max_threads=0", "http.max_threads"},
        {"http.keep_alive=perhaps", "http.keep_alive"},
        {"http.drain_timeout_ms=soon", "http.drain_timeout_ms"},
        {"http.host=", "http.host"},
        {"data.dir=", "data.dir"},
        {"log.format=xml", "log.format"},
        {"storage.url=just-a-name", "storage.url"},
        {"plugin.disabled=flite", "plugin.disabled"},
        {"plugin.disabled=speech.flite", "plugin.disabled"},
        {"plugin.disabled=tts.", "plugin.disabled"},
        {"plugin.builtin=2", "plugin.builtin"},
        {"calls.analysis=llm", "calls.analysis"},
        {"calls.analysis=", "calls.analysis"},
        {"calls.analysis_timeout_ms=0", "calls.analysis_timeout_ms"},
        {"calls.recordings_max_age_days=-1", "calls.recordings_max_age_days"},
        {"calls.recordings_max_age_days=week", "calls.recordings_max_age_days"},
        {"calls.tts_first_audio_timeout_ms=-5", "calls.tts_first_audio_timeout_ms"},
    };
    for (const auto& [override_item, key] : bad) {
        auto message = error_of([&] { read_settings(defaults_with({}, {override_item})); });
        EXPECT_EQ(message.rfind(key + ": ", 0), 0u) << override_item << " -> " << message;
    }
}

TEST(ConfigErrors, RejectUnreadableFilesAndMalformedOverrides) {
    auto missing = std::filesystem::temp_directory_path() / "voxd-no-such-file.ini";
    EXPECT_EQ(error_of([&] { defaults_with({}, {}, missing); }),
              "cannot read config file " + missing.string() + ": No such file or directory");
    EXPECT_NE(error_of([] { defaults_with({}, {}, std::filesystem::temp_directory_path()); }).find("it is a directory"),
              std::string::npos);
    EXPECT_NE(error_of([] { defaults_with({}, {"http.port"}); }).find("--set expects key=value"), std::string::npos);
    EXPECT_NE(error_of([] { defaults_with({}, {"bad key=1"}); }).find("--set expects key=value"), std::string::npos);
    TempFile malformed("[http]\nport\n");
    EXPECT_EQ(error_of([&] { defaults_with({}, {}, malformed.path()); }),
              malformed.path().string() + ":2: expected \"name = value\", a [section] or a comment");
}

TEST(ConfigValues, AcceptTheDocumentedForms) {
    auto settings = read_settings(
        defaults_with({}, {"http.port=0", "http.keep_alive=OFF", "plugin.disabled= tts.flite ,STT.Deepgram,, ",
                           "storage.url=sqlite:///var/lib/vox/vox.db", "log.level=warn"}));
    EXPECT_EQ(settings.http.port, 0);
    EXPECT_FALSE(settings.http.keep_alive);
    EXPECT_EQ(settings.plugin.disabled, (std::set<std::string>{"tts.flite", "stt.deepgram"}));
    EXPECT_EQ(settings.storage.url, "sqlite:///var/lib/vox/vox.db");
    EXPECT_EQ(settings.log.level, spdlog::level::warn);
}

// --- provider settings -------------------------------------------------------------

TEST(ConfigValues, QuotedValuesAreTakenAsWritten) {
    EXPECT_EQ(unquote_value("\"  spaced \""), "  spaced ");
    EXPECT_EQ(unquote_value("\"a \\\"quote\\\"\""), "a \"quote\"");
    EXPECT_EQ(unquote_value("plain"), "plain");
    EXPECT_EQ(unquote_value("\""), "\"");
    TempFile file("[http]\nhost = \"0.0.0.0\"\n");
    EXPECT_EQ(read_settings(defaults_with({}, {}, file.path())).http.host, "0.0.0.0");
    EXPECT_EQ(read_settings(defaults_with({{"VOX_HTTP_PORT", "\"81\""}})).http.port, 81);
}

TEST(ProviderSettings, ValuesThatReadAsJsonArePassedAsJson) {
    EXPECT_EQ(setting_to_json("1.5"), nlohmann::json(1.5));
    EXPECT_EQ(setting_to_json("true"), nlohmann::json(true));
    EXPECT_EQ(setting_to_json("[\"en-US\",\"de-DE\"]"), (nlohmann::json{"en-US", "de-DE"}));
    EXPECT_EQ(setting_to_json("\"0042\""), nlohmann::json("0042"));
    EXPECT_EQ(setting_to_json("slt"), nlohmann::json("slt"));
    EXPECT_EQ(setting_to_json("sk-abc123"), nlohmann::json("sk-abc123"));
    EXPECT_EQ(setting_to_json("0042"), nlohmann::json("0042"));  // not JSON (leading zero): text
    EXPECT_EQ(setting_to_json("+15551234567"), nlohmann::json("+15551234567"));
}

TEST(ProviderSettings, MergeEveryLayerAndDropEmptyValues) {
    TempFile file(
        "[provider.llm.openai]\nmodel = gpt-4o-mini\nbase_url = http://file\norganization =\n"
        "[provider.llm.openai_compat]\nmodel = other\n");
    auto config = defaults_with(
        {{"VOX_PROVIDER_LLM_OPENAI_API_KEY", "sk-env"}, {"VOX_PROVIDER_LLM_OPENAI_BASE_URL", "http://env"}},
        {"provider.llm.openai.temperature=0.2"}, file.path());
    nlohmann::json expected = {
        {"model", "gpt-4o-mini"}, {"base_url", "http://env"}, {"api_key", "sk-env"}, {"temperature", 0.2}};
    EXPECT_EQ(provider_settings(config, "llm.openai"), expected);
    EXPECT_EQ(provider_settings(config, "tts.flite"), (nlohmann::json{{"voice", "slt"}}));  // from the defaults
    EXPECT_EQ(provider_settings(config, "stt.none"), nlohmann::json::object());
}

TEST(DescribeConfig, MasksSecretsAndUrlPasswords) {
    auto config = defaults_with(
        {{"VOX_PROVIDER_LLM_OPENAI_API_KEY", "sk-secret"}, {"VOX_STORAGE_URL", "postgresql://vox:hunter2@db/vox"}},
        {"provider.tts.cloud.token=abc"});
    std::string all;
    for (const auto& line : describe_config(config)) all += line + "\n";
    EXPECT_EQ(all.find("sk-secret"), std::string::npos) << all;
    EXPECT_EQ(all.find("hunter2"), std::string::npos) << all;
    EXPECT_EQ(all.find("=abc"), std::string::npos) << all;
    EXPECT_NE(all.find("storage.url = postgresql://vox:****@db/vox"), std::string::npos) << all;
    EXPECT_NE(all.find("http.port = 8080    (built-in defaults)"), std::string::npos) << all;
    EXPECT_EQ(mask_url_password("postgresql://vox@db/vox"), "postgresql://vox@db/vox");
    EXPECT_TRUE(is_secret_key("provider.llm.openai.api_key"));
    EXPECT_FALSE(is_secret_key("http.keep_alive_timeout_ms"));
}

}  // namespace
}  // namespace vox::host
