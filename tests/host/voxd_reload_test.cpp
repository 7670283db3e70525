// SIGHUP reloads voxd's configuration (issue 6): a provider's changed
// settings reach a fresh init of its plugin and show in GET /api/plugins under
// a new generation; a configuration that no longer loads changes nothing and
// voxd keeps serving; SIGTERM still stops it cleanly afterwards.
#include "voxd_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

namespace vox::test {
namespace {

using namespace std::chrono_literals;

nlohmann::json plugins_of(std::uint16_t port) { return http_request(port, "GET", "/api/plugins").json(); }

// GET /api/plugins until its generation is `generation` (or 5 s pass).
nlohmann::json wait_for_generation(std::uint16_t port, int generation) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    nlohmann::json listing = plugins_of(port);
    while (listing.value("generation", 0) != generation && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
        listing = plugins_of(port);
    }
    return listing;
}

nlohmann::json configured_voice(const nlohmann::json& listing) {
    for (const auto& provider : listing["providers"])
        if (provider.value("key", "") == "tts.fake") return provider["capabilities"]["configured"]["tts.fake"]["voice"];
    return "<tts.fake not loaded>";
}

void write_config(const std::filesystem::path& file, const std::string& voice, const std::string& extra = "") {
    std::ofstream(file, std::ios::trunc) << "[plugin]\nbuiltin = false\n[provider.tts.fake]\nvoice = " << voice << "\n"
                                         << extra;
}

TEST(VoxdReload, SighupAppliesNewProviderSettingsAndABrokenConfigChangesNothing) {
    ScratchDirectory dir;
    auto plugins_dir = dir.path() / "plugins";
    std::filesystem::create_directories(plugins_dir);
    std::filesystem::copy_file(VOX_TEST_GOOD_PLUGIN,
                               plugins_dir / std::filesystem::path(VOX_TEST_GOOD_PLUGIN).filename());
    auto config_file = dir.path() / "voxd.ini";
    write_config(config_file, "first");

    std::optional<VoxdProcess> voxd;
    auto port = VoxdProcess::start_listening(voxd, {"--config", config_file.string()},
                                             {{"VOX_PLUGIN_PATH", plugins_dir.string()}}, dir.path());
    ASSERT_NE(port, 0) << voxd->output();
    auto listing = plugins_of(port);
    EXPECT_EQ(listing["generation"], 1);
    EXPECT_EQ(configured_voice(listing), "first");

    write_config(config_file, "second");
    voxd->send_signal(SIGHUP);
    listing = wait_for_generation(port, 2);
    EXPECT_EQ(listing["generation"], 2) << voxd->output();
    EXPECT_EQ(configured_voice(listing), "second") << listing.dump(2);
    // The new generation is published before the reload's log line is written: wait for the line.
    auto wait_for_log = [&voxd](const std::string& message) {
        auto until = std::chrono::steady_clock::now() + 5s;
        while (voxd->find_log(message).is_null() && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(50ms);
        return voxd->find_log(message);
    };
    EXPECT_FALSE(wait_for_log("providers reloaded: new calls use the new generation").is_null()) << voxd->output();
    auto metrics = http_request(port, "GET", "/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("vox_plugins_loaded 1"), std::string::npos) << metrics.body;

    write_config(config_file, "third", "[http]\nmax_body_bytes = lots\n");
    voxd->send_signal(SIGHUP);
    auto refused = wait_for_log("reload refused: the configuration does not load; nothing changed");
    ASSERT_FALSE(refused.is_null()) << voxd->output();
    EXPECT_NE(refused.value("error", "").find("max_body_bytes"), std::string::npos) << refused.dump();
    listing = plugins_of(port);
    EXPECT_EQ(listing["generation"], 2);
    EXPECT_EQ(configured_voice(listing), "second");

    voxd->send_signal(SIGTERM);
    auto code = voxd->wait_for_exit(5s);
    ASSERT_TRUE(code.has_value()) << voxd->output();
    EXPECT_EQ(*code, 0) << voxd->output();
}

}  // namespace
}  // namespace vox::test
