// VOX_PLUGIN_STATIC: a plugin linked into a program exports no entry symbol;
// the program registers the descriptor function directly. This file is linked
// into the same test binary as sdk_adapters_test.cpp, which exports
// vox_plugin_entry: if the macro below expanded to a second definition, the
// link would fail.
#define VOX_PLUGIN_STATIC
#include <vox/sdk.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string_view>

namespace {

class SilentVad : public vox::sdk::VadProvider {
public:
    class Session : public vox::sdk::VadSession {
    public:
        float process(const vox_audio&) override { return 0.0F; }
        void reset() noexcept override {}
    };
    std::unique_ptr<vox::sdk::VadSession> open(std::string_view, std::uint32_t) override {
        return std::make_unique<Session>();
    }
};

struct StaticPlugin : vox::sdk::Plugin {
    StaticPlugin(vox::sdk::Host host, std::string_view) : Plugin(host) {}
    SilentVad vad;
};

const vox_plugin_descriptor* static_descriptor() {
    static const vox_provider vad =
        vox::sdk::vad_provider<&StaticPlugin::vad>({"silent", "Never hears speech", R"({"streaming":true})"});
    static const vox_provider* const providers[] = {&vad};
    static const vox_plugin_descriptor descriptor =
        vox::sdk::plugin_descriptor<StaticPlugin>({"static_test", "0.0.1", "Linked in"}, providers);
    return &descriptor;
}

}  // namespace

VOX_PLUGIN_ENTRY(static_descriptor)

extern "C" const vox_plugin_descriptor* vox_plugin_entry(void);  // sdk_adapters_test.cpp's

TEST(SdkStaticPlugin, DescriptorFunctionIsUsableDirectly) {
    vox_plugin_entry_fn entry = &static_descriptor;  // what a host registers instead of dlsym'ing
    const vox_plugin_descriptor* d = entry();
    ASSERT_NE(d, nullptr);
    EXPECT_STREQ(d->name, "static_test");
    EXPECT_NE(d, vox_plugin_entry()) << "vox_plugin_entry here is the other file's plugin";

    void* ctx = nullptr;
    ASSERT_EQ(d->init(nullptr, "{}", &ctx, nullptr), VOX_OK);
    const auto& vad = *static_cast<const vox_vad_vtable*>(d->providers[0]->vtable);
    vox_vad_session* session = nullptr;
    ASSERT_EQ(vad.open(ctx, "{}", 8000, &session, nullptr), VOX_OK);
    std::int16_t samples[2] = {1000, -1000};
    vox_audio audio{sizeof(vox_audio), samples, 2, 8000, 1};
    float probability = 1.0F;
    ASSERT_EQ(vad.process(session, &audio, &probability, nullptr), VOX_OK);
    EXPECT_FLOAT_EQ(probability, 0.0F);
    vad.close(session);
    d->deinit(ctx);
}
