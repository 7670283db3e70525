// collect_digits and press_digit.
#include "flow_node_test_support.hpp"

namespace vox::test {
namespace {

using DtmfNodes = FlowNodes;

TEST_F(DtmfNodes, CollectDigitsChecksItsLimitsAndVariable) {
    EXPECT_EQ(validate("collect_digits", {{"max_digits", 10}, {"variable", "account"}}), Json::array());
    EXPECT_EQ(validate("collect_digits", {{"max_digits", 4},
                                          {"variable", "pin"},
                                          {"terminator", "#"},
                                          {"timeout_ms", 8000},
                                          {"text", "Enter your PIN"}}),
              Json::array());
    EXPECT_EQ(problem_fields("collect_digits", Json::object()), (std::set<std::string>{"/max_digits", "/variable"}));
    EXPECT_EQ(problem_fields("collect_digits",
                             {{"max_digits", 0}, {"variable", "1st"}, {"terminator", "0"}, {"timeout_ms", 10}}),
              (std::set<std::string>{"/max_digits", "/variable", "/terminator", "/timeout_ms"}));
    EXPECT_EQ(problem_fields("collect_digits", {{"max_digits", 2.5}, {"variable", "x"}}),
              std::set<std::string>{"/max_digits"});
}

TEST_F(DtmfNodes, CollectDigitsAccumulatesKeysUntilTheTerminator) {
    Json config = {{"max_digits", 6}, {"variable", "pin"}, {"terminator", "#"}, {"text", "Enter your PIN"}};
    Json first = step("collect_digits", config, Json::object(), "", "", true);
    EXPECT_EQ(first.at("say"), "Enter your PIN");
    EXPECT_EQ(first.at("set_variables"), (Json{{"pin", ""}}));
    EXPECT_EQ(first.at("listen"), true);
    EXPECT_EQ(first.at("done"), false);

    Json more = step("collect_digits", config, {{"pin", ""}}, "", "12", false);
    EXPECT_EQ(more.at("set_variables"), (Json{{"pin", "12"}}));
    EXPECT_EQ(more.at("done"), false);
    EXPECT_FALSE(more.contains("say"));

    Json ended = step("collect_digits", config, {{"pin", "12"}}, "", "3#9", false);
    EXPECT_EQ(ended.at("set_variables"), (Json{{"pin", "123"}}));
    EXPECT_EQ(ended.at("done"), true);
    EXPECT_EQ(ended.at("listen"), false);
}

TEST_F(DtmfNodes, CollectDigitsStopsAtMaxDigits) {
    Json actions = step("collect_digits", {{"max_digits", 3}, {"variable", "code"}}, {{"code", "stale"}}, "", "98765");
    EXPECT_EQ(actions.at("set_variables"), (Json{{"code", "987"}}));
    EXPECT_EQ(actions.at("done"), true);
}

TEST_F(DtmfNodes, PressDigitTakesKeypadKeysOnly) {
    EXPECT_EQ(validate("press_digit", {{"digits", "1*0#"}}), Json::array());
    for (const Json& digits : {Json("12a"), Json(""), Json(12), Json("1 2")})
        EXPECT_EQ(problem_fields("press_digit", {{"digits", digits}}), std::set<std::string>{"/digits"}) << digits;
    EXPECT_EQ(problem_fields("press_digit", Json::object()), std::set<std::string>{"/digits"});
    Json actions = step("press_digit", {{"digits", "2#"}});
    EXPECT_EQ(actions.at("press_digits"), "2#");
    EXPECT_EQ(actions.at("done"), true);
}

}  // namespace
}  // namespace vox::test
