// voxctl llm end to end: the built binary with the built llm_openai plugin,
// against the local OpenAI-compatible test server (127.0.0.1 only), configured
// the standard way through OPENAI_BASE_URL and OPENAI_API_KEY.
#include "openai_test_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace vox::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Script = OpenAiTestServer::Script;

struct Result {
    int status = -1;
    std::string out;
    std::string err;
    std::optional<Clock::time_point> first_output;
};

std::string shell_quote(const std::string& arg) {
    std::string q = "'";
    for (char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// Runs voxctl with the test server as its OpenAI endpoint; stdout is read as
// it arrives so the test can tell when the first bytes came.
Result voxctl(const OpenAiTestServer& server, const std::vector<std::string>& args, const std::string& key = "") {
    std::filesystem::create_directories(VOX_TEST_TMP_DIR);
    // One file per test: ctest runs these tests in parallel processes.
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string err_file = std::string(VOX_TEST_TMP_DIR) + "/" + test->test_suite_name() + "." + test->name() +
                           ".voxctl_llm_stderr.txt";
    std::string command = "env -u VOX_PLUGIN_PATH OPENAI_BASE_URL=" + shell_quote(server.base_url()) +
                          " OPENAI_API_KEY=" + shell_quote(key.empty() ? server.api_key() : key) + " " +
                          shell_quote(VOX_TEST_VOXCTL);
    for (const auto& arg : args) command += " " + shell_quote(arg);
    command += " 2>" + shell_quote(err_file) + " </dev/null";
    Result result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        ADD_FAILURE() << "cannot run " << command;
        return result;
    }
    char buffer[4096];
    for (ssize_t n; (n = ::read(fileno(pipe), buffer, sizeof buffer)) > 0;) {
        if (!result.first_output) result.first_output = Clock::now();
        result.out.append(buffer, static_cast<std::size_t>(n));
    }
    int raw = pclose(pipe);
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    std::ifstream err(err_file);
    std::stringstream text;
    text << err.rdbuf();
    result.err = text.str();
    return result;
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

TEST(VoxctlLlm, StreamsTheAnswerAndReportsTimings) {
    OpenAiTestServer server;
    server.set_script({.chunks = OpenAiTestServer::content_chunks({"The", " quick", " brown", " fox", "."}),
                       .chunk_delay = 150ms});
    Result r = voxctl(server, {"llm", "--model", "gpt-4o-mini", "--system", "Be brief.", "--prompt", "Name an animal",
                               "--max-tokens", "20"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "The quick brown fox.\n");
    EXPECT_TRUE(contains(r.err, "time to first token: ")) << r.err;
    EXPECT_TRUE(contains(r.err, "total: ")) << r.err;
    // Streamed: the first words were on stdout before the server sent the last chunk.
    ASSERT_TRUE(r.first_output && server.last_chunk_sent());
    EXPECT_LT(*r.first_output, *server.last_chunk_sent());

    auto received = server.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].authorization, "Bearer " + server.api_key());
    const auto& body = received[0].body;
    EXPECT_EQ(body.at("model"), "gpt-4o-mini");
    EXPECT_EQ(body.at("stream"), true);
    EXPECT_EQ(body.at("max_tokens"), 20);
    EXPECT_EQ(body.at("messages"), nlohmann::json::parse(R"([{"role":"system","content":"Be brief."},
                                                              {"role":"user","content":"Name an animal"}])"));
}

TEST(VoxctlLlm, JsonCarriesTextToolCallsAndTimings) {
    OpenAiTestServer server;
    auto chunks = OpenAiTestServer::tool_call_chunks(0, "call_1", "lookup_order", {"{\"order", "_id\": \"A-", "17\"}"});
    chunks.insert(chunks.begin(), OpenAiTestServer::chunk({{"role", "assistant"}, {"content", "Checking."}}));
    chunks.push_back(OpenAiTestServer::chunk(nlohmann::json::object(), "tool_calls"));
    server.set_script({.chunks = chunks});
    Result r = voxctl(server, {"llm", "--model", "gpt-4o-mini", "--prompt", "Where is order A-17?", "--json"});
    ASSERT_EQ(r.status, 0) << r.err;
    auto document = nlohmann::json::parse(r.out);
    EXPECT_EQ(document.at("text"), "Checking.");
    EXPECT_EQ(document.at("finish_reason"), "tool_calls");
    ASSERT_EQ(document.at("tool_calls").size(), 1u);
    EXPECT_EQ(document.at("tool_calls").at(0).at("id"), "call_1");
    EXPECT_EQ(document.at("tool_calls").at(0).at("name"), "lookup_order");
    EXPECT_EQ(document.at("tool_calls").at(0).at("arguments"), nlohmann::json({{"order_id", "A-17"}}));
    EXPECT_GE(document.at("ttft_ms").get<double>(), 0.0);
    EXPECT_GE(document.at("total_ms").get<double>(), document.at("ttft_ms").get<double>());
}

TEST(VoxctlLlm, AWrongKeyFailsWithTheServersMessageButNotTheKey) {
    OpenAiTestServer server;
    std::string key = "sk-not-the-right-one-1234567890";
    Result r = voxctl(server, {"llm", "--model", "gpt-4o-mini", "--prompt", "Hi"}, key);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(contains(r.err, "Incorrect API key provided")) << r.err;
    EXPECT_TRUE(contains(r.err, "[auth]")) << r.err;
    EXPECT_FALSE(contains(r.err + r.out, key)) << r.err;
}

TEST(VoxctlLlm, UsageErrors) {
    OpenAiTestServer server;
    Result missing = voxctl(server, {"llm", "--model", "gpt-4o-mini"});
    EXPECT_EQ(missing.status, 2);
    EXPECT_TRUE(contains(missing.err, "--prompt")) << missing.err;
    Result unknown = voxctl(server, {"llm", "--provider", "nope", "--prompt", "Hi"});
    EXPECT_EQ(unknown.status, 2);
    EXPECT_TRUE(contains(unknown.err, "llm.openai")) << unknown.err;  // listed as available
    Result help = voxctl(server, {"llm", "--help"});
    EXPECT_EQ(help.status, 0);
    EXPECT_TRUE(contains(help.out, "--prompt")) << help.out;
    EXPECT_TRUE(server.received().empty());
}

}  // namespace
}  // namespace vox::test
