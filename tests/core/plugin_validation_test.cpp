// The ABI rules, on hand-made descriptors (no loading involved).
#include <vox/core/plugin_validation.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

vox_status fake_init(const vox_host_services*, const char*, void** ctx, vox_error*) {
    *ctx = nullptr;
    return VOX_OK;
}
void fake_deinit(void*) {}
vox_status vad_open(void*, const char*, uint32_t, vox_vad_session**, vox_error*) { return VOX_OK; }
vox_status vad_process(vox_vad_session*, const vox_audio*, float*, vox_error*) { return VOX_OK; }
void vad_reset(vox_vad_session*) {}
void vad_close(vox_vad_session*) {}

struct Fixture {
    vox_vad_vtable vtable{sizeof(vox_vad_vtable), &vad_open, &vad_process, &vad_reset, &vad_close};
    vox_provider provider{sizeof(vox_provider), VOX_PROVIDER_VAD, "energy", "d", "{}", "{}", &vtable, nullptr};
    const vox_provider* providers[1] = {&provider};
    vox_plugin_descriptor descriptor{sizeof(vox_plugin_descriptor), VOX_ABI_MAJOR, VOX_ABI_MINOR, "fixture", "1.0", "",
                                     &fake_init, &fake_deinit, providers, 1};
};

std::string problem(const vox_plugin_descriptor* d) {
    auto found = vox::check_descriptor(d);
    return found ? *found : "";
}

TEST(Validation, AWellFormedDescriptorPasses) {
    Fixture f;
    EXPECT_EQ(problem(&f.descriptor), "");
}

TEST(Validation, NullDescriptor) { EXPECT_NE(problem(nullptr).find("no descriptor"), std::string::npos); }

TEST(Validation, StructTooSmallForTheVersion) {
    Fixture f;
    f.descriptor.struct_size = sizeof(size_t);
    EXPECT_NE(problem(&f.descriptor).find("too small to hold the ABI version"), std::string::npos);
}

TEST(Validation, StructTooSmallForItsOwnMinorVersion) {
    Fixture f;
    f.descriptor.struct_size = offsetof(vox_plugin_descriptor, providers);
    EXPECT_NE(problem(&f.descriptor).find("is smaller than ABI"), std::string::npos) << problem(&f.descriptor);
}

TEST(Validation, OlderMinorIsAccepted) {
    if (VOX_ABI_MINOR == 0) GTEST_SKIP() << "no older minor exists yet";
    Fixture f;
    f.descriptor.abi_minor = VOX_ABI_MINOR - 1;
    EXPECT_EQ(problem(&f.descriptor), "");
}

TEST(Validation, MandatoryPluginFunctions) {
    Fixture f;
    f.descriptor.init = nullptr;
    EXPECT_NE(problem(&f.descriptor).find("lacks the mandatory function init"), std::string::npos);
    Fixture g;
    g.descriptor.deinit = nullptr;
    EXPECT_NE(problem(&g.descriptor).find("lacks the mandatory function deinit"), std::string::npos);
}

TEST(Validation, NamesAndVersion) {
    Fixture f;
    f.descriptor.name = "Bad Name";
    EXPECT_NE(problem(&f.descriptor).find("plugin name"), std::string::npos);
    Fixture g;
    g.descriptor.version = "";
    EXPECT_NE(problem(&g.descriptor).find("has no version"), std::string::npos);
    Fixture h;
    h.provider.name = "Energy-VAD";
    EXPECT_NE(problem(&h.descriptor).find("provider name"), std::string::npos);
}

TEST(Validation, NoProviders) {
    Fixture f;
    f.descriptor.provider_count = 0;
    EXPECT_NE(problem(&f.descriptor).find("offers no providers"), std::string::npos);
}

TEST(Validation, UnknownKind) {
    Fixture f;
    f.provider.kind = 42;
    EXPECT_NE(problem(&f.descriptor).find("unknown provider kind 42"), std::string::npos);
}

TEST(Validation, AVtableTooShortToHoldAMandatoryFunction) {
    Fixture f;
    f.vtable.struct_size = offsetof(vox_vad_vtable, reset);  // built against a table without reset/close
    EXPECT_NE(problem(&f.descriptor).find("vad.energy lacks the mandatory function reset"), std::string::npos)
        << problem(&f.descriptor);
}

TEST(Validation, SettingsSchemaMustBeAnObject) {
    Fixture f;
    f.provider.settings_schema_json = "[1,2]";
    EXPECT_NE(problem(&f.descriptor).find("settings_schema_json is not a JSON object"), std::string::npos);
}

TEST(Validation, ProviderNames) {
    EXPECT_TRUE(vox::is_valid_provider_name("deepgram"));
    EXPECT_TRUE(vox::is_valid_provider_name("custom_websocket2"));
    EXPECT_FALSE(vox::is_valid_provider_name("2fast"));
    EXPECT_FALSE(vox::is_valid_provider_name(""));
    EXPECT_FALSE(vox::is_valid_provider_name(nullptr));
    EXPECT_FALSE(vox::is_valid_provider_name("a.b"));
}

}  // namespace
