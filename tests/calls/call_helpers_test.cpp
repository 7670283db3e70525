// The small parts of the call engine: access tokens, {{variables}}, the
// text-only agent turn's request, and the deadline timer.
#include "calls/access_token.hpp"
#include "calls/agent_test_turn.hpp"
#include "calls/deadline_timer.hpp"
#include "calls/prompt_variables.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <set>
#include <thread>

namespace vox::calltest {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using namespace vox::host;

TEST(AccessToken, Is32RandomBytesInBase64Url) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        std::string token = new_access_token();
        EXPECT_TRUE(std::regex_match(token, std::regex("^[A-Za-z0-9_-]{43}$"))) << token;
        seen.insert(token);
    }
    EXPECT_EQ(seen.size(), 200u);
    EXPECT_TRUE(same_token("abc", "abc"));
    EXPECT_FALSE(same_token("abc", "abd"));
    EXPECT_FALSE(same_token("abc", "abcd"));
}

TEST(PromptVariables, FillsKnownNamesAndLeavesOthers) {
    json variables = {{"name", "Ada"}, {"city", "Paris"}, {"count", 3}};
    EXPECT_EQ(fill_variables("Hello {{name}} from {{ city }}!", variables), "Hello Ada from Paris!");
    EXPECT_EQ(fill_variables("{{unknown}} and {{name}}", variables), "{{unknown}} and Ada");
    EXPECT_EQ(fill_variables("{{count}} items", variables), "3 items");
    EXPECT_EQ(fill_variables("open {{ without close", variables), "open {{ without close");
    EXPECT_EQ(fill_variables("{{name}}{{name}}", variables), "AdaAda");
    EXPECT_EQ(fill_variables("no braces", json::object()), "no braces");
    EXPECT_EQ(fill_variables("{{name}}", nullptr), "{{name}}");
}

TEST(AgentTurn, TheRequestCarriesThePromptModelAndSettings) {
    json agent = {{"system_prompt", "You are {{role}}."},
                  {"model", "gpt-test"},
                  {"settings", {{"temperature", 0.3}, {"max_tokens", 99}, {"tts_speed", 1.0}}}};
    json messages = json::array({{{"role", "user"}, {"content", "Hi"}}});
    json request = agent_turn_request(agent, messages, {{"role", "a receptionist"}});
    EXPECT_EQ(request["model"], "gpt-test");
    EXPECT_EQ(request["temperature"], 0.3);
    EXPECT_EQ(request["max_tokens"], 99);
    EXPECT_EQ(request["messages"], json::array({{{"role", "system"}, {"content", "You are a receptionist."}},
                                                {{"role", "user"}, {"content", "Hi"}}}));
    agent["system_prompt"] = "";
    agent["model"] = nullptr;
    request = agent_turn_request(agent, messages, json::object());
    EXPECT_FALSE(request.contains("model"));
    EXPECT_EQ(request["messages"].size(), 1u) << "no empty system message";
}

TEST(DeadlineTimer, RunsWhatIsDueAndNotWhatWasCancelled) {
    DeadlineTimer timer;
    std::atomic<int> ran{0};
    std::atomic<int> order{0};
    int second_at = 0;
    int first_at = 0;
    timer.schedule(60ms, [&] {
        second_at = ++order;
        ++ran;
    });
    timer.schedule(20ms, [&] {
        first_at = ++order;
        ++ran;
    });
    auto cancelled = timer.schedule(30ms, [&] { ran += 100; });
    EXPECT_TRUE(timer.cancel(cancelled));
    EXPECT_FALSE(timer.cancel(cancelled));
    for (int i = 0; i < 100 && ran < 2; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(ran, 2);
    EXPECT_EQ(first_at, 1);
    EXPECT_EQ(second_at, 2);
    timer.schedule(10s, [&] { ran += 1000; });
    timer.stop();  // drops what waits
    EXPECT_EQ(ran, 2);
}

}  // namespace
}  // namespace vox::calltest
