// vox/sdk/flow_node.hpp — call-flow node types in C++ (see tts.hpp for the pattern).
#pragma once

#include <vox/sdk/detail.hpp>
#include <vox/sdk/error.hpp>
#include <vox/sdk/provider_info.hpp>

#include <string>
#include <string_view>

namespace vox::sdk {

class FlowNodeType {
public:
    virtual ~FlowNodeType() = default;
    // Returns a JSON array of {"field","message"} problems; empty or "[]" when the config is valid.
    virtual std::string validate(std::string_view config_json) = 0;
    // Returns a JSON object of actions for the host (see vox_flow_node_vtable.step).
    virtual std::string step(std::string_view state_json) = 0;
    virtual std::string describe() { return {}; }
};

namespace detail {

template <auto Member>
struct FlowNodeAdapter {
    using Plugin = member_owner_t<decltype(Member)>;
    static FlowNodeType& node(void* ctx) { return static_cast<Plugin*>(ctx)->*Member; }

    static vox_status validate(void* ctx, const char* config, vox_string_sink* problems, vox_error* err) {
        std::string found;
        vox_status status = guarded(err, [&] { found = node(ctx).validate(view(config)); });
        if (status != VOX_OK) return status;
        if (found.empty() || found == "[]") return VOX_OK;
        write_to(problems, found);
        fill_error(err, VOX_ERR_INVALID_ARGUMENT, "invalid node config");
        return VOX_ERR_INVALID_ARGUMENT;
    }
    static vox_status step(void* ctx, const char* state, vox_string_sink* out, vox_error* err) {
        return guarded(err, [&] { write_to(out, node(ctx).step(view(state))); });
    }
    static vox_status describe(void* ctx, vox_string_sink* out, vox_error* err) {
        return guarded(err, [&] { write_to(out, node(ctx).describe()); });
    }
    static constexpr vox_flow_node_vtable vtable{sizeof(vox_flow_node_vtable), &validate, &step};
};

}  // namespace detail

template <auto Member>
vox_provider flow_node_provider(const ProviderInfo& info) {
    using Adapter = detail::FlowNodeAdapter<Member>;
    return detail::make_provider(VOX_PROVIDER_FLOW_NODE, info, &Adapter::vtable, &Adapter::describe);
}

}  // namespace vox::sdk
