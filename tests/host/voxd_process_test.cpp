// Runs the built voxd as operators do and checks what they rely on: probes,
// metrics, the plugin listing, the problem+json errors, refused plugins,
// provider settings, bad configuration, and a clean exit on SIGTERM.
#include "voxd_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

namespace vox::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kExitWithin = 5s;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const nlohmann::json* find_by(const nlohmann::json& items, const std::string& field, const std::string& value) {
    for (const auto& item : items)
        if (item.value(field, "") == value) return &item;
    return nullptr;
}

void expect_problem(const HttpReply& reply, int status, const std::string& code) {
    EXPECT_EQ(reply.status, status);
    EXPECT_EQ(reply.header("content-type"), "application/problem+json");
    auto body = reply.json();
    EXPECT_EQ(body["status"], status);
    EXPECT_EQ(body["code"], code);
    EXPECT_EQ(body["type"], "urn:vox:problem:" + code);
    EXPECT_TRUE(body["title"].is_string() && !body["title"].get<std::string>().empty());
    EXPECT_TRUE(body["detail"].is_string() && !body["detail"].get<std::string>().empty());
    EXPECT_EQ(body["request_id"], reply.header("x-request-id"));
}

// A directory holding copies of the given files (plugins are found by directory).
std::filesystem::path plugin_directory(const std::filesystem::path& root, const std::vector<std::string>& files) {
    auto directory = root / "plugins";
    std::filesystem::create_directories(directory);
    for (const auto& file : files) std::filesystem::copy_file(file, directory / std::filesystem::path(file).filename());
    return directory;
}

void stop_and_expect_clean_exit(VoxdProcess& voxd) {
    voxd.send_signal(SIGTERM);
    auto code = voxd.wait_for_exit(kExitWithin);
    ASSERT_TRUE(code.has_value()) << "voxd did not exit within 5 s of SIGTERM\n" << voxd.output();
    EXPECT_EQ(*code, 0) << voxd.output();
    EXPECT_FALSE(voxd.find_log("stopped").is_null()) << voxd.output();
}

TEST(VoxdProcess, ServesProbesMetricsAndPluginsThenStopsOnSigterm) {
    ScratchDirectory dir;
    std::optional<VoxdProcess> voxd;
    auto port = VoxdProcess::start_listening(voxd, {"--set", "log.level=debug"}, {}, dir.path());
    ASSERT_NE(port, 0) << voxd->output();

    auto health = http_request(port, "GET", "/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.header("content-type"), "application/json");
    EXPECT_FALSE(health.header("x-request-id").empty());
    auto health_body = health.json();
    EXPECT_EQ(health_body["status"], "ok");
    EXPECT_TRUE(health_body["version"].is_string());
    EXPECT_TRUE(health_body["uptime_s"].is_number());

    auto echoed = http_request(port, "GET", "/healthz", {{"X-Request-Id", "probe-42"}});
    EXPECT_EQ(echoed.header("x-request-id"), "probe-42");

    auto head = http_request(port, "HEAD", "/healthz");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());

    auto plugins = http_request(port, "GET", "/api/plugins");
    ASSERT_EQ(plugins.status, 200);
    auto listing = plugins.json();
    for (const char* field : {"providers", "plugins", "refused", "disabled"})
        EXPECT_TRUE(listing[field].is_array()) << field << " in " << plugins.body;
    // The in-tree Flite plugin is written alongside voxd; check it when it is built.
    if (std::filesystem::exists(VOX_BUILTIN_PLUGIN_DIR "/tts_flite.so")) {
        const auto* flite = find_by(listing["providers"], "key", "tts.flite");
        ASSERT_NE(flite, nullptr) << plugins.body;
        EXPECT_EQ((*flite)["kind"], "tts");
        EXPECT_EQ((*flite)["name"], "flite");
        EXPECT_TRUE((*flite)["version"].is_string());
        EXPECT_TRUE((*flite)["capabilities"].is_object());
        EXPECT_TRUE((*flite)["settings_schema"].is_object());
    }

    auto metrics = http_request(port, "GET", "/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_EQ(metrics.header("content-type").rfind("text/plain; version=0.0.4", 0), 0u);
    for (const char* series :
         {"vox_build_info{", "vox_plugins_loaded ", "vox_plugins_refused ", "vox_providers{kind=\"tts\"}",
          "vox_http_requests_total{method=\"GET\",status=\"200\"}", "vox_http_request_duration_seconds_bucket{"})
        EXPECT_TRUE(contains(metrics.body, series)) << series << " missing from\n" << metrics.body;

    expect_problem(http_request(port, "GET", "/api/no/such/thing"), 404, "not_found");
    auto wrong_method = http_request(port, "POST", "/healthz");
    expect_problem(wrong_method, 405, "method_not_allowed");
    EXPECT_EQ(wrong_method.header("allow"), "GET, HEAD");

    EXPECT_TRUE(std::filesystem::is_directory(dir.path() / "data")) << "data.dir (./data) was not created";

    stop_and_expect_clean_exit(*voxd);
    for (const auto& line : voxd->log_lines()) EXPECT_FALSE(line.contains("unparsed")) << line.dump();
    auto listening = voxd->find_log("listening");
    ASSERT_FALSE(listening.is_null());
    EXPECT_EQ(listening["port"], port);
    EXPECT_FALSE(voxd->find_log("request").is_null()) << "requests are logged at debug";
}

TEST(VoxdProcess, RefusesBrokenPluginsWithReasonsAndKeepsServing) {
    ScratchDirectory dir;
    auto plugins_dir = plugin_directory(dir.path(), {VOX_TEST_BROKEN_PLUGIN, VOX_TEST_GOOD_PLUGIN});
    std::ofstream(plugins_dir / "garbage.so") << "this is not an ELF file\n";

    std::optional<VoxdProcess> voxd;
    auto port = VoxdProcess::start_listening(voxd, {"--set", "plugin.builtin=false"},
                                             {{"VOX_PLUGIN_PATH", plugins_dir.string()}}, dir.path());
    ASSERT_NE(port, 0) << voxd->output();
    EXPECT_EQ(http_request(port, "GET", "/healthz").status, 200);

    auto listing = http_request(port, "GET", "/api/plugins").json();
    ASSERT_EQ(listing["refused"].size(), 2u) << listing.dump(2);
    for (const auto& refused : listing["refused"]) {
        std::string path = refused["path"];
        std::string reason = refused["reason"];
        if (ends_with(path, "garbage.so"))
            EXPECT_TRUE(contains(reason, "cannot open the shared library")) << reason;
        else if (ends_with(path, "vox_test_not_a_plugin.so"))
            EXPECT_TRUE(contains(reason, "vox_plugin_entry")) << reason;
        else
            ADD_FAILURE() << "unexpected refused plugin " << path;
    }
    EXPECT_NE(find_by(listing["providers"], "key", "tts.fake"), nullptr) << listing.dump(2);

    auto metrics = http_request(port, "GET", "/metrics").body;
    EXPECT_TRUE(contains(metrics, "vox_plugins_refused 2")) << metrics;
    EXPECT_TRUE(contains(metrics, "vox_plugins_loaded 1")) << metrics;

    int refusals_logged = 0;
    for (const auto& line : voxd->log_lines())
        if (line.value("msg", "") == "plugin refused" && line.contains("path") && line.contains("reason") &&
            line.value("level", "") == "warning")
            ++refusals_logged;
    EXPECT_EQ(refusals_logged, 2) << voxd->output();

    stop_and_expect_clean_exit(*voxd);
}

TEST(VoxdProcess, HandsProviderSettingsFromEveryLayerToThePlugin) {
    ScratchDirectory dir;
    auto plugins_dir = plugin_directory(dir.path(), {VOX_TEST_GOOD_PLUGIN});
    auto config_file = dir.path() / "voxd.ini";
    std::ofstream(config_file)
        << "[plugin]\nbuiltin = false\n"
        << "[provider.tts.fake]\nvoice = from_file\npitch = low\nspeed = 1\nempty =\ncode = \"0042\"\n";

    std::optional<VoxdProcess> voxd;
    auto port = VoxdProcess::start_listening(
        voxd, {"--config", config_file.string(), "--set", "provider.tts.fake.speed=2"},
        {{"VOX_PLUGIN_PATH", plugins_dir.string()}, {"VOX_PROVIDER_TTS_FAKE_VOICE", "from_env"}}, dir.path());
    ASSERT_NE(port, 0) << voxd->output();

    auto listing = http_request(port, "GET", "/api/plugins").json();
    const auto* fake = find_by(listing["providers"], "key", "tts.fake");
    ASSERT_NE(fake, nullptr) << listing.dump(2);
    nlohmann::json expected = {{"voice", "from_env"}, {"pitch", "low"}, {"speed", 2}, {"code", "0042"}};
    EXPECT_EQ((*fake)["capabilities"]["configured"]["tts.fake"], expected) << fake->dump(2);
    stop_and_expect_clean_exit(*voxd);
}

TEST(VoxdProcess, DisabledProviderIsListedAsDisabled) {
    ScratchDirectory dir;
    auto plugins_dir = plugin_directory(dir.path(), {VOX_TEST_GOOD_PLUGIN});
    std::optional<VoxdProcess> voxd;
    auto port = VoxdProcess::start_listening(
        voxd, {"--set", "plugin.builtin=false"},
        {{"VOX_PLUGIN_PATH", plugins_dir.string()}, {"VOX_PLUGIN_DISABLED", "tts.fake, stt.nothing"}}, dir.path());
    ASSERT_NE(port, 0) << voxd->output();

    auto listing = http_request(port, "GET", "/api/plugins").json();
    EXPECT_EQ(find_by(listing["providers"], "key", "tts.fake"), nullptr);
    EXPECT_NE(find_by(listing["disabled"], "key", "tts.fake"), nullptr) << listing.dump(2);
    stop_and_expect_clean_exit(*voxd);
    EXPECT_TRUE(contains(voxd->output(), "\"provider\":\"stt.nothing\""))
        << "a disabled key matching nothing is warned about";
}

TEST(VoxdProcess, IdleKeepAliveConnectionDoesNotDelayShutdown) {
    ScratchDirectory dir;
    std::optional<VoxdProcess> voxd;
    auto port = VoxdProcess::start_listening(voxd, {"--set", "http.keep_alive_timeout_ms=60000"}, {}, dir.path());
    ASSERT_NE(port, 0) << voxd->output();

    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setKeepAlive(true);
    EXPECT_EQ(http_request(session, "GET", "/healthz").status, 200);
    EXPECT_EQ(http_request(session, "GET", "/healthz").status, 200);  // same connection, still open

    auto asked = std::chrono::steady_clock::now();
    stop_and_expect_clean_exit(*voxd);
    EXPECT_LT(std::chrono::steady_clock::now() - asked, 3s);
}

TEST(VoxdProcess, BadConfigurationExitsWithExConfig) {
    ScratchDirectory dir;
    struct Case {
        std::vector<std::string> args;
        Environment environment;
        std::string message;
    };
    std::vector<Case> cases{
        {{}, {{"VOX_HTTP_PORT", "eighty"}}, "VOX_HTTP_PORT"},
        {{"--port", "70000"}, {}, "http.port"},
        {{"--config", (dir.path() / "missing.ini").string()}, {}, "missing.ini"},
        {{}, {{"VOX_CONFIG", (dir.path() / "also-missing.ini").string()}}, "also-missing.ini"},
        {{"--set", "log.level=loud"}, {}, "log.level"},
        {{"--set", "log.format=xml"}, {}, "log.format"},
        {{"--set", "http.keep_alive=maybe"}, {}, "http.keep_alive"},
        {{"--set", "plugin.disabled=flite"}, {}, "plugin.disabled"},
        {{"--set", "no-equals-sign"}, {}, "key=value"},
        {{"--no-such-option"}, {}, "no-such-option"},
    };
    for (const auto& c : cases) {
        auto [code, output] = run_voxd(c.args, c.environment, dir.path());
        EXPECT_EQ(code, 78) << c.message << ": " << output;
        EXPECT_TRUE(contains(output, c.message)) << output;
    }
}

TEST(VoxdProcess, PortAlreadyInUseExitsWithExUnavailable) {
    ScratchDirectory first_dir;
    ScratchDirectory second_dir;
    std::optional<VoxdProcess> first;
    auto port = VoxdProcess::start_listening(first, {}, {}, first_dir.path());
    ASSERT_NE(port, 0) << first->output();

    auto [code, output] = run_voxd({"--port", std::to_string(port)}, {}, second_dir.path());
    EXPECT_EQ(code, 69) << output;
    EXPECT_TRUE(contains(output, "cannot listen")) << output;
    stop_and_expect_clean_exit(*first);
}

}  // namespace
}  // namespace vox::test
