// extract_variables: its config of variables, and offline extraction by
// pattern and keywords.
#include "flow_node_test_support.hpp"

namespace vox::test {
namespace {

using ExtractVariables = FlowNodes;

Json variable(const std::string& name, const std::string& type, Json extra = Json::object()) {
    Json v = {{"name", name}, {"type", type}, {"description", "The " + name}};
    v.update(extra);
    return v;
}

TEST_F(ExtractVariables, ChecksEachVariable) {
    Json good = {{"variables",
                  {variable("name", "string"), variable("age", "number"), variable("phone", "digits"),
                   variable("agree", "boolean"), variable("day", "date"),
                   variable("colour", "enum", {{"choices", {"red", "dark blue"}}}),
                   variable("zip", "string", {{"pattern", "(\\d{5})"}})}}};
    EXPECT_EQ(validate("extract_variables", good), Json::array());

    EXPECT_EQ(problem_fields("extract_variables", Json::object()), std::set<std::string>{"/variables"});
    EXPECT_EQ(problem_fields("extract_variables", {{"variables", Json::array()}}), std::set<std::string>{"/variables"});
    Json bad = {{"variables",
                 {variable("1x", "string"), variable("a", "colour"), Json{{"name", "b"}, {"type", "string"}},
                  variable("c", "enum"), variable("d", "number", {{"choices", {"x"}}}),
                  variable("e", "string", {{"pattern", "(unclosed"}}), variable("e", "string"), "text"}}};
    EXPECT_EQ(problem_fields("extract_variables", bad),
              (std::set<std::string>{"/variables/0/name", "/variables/1/type", "/variables/2/description",
                                     "/variables/3/choices", "/variables/4/choices", "/variables/5/pattern",
                                     "/variables/6/name", "/variables/7"}));
}

TEST_F(ExtractVariables, TakesValuesFromTheCallersWords) {
    Json config = {{"variables",
                    {variable("name", "string", {{"pattern", "my name is (\\w+)"}}), variable("guests", "number"),
                     variable("phone", "digits", {{"pattern", "call (.*) on"}}), variable("agree", "boolean"), variable("day", "date"),
                     variable("colour", "enum", {{"choices", {"red", "Dark Blue"}}})}}};
    Json actions = step("extract_variables", config, Json::object(),
                        "Yes, my name is Ada, we are 4, call 555 one two on Friday; dark blue please");
    EXPECT_EQ(actions.at("set_variables"), (Json{{"name", "Ada"},
                                                 {"guests", 4},
                                                 {"phone", "55512"},
                                                 {"agree", true},
                                                 {"day", "friday"},
                                                 {"colour", "Dark Blue"}}));
    EXPECT_EQ(actions.at("missing"), Json::array());
    EXPECT_EQ(actions.at("done"), true);
}

TEST_F(ExtractVariables, ListsWhatItCouldNotFind) {
    Json config = {{"variables",
                    {variable("agree", "boolean"), variable("guests", "number"),
                     variable("colour", "enum", {{"choices", {"red"}}}), variable("note", "string")}}};
    Json actions = step("extract_variables", config, Json::object(), "nope, three");
    EXPECT_EQ(actions.at("set_variables"), (Json{{"agree", false}, {"guests", 3}, {"note", "nope, three"}}));
    EXPECT_EQ(actions.at("missing"), (Json{"colour"}));
    EXPECT_EQ(step("extract_variables", config, Json::object(), "  ").at("missing").size(), 4U);
}

}  // namespace
}  // namespace vox::test
