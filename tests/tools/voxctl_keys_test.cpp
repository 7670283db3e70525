// voxctl keys against the database voxd uses: a key it creates opens the API,
// one it revokes does not, and the last admin key is protected.
#include "http_client.hpp"
#include "voxd_process.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <sys/wait.h>

namespace vox::test {
namespace {

struct Run {
    int status = -1;
    std::string out;
};

Run voxctl_keys(const std::string& args, const std::filesystem::path& data_dir) {
    std::string command = "env -u VOX_STORAGE_URL -u VOX_CONFIG '" VOX_TEST_VOXCTL "' keys " + args + " --data-dir '" +
                          data_dir.string() + "' 2>/dev/null";
    Run run;
    FILE* pipe = popen(command.c_str(), "r");
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.out.append(buffer, n);
    int raw = pclose(pipe);
    run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return run;
}

TEST(VoxctlKeys, KeysWorkAgainstVoxdAndRevokedOnesDoNot) {
    ScratchDirectory dir;
    auto data = dir.path() / "data";
    auto created = voxctl_keys("create --name ops --json", data);
    ASSERT_EQ(created.status, 0) << created.out;
    auto record = nlohmann::json::parse(created.out);
    std::string secret = record["key"];
    ASSERT_EQ(secret.rfind("vox_", 0), 0U);
    auto second = voxctl_keys("create --name spare --json", data);
    ASSERT_EQ(second.status, 0);
    std::string spare_secret = nlohmann::json::parse(second.out)["key"];

    auto revoked = voxctl_keys("revoke " + record["id"].get<std::string>(), data);
    ASSERT_EQ(revoked.status, 0) << revoked.out;

    std::optional<VoxdProcess> voxd;
    // No bootstrap key: the keys in the database are all there is.
    auto port = VoxdProcess::start_listening(voxd, {}, {{"VOX_DATA_DIR", data.string()}, {"VOX_BOOTSTRAP_API_KEY", ""}},
                                             dir.path());
    ASSERT_NE(port, 0) << voxd->output();
    EXPECT_EQ(http_request(port, "GET", "/api/agents", {{"Authorization", "Bearer " + spare_secret}}).status, 200);
    EXPECT_EQ(http_request(port, "GET", "/api/agents", {{"Authorization", "Bearer " + secret}}).status, 401);
    EXPECT_EQ(voxd->output().find("created the first API key"), std::string::npos)
        << "voxd must not mint a key when the database has one";

    auto listed = voxctl_keys("list --json", data);
    ASSERT_EQ(listed.status, 0);
    auto keys = nlohmann::json::parse(listed.out);
    ASSERT_EQ(keys.size(), 2U);
    EXPECT_EQ(listed.out.find(secret), std::string::npos) << "list must never show a secret";
    EXPECT_EQ(listed.out.find(spare_secret), std::string::npos);
}

TEST(VoxctlKeys, TheLastAdminKeyNeedsForce) {
    ScratchDirectory dir;
    auto data = dir.path() / "data";
    auto created = voxctl_keys("create --json", data);
    ASSERT_EQ(created.status, 0);
    std::string id = nlohmann::json::parse(created.out)["id"];
    EXPECT_EQ(voxctl_keys("revoke " + id, data).status, 1);
    EXPECT_EQ(voxctl_keys("revoke " + id + " --force", data).status, 0);
    EXPECT_EQ(voxctl_keys("revoke " + id + " --force", data).status, 1) << "already revoked";
}

TEST(VoxctlKeys, BadUsage) {
    ScratchDirectory dir;
    EXPECT_EQ(voxctl_keys("", dir.path()).status, 2);
    EXPECT_EQ(voxctl_keys("rotate", dir.path()).status, 2);
    EXPECT_EQ(voxctl_keys("create --role root", dir.path()).status, 2);
    EXPECT_EQ(voxctl_keys("revoke", dir.path()).status, 2);
    EXPECT_EQ(voxctl_keys("list --storage-url mysql://db/vox", dir.path()).status, 1);
}

}  // namespace
}  // namespace vox::test
