// The "builtin" plugin: the call-flow node types as flow_node providers,
// keyed flow_node.<type>. Each provider's settings schema is the JSON Schema
// of its node config (the dashboard builds its forms from it); validate()
// checks a config by hand against that schema plus the rules a schema cannot
// say; step() runs the node once (see vox_flow_node_vtable).
#include "function_node.hpp"
#include "node_common.hpp"

#include <vox/sdk/error.hpp>
#include <vox/sdk/flow_node.hpp>
#include <vox/sdk/plugin.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace vox::flow_nodes {
namespace {

class Node final : public sdk::FlowNodeType {
public:
    explicit Node(const NodeSpec& spec) : spec_(spec) {}
    // A node whose step needs the plugin's settings.
    Node(const NodeSpec& spec, std::function<json(const StepState&)> step) : spec_(spec), step_(std::move(step)) {}

    std::string validate(std::string_view config_json) override {
        json config = json::parse(config_json, nullptr, false);
        Problems problems;
        if (config.is_discarded() || !config.is_object())
            problems.add("", "the config of a " + std::string(spec_.type) + " node must be a JSON object");
        else
            spec_.validate(config, problems);
        return problems.empty() ? std::string() : problems.list().dump();
    }

    std::string step(std::string_view state_json) override {
        StepState state;
        try {
            state = parse_state(std::string(state_json));
        } catch (const json::exception& e) {
            throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, std::string("the step state is not JSON: ") + e.what());
        }
        return (step_ ? step_(state) : spec_.step(state)).dump();
    }

private:
    const NodeSpec& spec_;
    std::function<json(const StepState&)> step_;
};

struct BuiltinPlugin : sdk::Plugin {
    // A bad [provider.flow_node.function] setting refuses the plugin (sdk::Error).
    BuiltinPlugin(sdk::Host host, std::string_view config)
        : Plugin(host), function(function_node(), [settings = parse_function_settings(config)](const StepState& state) {
              return step_function(*settings, state);
          }) {}
    Node conversation{conversation_node()};
    Node branch{branch_node()};
    Node extract_variables{extract_variables_node()};
    Node function;
    Node transfer_call{transfer_call_node()};
    Node collect_digits{collect_digits_node()};
    Node press_digit{press_digit_node()};
    Node end_call{end_call_node()};
};

template <auto Member>
vox_provider provider(const NodeSpec& spec) {
    return sdk::flow_node_provider<Member>({spec.type, spec.description, "{}", spec.settings_schema});
}

const vox_plugin_descriptor* builtin_descriptor() {
    static const vox_provider conversation = provider<&BuiltinPlugin::conversation>(conversation_node());
    static const vox_provider branch = provider<&BuiltinPlugin::branch>(branch_node());
    static const vox_provider extract = provider<&BuiltinPlugin::extract_variables>(extract_variables_node());
    static const vox_provider function = provider<&BuiltinPlugin::function>(function_node());
    static const vox_provider transfer = provider<&BuiltinPlugin::transfer_call>(transfer_call_node());
    static const vox_provider collect = provider<&BuiltinPlugin::collect_digits>(collect_digits_node());
    static const vox_provider press = provider<&BuiltinPlugin::press_digit>(press_digit_node());
    static const vox_provider end_call = provider<&BuiltinPlugin::end_call>(end_call_node());
    static const vox_provider* const providers[] = {&conversation, &branch,  &extract, &function,
                                                    &transfer,     &collect, &press,   &end_call};
    static const vox_plugin_descriptor descriptor = sdk::plugin_descriptor<BuiltinPlugin>(
        {"builtin", "1.0.0", "The built-in call-flow node types"}, providers);
    return &descriptor;
}

}  // namespace
}  // namespace vox::flow_nodes

VOX_PLUGIN_ENTRY(vox::flow_nodes::builtin_descriptor)
