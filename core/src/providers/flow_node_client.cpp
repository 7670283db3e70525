#include <vox/core/providers/flow_node_client.hpp>

#include <string>

namespace vox {

namespace {
void append_to_string(void* user, const char* data, std::size_t length) {
    static_cast<std::string*>(user)->append(data, length);
}
}  // namespace

nlohmann::json step_flow_node(const Provider& provider, const nlohmann::json& state) {
    if (provider.kind != ProviderKind::flow_node)
        throw ProviderError(VOX_ERR_INVALID_ARGUMENT, provider.key, "is not a flow_node provider");
    std::string input = state.dump();
    std::string output;
    vox_string_sink sink{sizeof(vox_string_sink), &output, &append_to_string};
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    vox_status status =
        provider.vtable<vox_flow_node_vtable>().step(provider.plugin_context(), input.c_str(), &sink, &err);
    if (status != VOX_OK)
        throw ProviderError(status, provider.key,
                            std::string("step failed: ") + (err.message[0] != '\0' ? err.message : "no reason given"));
    auto actions = nlohmann::json::parse(output, nullptr, false);
    if (!actions.is_object())
        throw ProviderError(VOX_ERR_INTERNAL, provider.key, "step answered with something that is not a JSON object");
    return actions;
}

}  // namespace vox
