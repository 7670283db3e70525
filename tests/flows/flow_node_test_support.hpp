// Loads the built-in node types (plugins/flow_nodes) from the build tree into
// a fresh registry, and calls validate() and step() the way voxd does.
#pragma once

#include <vox/core/host_services.hpp>
#include <vox/core/plugin_registry.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <set>
#include <string>

namespace vox::test {

using Json = nlohmann::json;

class FlowNodes : public ::testing::Test {
protected:
    static void SetUpTestSuite();
    static void TearDownTestSuite();

    static const Provider& node(const std::string& type);
    // The problems validate() reports, [] when the config is valid.
    static Json validate(const std::string& type, const Json& config);
    // The fields of those problems.
    static std::set<std::string> problem_fields(const std::string& type, const Json& config);
    // step() on {"config","variables","user_text","dtmf","first"}.
    static Json step(const std::string& type, const Json& config, const Json& variables = Json::object(),
                     const std::string& user_text = "", const std::string& dtmf = "", bool first = true);

private:
    static std::unique_ptr<HostServices> host_;
    static std::unique_ptr<PluginRegistry> registry_;
};

// The plugin loaded on its own with plugin-level settings by provider key,
// {"flow_node.function": {...}}, the way voxd hands [provider.flow_node.function].
class ConfiguredNodes {
public:
    explicit ConfiguredNodes(const Json& settings_by_key);
    ~ConfiguredNodes();
    ConfiguredNodes(const ConfiguredNodes&) = delete;
    ConfiguredNodes& operator=(const ConfiguredNodes&) = delete;

    // Why the registry refused the plugin; "" when it loaded.
    const std::string& refusal() const { return refusal_; }
    Json step(const std::string& type, const Json& config, const Json& variables = Json::object());

private:
    Json settings_;
    std::unique_ptr<HostServices> host_;
    std::unique_ptr<PluginRegistry> registry_;
    std::string refusal_;
};

}  // namespace vox::test
