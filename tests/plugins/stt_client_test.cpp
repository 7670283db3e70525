// SttClient::set_grammar against fake C-ABI providers: a plugin built before
// ABI 1.2 (its vtable ends before set_grammar), one that leaves it NULL, one
// that answers VOX_ERR_UNSUPPORTED (the C++ SDK's default), and one that takes
// or refuses grammars.
#include <vox/core/host_services.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/stt_client.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace vox::test {
namespace {

// Grammars that reached a provider's set_grammar, in order.
std::vector<std::string> g_grammars;

struct FakeSession {};

vox_status open(void*, const char*, std::uint32_t, const vox_stt_callbacks*, vox_stt_session** out, vox_error*) {
    *out = reinterpret_cast<vox_stt_session*>(new FakeSession);
    return VOX_OK;
}
vox_status push_audio(vox_stt_session*, const vox_audio*, vox_error*) { return VOX_OK; }
vox_status flush(vox_stt_session*, vox_error*) { return VOX_OK; }
vox_status end_input(vox_stt_session*, vox_error*) { return VOX_OK; }
void cancel(vox_stt_session*) {}
void close(vox_stt_session* session) { delete reinterpret_cast<FakeSession*>(session); }

vox_status set_grammar(vox_stt_session*, const char* grammar_json, vox_error* err) {
    g_grammars.emplace_back(grammar_json);
    if (std::string(grammar_json).find("postcode") == std::string::npos) return VOX_OK;
    err->code = VOX_ERR_INVALID_ARGUMENT;
    std::snprintf(err->message, sizeof err->message, "grammar: unknown type \"postcode\"");
    return VOX_ERR_INVALID_ARGUMENT;
}
vox_status unsupported(vox_stt_session*, const char* grammar_json, vox_error* err) {
    g_grammars.emplace_back(grammar_json);
    err->code = VOX_ERR_UNSUPPORTED;
    std::snprintf(err->message, sizeof err->message, "no grammars here");
    return VOX_ERR_UNSUPPORTED;
}

// A 1.1 plugin's table: set_grammar lies beyond struct_size (the pointer is
// only there to show that the client does not read it).
const vox_stt_vtable kOld{
    offsetof(vox_stt_vtable, set_grammar), &open, &push_audio, &flush, &end_input, &cancel, &close, &set_grammar};
const vox_stt_vtable kNull{sizeof(vox_stt_vtable), &open, &push_audio, &flush, &end_input, &cancel, &close, nullptr};
const vox_stt_vtable kUnsupported{
    sizeof(vox_stt_vtable), &open, &push_audio, &flush, &end_input, &cancel, &close, &unsupported};
const vox_stt_vtable kGrammar{
    sizeof(vox_stt_vtable), &open, &push_audio, &flush, &end_input, &cancel, &close, &set_grammar};

constexpr const char* kCaps = R"({"sample_rates":[16000]})";
constexpr const char* kSchema = R"({"type":"object"})";
const vox_provider kProviders[] = {
    {sizeof(vox_provider), VOX_PROVIDER_STT, "old", "ABI 1.1 table", kCaps, kSchema, &kOld, nullptr},
    {sizeof(vox_provider), VOX_PROVIDER_STT, "null", "NULL set_grammar", kCaps, kSchema, &kNull, nullptr},
    {sizeof(vox_provider), VOX_PROVIDER_STT, "unsupported", "UNSUPPORTED", kCaps, kSchema, &kUnsupported, nullptr},
    {sizeof(vox_provider), VOX_PROVIDER_STT, "grammar", "takes grammars", kCaps, kSchema, &kGrammar, nullptr}};
const vox_provider* const kProviderList[] = {&kProviders[0], &kProviders[1], &kProviders[2], &kProviders[3]};

vox_status init(const vox_host_services*, const char*, void** ctx, vox_error*) {
    *ctx = nullptr;
    return VOX_OK;
}
void deinit(void*) {}

const vox_plugin_descriptor* entry() {
    static const vox_plugin_descriptor descriptor{
        sizeof(vox_plugin_descriptor), VOX_ABI_MAJOR, VOX_ABI_MINOR, "fake_grammar_stt", "1.0",
        "SttClient grammar fakes",     &init,         &deinit,       kProviderList,      4};
    return &descriptor;
}

class SttClientGrammar : public ::testing::Test {
protected:
    void SetUp() override {
        g_grammars.clear();
        ASSERT_TRUE(registry_.add(&entry, "static:fake_grammar_stt"));
    }
    SttClient open(const char* key) {
        const Provider* provider = registry_.find(key);
        EXPECT_NE(provider, nullptr) << key;
        return SttClient(*provider, {}, {{}, 16000});
    }

    HostServices host_;
    PluginRegistry registry_{host_};
};

TEST_F(SttClientGrammar, FalseWhenTheProviderHasNoGrammars) {
    EXPECT_FALSE(open("stt.old").set_grammar({{"type", "yes_no"}}));
    EXPECT_FALSE(open("stt.null").set_grammar({{"type", "yes_no"}}));
    EXPECT_TRUE(g_grammars.empty()) << "a function beyond struct_size was called";
    EXPECT_FALSE(open("stt.unsupported").set_grammar({{"type", "yes_no"}}));
    EXPECT_EQ(g_grammars.size(), 1U);
}

TEST_F(SttClientGrammar, TrueWhenTakenAndTheJsonReachesTheProvider) {
    SttClient client = open("stt.grammar");
    EXPECT_TRUE(client.set_grammar({{"type", "digits"}, {"max_digits", 4}}));
    EXPECT_TRUE(client.set_grammar(nlohmann::json::object()));
    EXPECT_TRUE(client.set_grammar(nullptr));
    EXPECT_EQ(g_grammars, (std::vector<std::string>{R"({"max_digits":4,"type":"digits"})", "{}", "null"}));
}

TEST_F(SttClientGrammar, ThrowsWhenRefusedOrNotAnObject) {
    SttClient client = open("stt.grammar");
    try {
        client.set_grammar({{"type", "postcode"}});
        ADD_FAILURE() << "the refusal was not reported";
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT);
        EXPECT_NE(std::string(e.what()).find("unknown type \"postcode\""), std::string::npos) << e.what();
    }
    EXPECT_THROW(client.set_grammar("yes_no"), ProviderError);
    EXPECT_EQ(g_grammars.size(), 1U) << "a string must not reach the provider";
    client.close();
    EXPECT_THROW(client.set_grammar({{"type", "yes_no"}}), ProviderError);
}

}  // namespace
}  // namespace vox::test
