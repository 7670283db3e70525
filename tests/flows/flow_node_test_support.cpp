#include "flow_node_test_support.hpp"

#include <vox/core/plugin_loader.hpp>

#include <filesystem>

namespace vox::test {
namespace {

void append_to_string(void* user, const char* data, std::size_t length) {
    static_cast<std::string*>(user)->append(data, length);
}

Json step_provider(const Provider& provider, const std::string& state) {
    std::string out;
    vox_string_sink sink{sizeof(vox_string_sink), &out, &append_to_string};
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    vox_status status =
        provider.vtable<vox_flow_node_vtable>().step(provider.plugin_context(), state.c_str(), &sink, &err);
    EXPECT_EQ(status, VOX_OK) << err.message;
    Json actions = Json::parse(out);
    EXPECT_TRUE(actions.is_object()) << out;
    return actions;
}

}  // namespace

std::unique_ptr<HostServices> FlowNodes::host_;
std::unique_ptr<PluginRegistry> FlowNodes::registry_;

void FlowNodes::SetUpTestSuite() {
    host_ = std::make_unique<HostServices>();
    registry_ = std::make_unique<PluginRegistry>(*host_);
    ASSERT_TRUE(std::filesystem::exists(VOX_TEST_FLOW_NODES_PLUGIN)) << VOX_TEST_FLOW_NODES_PLUGIN;
    bool loaded = PluginLoader(*registry_).load_file(VOX_TEST_FLOW_NODES_PLUGIN);
    std::string reasons;
    for (const auto& refused : registry_->refused()) reasons += refused.origin + ": " + refused.reason + "\n";
    ASSERT_TRUE(loaded) << reasons;
}

void FlowNodes::TearDownTestSuite() {
    registry_->shutdown();
    registry_.reset();
    host_.reset();
}

const Provider& FlowNodes::node(const std::string& type) {
    const Provider* provider = registry_->find("flow_node." + type);
    if (provider == nullptr) throw std::runtime_error("no provider flow_node." + type);
    return *provider;
}

Json FlowNodes::validate(const std::string& type, const Json& config) {
    const Provider& provider = node(type);
    std::string text = config.dump();
    std::string found;
    vox_string_sink sink{sizeof(vox_string_sink), &found, &append_to_string};
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    vox_status status =
        provider.vtable<vox_flow_node_vtable>().validate(provider.plugin_context(), text.c_str(), &sink, &err);
    if (status == VOX_OK) {
        EXPECT_TRUE(found.empty()) << found;
        return Json::array();
    }
    EXPECT_EQ(status, VOX_ERR_INVALID_ARGUMENT) << err.message;
    Json problems = Json::parse(found);
    EXPECT_TRUE(problems.is_array() && !problems.empty()) << found;
    for (const auto& problem : problems) {
        EXPECT_TRUE(problem.at("field").is_string()) << problem;
        EXPECT_FALSE(problem.at("message").get<std::string>().empty()) << problem;
    }
    return problems;
}

std::set<std::string> FlowNodes::problem_fields(const std::string& type, const Json& config) {
    std::set<std::string> fields;
    for (const auto& problem : validate(type, config)) fields.insert(problem.at("field").get<std::string>());
    return fields;
}

Json FlowNodes::step(const std::string& type, const Json& config, const Json& variables,
                     const std::string& user_text, const std::string& dtmf, bool first) {
    const Provider& provider = node(type);
    std::string state = Json{{"config", config},
                             {"variables", variables},
                             {"user_text", user_text},
                             {"dtmf", dtmf},
                             {"first", first}}
                            .dump();
    return step_provider(provider, state);
}

ConfiguredNodes::ConfiguredNodes(const Json& settings_by_key) : settings_(settings_by_key) {
    host_ = std::make_unique<HostServices>();
    RegistryOptions options;
    options.settings_for = [this](const std::string& key) {
        return settings_.contains(key) ? settings_[key] : Json::object();
    };
    registry_ = std::make_unique<PluginRegistry>(*host_, options);
    if (!PluginLoader(*registry_).load_file(VOX_TEST_FLOW_NODES_PLUGIN))
        for (const auto& refused : registry_->refused()) refusal_ += refused.reason;
}

ConfiguredNodes::~ConfiguredNodes() { registry_->shutdown(); }

Json ConfiguredNodes::step(const std::string& type, const Json& config, const Json& variables) {
    const Provider* provider = registry_->find("flow_node." + type);
    if (provider == nullptr) throw std::runtime_error("no provider flow_node." + type + ": " + refusal_);
    return step_provider(
        *provider,
        Json{{"config", config}, {"variables", variables}, {"user_text", ""}, {"dtmf", ""}, {"first", false}}.dump());
}

}  // namespace vox::test
