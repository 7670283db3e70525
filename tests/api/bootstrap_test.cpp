// The first API key: without VOX_BOOTSTRAP_API_KEY (an empty value counts as
// unset) the first start on an empty database creates an admin key and prints
// it once; later starts print nothing; the printed key works, and the secret
// appears nowhere in the structured log.
#include "api_server.hpp"

#include <regex>
#include <sstream>

namespace vox::apitest {
namespace {

// The secrets ("vox_" + 40 base62 characters) in `text`.
std::vector<std::string> secrets_in(const std::string& text) {
    static const std::regex pattern("vox_[0-9A-Za-z]{40}(?![0-9A-Za-z])");
    std::vector<std::string> found;
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) found.push_back(it->str());
    return found;
}

class BootstrapTest : public ::testing::TestWithParam<TestBackend> {};

TEST_P(BootstrapTest, FirstStartPrintsOneWorkingKeyAndLaterStartsPrintNone) {
    Voxd voxd(GetParam());
    ASSERT_TRUE(voxd.start({{"VOX_BOOTSTRAP_API_KEY", ""}}));
    std::string output = voxd.output();
    EXPECT_NE(output.find("voxd: created the first API key"), std::string::npos) << output;
    auto secrets = secrets_in(output);
    ASSERT_FALSE(secrets.empty()) << output;
    std::string secret = secrets.front();
    // Shown once: in the message and its curl example, never in a JSON log line.
    for (const auto& found : secrets) EXPECT_EQ(found, secret);
    EXPECT_LE(secrets.size(), 2u) << output;

    auto admin = voxd.client(secret);
    auto keys = admin.get("/api/keys");
    ASSERT_EQ(keys.status, 200) << keys.describe();
    ASSERT_EQ(keys.json().size(), 1u) << keys.body;
    EXPECT_EQ(keys.json()[0]["name"], "initial admin key");
    EXPECT_EQ(keys.json()[0]["role"], "admin");
    EXPECT_EQ(keys.json()[0]["prefix"], secret.substr(0, 12));
    EXPECT_EQ(admin.post("/api/agents", {{"name", "made with the printed key"}}).status, 201);
    // The test key the helper would normally add does not exist here.
    EXPECT_PROBLEM(voxd.client(kTestApiKey).get("/api/agents"), 401, "invalid_api_key");

    voxd.stop();
    ASSERT_TRUE(voxd.start({{"VOX_BOOTSTRAP_API_KEY", ""}}));
    std::string second = voxd.output();
    EXPECT_EQ(second.find("created the first API key"), std::string::npos) << second;
    EXPECT_TRUE(secrets_in(second).empty()) << second;
    auto again = voxd.client(secret);
    EXPECT_EQ(again.get("/api/keys").json().size(), 1u);
    EXPECT_EQ(again.get("/api/agents").json().size(), 1u);

    // Killed, not stopped: still no new key on the next start.
    voxd.kill9();
    ASSERT_TRUE(voxd.start({{"VOX_BOOTSTRAP_API_KEY", ""}}));
    EXPECT_TRUE(secrets_in(voxd.output()).empty()) << voxd.output();
    EXPECT_EQ(voxd.client(secret).get("/api/keys").json().size(), 1u);
}

TEST_P(BootstrapTest, TheSecretNeverAppearsInTheStructuredLog) {
    Voxd voxd(GetParam());
    ASSERT_TRUE(voxd.start({{"VOX_BOOTSTRAP_API_KEY", ""}}));
    auto secrets = secrets_in(voxd.output());
    ASSERT_FALSE(secrets.empty());
    // Use it, so that authentication gets logged too.
    auto client = voxd.client(secrets.front());
    EXPECT_EQ(client.get("/api/agents").status, 200);
    EXPECT_EQ(client.post("/api/keys", {{"name", "second"}}).status, 201);
    std::istringstream lines(voxd.output());
    std::string line;
    int json_lines = 0;
    while (std::getline(lines, line)) {
        if (line.empty() || line.front() != '{') continue;
        ++json_lines;
        EXPECT_EQ(line.find(secrets.front()), std::string::npos) << "the secret is in a log line: " << line;
    }
    EXPECT_GT(json_lines, 3);
}

TEST_P(BootstrapTest, AConfiguredKeyIsAddedBesideThePrintedOneWithoutPrinting) {
    Voxd voxd(GetParam());
    ASSERT_TRUE(voxd.start({{"VOX_BOOTSTRAP_API_KEY", ""}}));
    auto secrets = secrets_in(voxd.output());
    ASSERT_FALSE(secrets.empty());
    voxd.stop();

    ASSERT_TRUE(voxd.start());  // now with the test key configured
    EXPECT_TRUE(secrets_in(voxd.output()).empty()) << voxd.output();
    EXPECT_EQ(voxd.client(kTestApiKey).get("/api/agents").status, 200);
    EXPECT_EQ(voxd.client(secrets.front()).get("/api/agents").status, 200);
    auto keys = voxd.client(kTestApiKey).get("/api/keys").json();
    EXPECT_EQ(keys.size(), 2u) << keys.dump();

    // A configured key on an empty database means nothing is printed at all.
    Voxd fresh(GetParam());
    ASSERT_TRUE(fresh.start());
    EXPECT_TRUE(secrets_in(fresh.output()).empty()) << fresh.output();
    EXPECT_EQ(fresh.output().find("created the first API key"), std::string::npos);
    EXPECT_EQ(fresh.client(kTestApiKey).get("/api/keys").json().size(), 1u);
}

TEST(Bootstrap, ABootstrapKeyTooShortIsAConfigurationError) {
    test::ScratchDirectory dir;
    auto [code, output] = test::run_voxd({"--port", "0"}, {{"VOX_BOOTSTRAP_API_KEY", "short"}}, dir.path());
    EXPECT_EQ(code, 78) << output;
    EXPECT_NE(output.find("bootstrap.api_key"), std::string::npos) << output;
}

INSTANTIATE_TEST_SUITE_P(Backends, BootstrapTest,
                         ::testing::Values(TestBackend::sqlite, TestBackend::postgresql), backend_label);

}  // namespace
}  // namespace vox::apitest
