// Edge conditions of call flows: the equation language, keywords and
// intents, the checks the API runs at PUT time, the answer a node expects,
// and the LLM router's request and answer parsing.
#include "../../core/src/call/flow_router.hpp"

#include <vox/core/flow/answer_expectation.hpp>
#include <vox/core/flow/edge_condition.hpp>
#include <vox/core/flow/equation.hpp>
#include <vox/core/flow/flow_graph.hpp>

#include <gtest/gtest.h>

namespace vox::flow {
namespace {

using json = nlohmann::json;

bool holds(const std::string& expression, const json& variables) {
    return Equation::parse(expression).holds(variables);
}

TEST(FlowEquation, ComparesNumbersAsNumbersAndTextIgnoringCase) {
    json vars = {{"age", 42}, {"count", "7"}, {"city", "Paris"}, {"ok", true}, {"empty", ""}};
    EXPECT_TRUE(holds("age >= 18", vars));
    EXPECT_FALSE(holds("age < 18", vars));
    EXPECT_TRUE(holds("count == 7", vars));  // a numeric string is a number
    EXPECT_TRUE(holds("count > 6.5", vars));
    EXPECT_TRUE(holds("city == \"paris\"", vars));
    EXPECT_TRUE(holds("city != 'London'", vars));
    EXPECT_TRUE(holds("ok == true", vars));
    EXPECT_FALSE(holds("city > 3", vars));  // not numbers: ordering is false
    EXPECT_TRUE(holds("city contains 'ar'", vars));
    EXPECT_TRUE(holds("{{city}} == 'Paris'", vars));
}

TEST(FlowEquation, ExistsAndBooleanOperatorsWithPrecedenceAndParentheses) {
    json vars = {{"day", "monday"}, {"empty", ""}, {"plan", "gold"}, {"total", 150}};
    EXPECT_TRUE(holds("day exists", vars));
    EXPECT_FALSE(holds("empty exists", vars));
    EXPECT_FALSE(holds("missing exists", vars));
    EXPECT_TRUE(holds("missing exists || day exists && plan == 'gold'", vars));  // && binds tighter
    EXPECT_FALSE(holds("(missing exists || day exists) && plan == 'silver'", vars));
    EXPECT_TRUE(holds("(plan == 'gold' || plan == 'silver') && total > 100", vars));
    EXPECT_TRUE(holds("!(plan == 'silver')", vars));
    EXPECT_FALSE(holds("missing == 'x'", vars));
}

TEST(FlowEquation, ReadsIntoObjectsAndListsWithDottedNamesAndContains) {
    json vars = {{"result", {{"status", "open"}, {"slots", {"9am", "2pm"}}}}};
    EXPECT_TRUE(holds("result.status == 'open'", vars));
    EXPECT_TRUE(holds("result.slots contains '2pm'", vars));
    EXPECT_FALSE(holds("result.slots contains '5pm'", vars));
    EXPECT_EQ(Equation::parse("a == 1 && {{b}} exists").variables(), (std::vector<std::string>{"a", "b"}));
}

TEST(FlowEquation, BadExpressionsSayWhereAndWhy) {
    auto error_of = [](const std::string& expression) -> std::pair<std::string, std::size_t> {
        try {
            Equation::parse(expression);
        } catch (const EquationError& e) {
            return {e.what(), e.position()};
        }
        return {"", 0};
    };
    EXPECT_EQ(error_of("day ==").second, 6U);
    EXPECT_NE(error_of("day").first.find("expected a comparison"), std::string::npos);
    EXPECT_NE(error_of("(a == 1").first.find("not closed"), std::string::npos);
    EXPECT_NE(error_of("a == 'x").first.find("not closed"), std::string::npos);
    EXPECT_NE(error_of("a = 1").first.find("unexpected character"), std::string::npos);
    EXPECT_NE(error_of("").first.find("empty"), std::string::npos);
    EXPECT_NE(error_of("a == 1 b == 2").first.find("unexpected"), std::string::npos);
    EXPECT_NE(error_of("'x' exists").first.find("applies to a variable"), std::string::npos);
}

TEST(FlowCondition, KeywordsAndIntentsMatchWholeWordsOfTheCallersTurn) {
    json book = {{"type", "keyword"}, {"keywords", {"appointment", "front desk"}}};
    EXPECT_TRUE(condition_holds(book, json::object(), "I need an Appointment please"));
    EXPECT_TRUE(condition_holds(book, json::object(), "put me through to the front desk"));
    EXPECT_FALSE(condition_holds(book, json::object(), "appointments"));  // whole words
    EXPECT_FALSE(condition_holds(book, json::object(), "the desk at the front"));
    json yes = {{"type", "keyword"}, {"intent", "yes"}};
    json no = {{"type", "keyword"}, {"intent", "no"}};
    EXPECT_TRUE(condition_holds(yes, json::object(), "yes please"));
    EXPECT_TRUE(condition_holds(yes, json::object(), "that's right"));
    EXPECT_FALSE(condition_holds(yes, json::object(), "no that's not right"));
    EXPECT_TRUE(condition_holds(no, json::object(), "no that's not right"));
    EXPECT_TRUE(condition_holds({{"type", "keyword"}, {"intent", "human"}}, json::object(), "can I talk to a person"));
    EXPECT_TRUE(condition_holds(nullptr, json::object(), ""));
    EXPECT_TRUE(condition_holds({{"type", "always"}}, json::object(), ""));
    EXPECT_FALSE(condition_holds({{"type", "llm"}, {"prompt", "x"}}, json::object(), "anything"));
    EXPECT_TRUE(condition_holds({{"type", "equation"}, {"expression", "n > 1"}}, {{"n", 2}}, ""));
}

TEST(FlowCondition, ChecksNameTheFieldAndTheProblem) {
    auto fields = [](const json& condition) {
        std::vector<std::string> out;
        for (const auto& p : check_condition(condition)) out.push_back(p["field"]);
        return out;
    };
    EXPECT_TRUE(check_condition({{"type", "equation"}, {"expression", "a == 1"}}).empty());
    EXPECT_TRUE(check_condition({{"type", "keyword"}, {"intent", "no"}}).empty());
    EXPECT_TRUE(check_condition(nullptr).empty());
    EXPECT_EQ(fields({{"type", "equation"}, {"expression", "a =="}}), (std::vector<std::string>{"/expression"}));
    EXPECT_NE(check_condition({{"type", "equation"}, {"expression", "a =="}})[0]["message"].get<std::string>().find(
                  "position 4"),
              std::string::npos);
    EXPECT_EQ(fields({{"type", "keyword"}}), (std::vector<std::string>{"/keywords"}));
    EXPECT_EQ(fields({{"type", "keyword"}, {"intent", "maybe"}}), (std::vector<std::string>{"/intent"}));
    EXPECT_EQ(fields({{"type", "keyword"}, {"keywords", {"ok", 3}}}), (std::vector<std::string>{"/keywords/1"}));
    EXPECT_EQ(fields({{"type", "llm"}}), (std::vector<std::string>{"/prompt"}));
    EXPECT_EQ(fields({{"type", "sometimes"}}), (std::vector<std::string>{"/type"}));
    EXPECT_EQ(fields({{"type", "always"}, {"extra", 1}}), (std::vector<std::string>{"/extra"}));
    EXPECT_EQ(fields(json("always")), (std::vector<std::string>{""}));
}

TEST(FlowAnswer, DigitsAnswersAreCompleteOnlyWithEnoughDigits) {
    EXPECT_EQ(spoken_digits("five five five, oh one 2 3"), "5550123");
    json phone = {{"type", "digits"}, {"min_digits", 7}};
    EXPECT_FALSE(answer_complete(phone, "five five five"));
    EXPECT_TRUE(answer_complete(phone, "five five five one two three four"));
    EXPECT_TRUE(answer_complete({{"type", "yes_no"}}, "yes"));
    EXPECT_FALSE(answer_complete({{"type", "yes_no"}}, "  "));
    EXPECT_TRUE(answer_complete(nullptr, "anything"));
}

TEST(FlowGraphModel, IndexesEdgesInOrderAndRefusesAFlowThatCannotRun) {
    json flow = {{"start_node_id", "a"},
                 {"variables", {{"x", 1}}},
                 {"nodes", {{{"id", "a"}, {"type", "branch"}}, {{"id", "b"}, {"type", "end_call"}}}},
                 {"edges", {{{"source", "a"}, {"target", "b"}, {"id", "first"}}, {{"source", "a"}, {"target", "a"}}}}};
    auto graph = FlowGraph::from_json(flow);
    ASSERT_EQ(graph.edges_from("a").size(), 2U);
    EXPECT_EQ(graph.edges_from("a")[0].id, "first");
    EXPECT_TRUE(graph.edges_from("b").empty());
    EXPECT_EQ(graph.initial_variables(), (json{{"x", 1}}));
    EXPECT_EQ(graph.node_types(), (std::vector<std::string>{"branch", "end_call"}));
    EXPECT_TRUE(FlowGraph::from_json({{"nodes", json::array()}, {"edges", json::array()}}).empty());
    flow["start_node_id"] = "zzz";
    EXPECT_THROW(FlowGraph::from_json(flow), std::invalid_argument);
}

TEST(FlowRouterAnswer, TheFirstNumberInRangeIsTheChoice) {
    using call::detail::FlowRouter;
    EXPECT_EQ(FlowRouter::parse_answer("2", 3), 1U);
    EXPECT_EQ(FlowRouter::parse_answer(" 3.", 3), 2U);
    EXPECT_EQ(FlowRouter::parse_answer("Condition 1", 3), 0U);
    EXPECT_FALSE(FlowRouter::parse_answer("0", 3));
    EXPECT_FALSE(FlowRouter::parse_answer("4", 3));
    EXPECT_FALSE(FlowRouter::parse_answer("none", 3));
    call::Conversation conversation("system");
    conversation.add_user("I want to cancel");
    auto request = FlowRouter::request({{"model", "m1"}}, conversation, {"books", "cancels"});
    EXPECT_EQ(request["model"], "m1");
    EXPECT_EQ(request["temperature"], 0);
    std::string question = request["messages"][1]["content"];
    EXPECT_NE(question.find("Caller: I want to cancel"), std::string::npos);
    EXPECT_NE(question.find("1. books\n2. cancels"), std::string::npos);
}

TEST(FlowRouterAnswer, AnExtractionKeepsOnlyAskedValuesAndValidChoices) {
    using call::detail::FlowRouter;
    json specs = {{{"name", "day"}, {"type", "date"}, {"description", "the day"}},
                  {{"name", "plan"}, {"type", "enum"}, {"choices", {"gold", "silver"}}, {"description", "plan"}}};
    EXPECT_EQ(FlowRouter::parse_extraction("Sure: {\"day\": \"monday\", \"plan\": \"gold\", \"x\": 1}", specs),
              (json{{"day", "monday"}, {"plan", "gold"}}));
    EXPECT_EQ(FlowRouter::parse_extraction("{\"day\": null, \"plan\": \"bronze\"}", specs), json::object());
    EXPECT_EQ(FlowRouter::parse_extraction("I don't know", specs), json::object());
    auto request = FlowRouter::extraction_request(json::object(), call::Conversation("s"), specs);
    std::string question = request["messages"][1]["content"];
    EXPECT_NE(question.find("- plan (enum): plan; one of [\"gold\",\"silver\"]"), std::string::npos) << question;
}

}  // namespace
}  // namespace vox::flow
