// The plugin as a whole, and the node types that speak, route or end:
// conversation, branch, end_call, transfer_call.
#include "flow_node_test_support.hpp"

#include <cstdio>
#include <sstream>
#include <vector>

namespace vox::test {
namespace {

using SpeechNodes = FlowNodes;

TEST_F(SpeechNodes, EveryNodeTypeIsAFlowNodeProviderWithAConfigSchema) {
    for (const char* type : {"conversation", "branch", "extract_variables", "function", "transfer_call",
                             "collect_digits", "press_digit", "end_call"}) {
        const Provider& provider = node(type);
        EXPECT_EQ(provider.kind, ProviderKind::flow_node) << type;
        EXPECT_EQ(provider.plugin->name, "builtin");
        EXPECT_FALSE(provider.description.empty()) << type;
        const Json& schema = provider.settings_schema;
        EXPECT_EQ(schema.at("type"), "object") << type;
        EXPECT_FALSE(schema.at("title").get<std::string>().empty()) << type;
        EXPECT_FALSE(schema.at("description").get<std::string>().empty()) << type;
        EXPECT_EQ(schema.at("additionalProperties"), false) << type;
        for (const auto& [name, property] : schema.at("properties").items())
            EXPECT_TRUE(property.contains("title")) << type << "." << name;
    }
}

// Nothing but the entry point may be visible (no nlohmann or Poco symbol of
// this plugin can clash with voxd's or another plugin's).
TEST(FlowNodesPluginFile, ExportsOnlyTheEntryPoint) {
    std::string command = std::string("nm -D --defined-only '") + VOX_TEST_FLOW_NODES_PLUGIN + "'";
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::vector<std::string> symbols;
    char line[1024];
    while (std::fgets(line, sizeof line, pipe) != nullptr) {
        std::istringstream fields(line);
        std::string address, type, name;
        if (fields >> address >> type >> name) symbols.push_back(name);
    }
    ASSERT_EQ(pclose(pipe), 0) << command;
    EXPECT_EQ(symbols, std::vector<std::string>{"vox_plugin_entry"});
}

TEST_F(SpeechNodes, AStepStateThatIsNotJsonIsAnInvalidArgument) {
    const Provider& provider = node("end_call");
    std::string out;
    vox_string_sink sink{sizeof(vox_string_sink), &out,
                         [](void* user, const char* data, std::size_t length) {
                             static_cast<std::string*>(user)->append(data, length);
                         }};
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    EXPECT_EQ(provider.vtable<vox_flow_node_vtable>().step(provider.plugin_context(), "{oops", &sink, &err),
              VOX_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(err.message).find("not JSON"), std::string::npos) << err.message;
}

TEST_F(SpeechNodes, AConfigThatIsNotAnObjectIsRefused) {
    EXPECT_EQ(problem_fields("end_call", Json::array()), std::set<std::string>{""});
    EXPECT_EQ(problem_fields("branch", "text"), std::set<std::string>{""});
}

TEST_F(SpeechNodes, ConversationNeedsExactlyOneOfTextOrPrompt) {
    EXPECT_EQ(validate("conversation", {{"text", "Hello {{name}}"}}), Json::array());
    EXPECT_EQ(validate("conversation", {{"prompt", "Greet the caller"}, {"listen", false}}), Json::array());
    EXPECT_EQ(problem_fields("conversation", Json::object()), std::set<std::string>{"/text"});
    EXPECT_EQ(problem_fields("conversation", {{"text", "a"}, {"prompt", "b"}}), std::set<std::string>{"/prompt"});
    EXPECT_EQ(problem_fields("conversation", {{"text", 3}}), std::set<std::string>{"/text"});
    EXPECT_EQ(problem_fields("conversation", {{"text", ""}}), std::set<std::string>{"/text"});
    EXPECT_EQ(problem_fields("conversation", {{"text", "a"}, {"listen", "yes"}, {"colour", 1}}),
              (std::set<std::string>{"/listen", "/colour"}));
}

TEST_F(SpeechNodes, ConversationSaysItsTextWithVariablesThenListens) {
    Json actions = step("conversation", {{"text", "Hello {{name}}, you owe {{ amount }}.{{unknown}}"}},
                        {{"name", "Ada"}, {"amount", 12}});
    EXPECT_EQ(actions.at("say"), "Hello Ada, you owe 12.");
    EXPECT_EQ(actions.at("listen"), true);
    EXPECT_EQ(actions.at("done"), false);
    Json answered = step("conversation", {{"text", "Hi"}}, Json::object(), "hello", "", false);
    EXPECT_FALSE(answered.contains("say"));
    EXPECT_EQ(answered.at("done"), true);
}

TEST_F(SpeechNodes, AConversationWithAPromptNeedsTheLlm) {
    Json actions = step("conversation", {{"prompt", "Ask {{name}} for the date"}}, {{"name", "Bo"}});
    EXPECT_EQ(actions.at("needs"), "llm");
    EXPECT_EQ(actions.at("prompt"), "Ask Bo for the date");
    EXPECT_FALSE(actions.contains("say"));
}

TEST_F(SpeechNodes, BranchTakesOnlyADescription) {
    EXPECT_EQ(validate("branch", Json::object()), Json::array());
    EXPECT_EQ(validate("branch", {{"description", "Is it urgent?"}}), Json::array());
    EXPECT_EQ(problem_fields("branch", {{"description", 1}, {"text", "x"}}),
              (std::set<std::string>{"/description", "/text"}));
    EXPECT_EQ(step("branch", Json::object()), (Json{{"listen", false}, {"done", true}}));
}

TEST_F(SpeechNodes, EndCallSaysItsGoodbyeAndHangsUp) {
    EXPECT_EQ(validate("end_call", Json::object()), Json::array());
    EXPECT_EQ(problem_fields("end_call", {{"text", false}}), std::set<std::string>{"/text"});
    Json actions = step("end_call", {{"text", "Bye {{name}}"}}, {{"name", "Ada"}});
    EXPECT_EQ(actions.at("say"), "Bye Ada");
    EXPECT_EQ(actions.at("end_call"), true);
    EXPECT_FALSE(step("end_call", Json::object()).contains("say"));
}

TEST_F(SpeechNodes, TransferCallGoesToAnE164NumberOrASipUri) {
    for (const char* to : {"+14155550123", "sip:desk@example.com", "sips:support@pbx.example.com:5061", "{{agent}}"})
        EXPECT_EQ(validate("transfer_call", {{"to", to}}), Json::array()) << to;
    for (const char* to : {"4155550123", "+0123456", "http://example.com", "sip:", "+1 415 555 0123"})
        EXPECT_EQ(problem_fields("transfer_call", {{"to", to}}), std::set<std::string>{"/to"}) << to;
    EXPECT_EQ(problem_fields("transfer_call", Json::object()), std::set<std::string>{"/to"});
    Json actions = step("transfer_call", {{"to", "{{desk}}"}, {"text", "Transferring you"}}, {{"desk", "+441632960961"}});
    EXPECT_EQ(actions.at("transfer"), (Json{{"to", "+441632960961"}}));
    EXPECT_EQ(actions.at("say"), "Transferring you");
}

}  // namespace
}  // namespace vox::test
