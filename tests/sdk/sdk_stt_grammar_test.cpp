// The SDK's STT adapter and set_grammar (ABI 1.2), driven through the C
// vtable: a session that overrides it gets the JSON (NULL reads as "null"),
// its refusals come back as status and message, and a session that does not
// override it answers VOX_ERR_UNSUPPORTED.
#include <vox/sdk/stt.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace {

class PlainSession : public vox::sdk::SttSession {
public:
    void push_audio(const vox_audio&) override {}
    void flush() override {}
    void end_input() override {}
    void cancel() noexcept override {}
};

class GrammarSession : public PlainSession {
public:
    explicit GrammarSession(std::vector<std::string>* seen) : seen_(seen) {}
    void set_grammar(std::string_view grammar_json) override {
        if (grammar_json.find("colour") != std::string_view::npos)
            throw vox::sdk::Error(VOX_ERR_INVALID_ARGUMENT, "grammar: unknown type \"colour\"");
        seen_->emplace_back(grammar_json);
    }

private:
    std::vector<std::string>* seen_;
};

class Provider : public vox::sdk::SttProvider {
public:
    explicit Provider(bool grammars) : grammars_(grammars) {}
    std::unique_ptr<vox::sdk::SttSession> open(std::string_view, std::uint32_t, vox::sdk::SttSink) override {
        if (grammars_) return std::make_unique<GrammarSession>(&seen);
        return std::make_unique<PlainSession>();
    }
    std::vector<std::string> seen;

private:
    bool grammars_;
};

struct GrammarPlugin {
    Provider with{true};
    Provider without{false};
};

class SdkSttGrammar : public ::testing::Test {
protected:
    vox_stt_session* open(const vox_stt_vtable& vtable) {
        vox_stt_callbacks callbacks{sizeof(vox_stt_callbacks), nullptr, nullptr, nullptr};
        vox_stt_session* session = nullptr;
        EXPECT_EQ(vtable.open(&plugin_, "{}", 16000, &callbacks, &session, &err_), VOX_OK);
        return session;
    }

    GrammarPlugin plugin_;
    vox_error err_{sizeof(vox_error), VOX_OK, {}};
    const vox_provider with_ = vox::sdk::stt_provider<&GrammarPlugin::with>({"with", "", "{}"});
    const vox_provider without_ = vox::sdk::stt_provider<&GrammarPlugin::without>({"without", "", "{}"});
};

TEST_F(SdkSttGrammar, TheTableCoversSetGrammar) {
    const auto& vtable = *static_cast<const vox_stt_vtable*>(with_.vtable);
    EXPECT_TRUE(VOX_STRUCT_HAS(&vtable, vox_stt_vtable, set_grammar));
    EXPECT_NE(vtable.set_grammar, nullptr);
}

TEST_F(SdkSttGrammar, AnOverridingSessionGetsTheJsonAndItsRefusalsComeBack) {
    const auto& vtable = *static_cast<const vox_stt_vtable*>(with_.vtable);
    vox_stt_session* session = open(vtable);
    ASSERT_NE(session, nullptr);
    EXPECT_EQ(vtable.set_grammar(session, R"({"type":"yes_no"})", &err_), VOX_OK);
    EXPECT_EQ(vtable.set_grammar(session, nullptr, &err_), VOX_OK);
    EXPECT_EQ(plugin_.with.seen, (std::vector<std::string>{R"({"type":"yes_no"})", "null"}));
    EXPECT_EQ(vtable.set_grammar(session, R"({"type":"colour"})", &err_), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_STREQ(err_.message, "grammar: unknown type \"colour\"");
    vtable.close(session);
}

TEST_F(SdkSttGrammar, ASessionWithoutItAnswersUnsupported) {
    const auto& vtable = *static_cast<const vox_stt_vtable*>(without_.vtable);
    vox_stt_session* session = open(vtable);
    ASSERT_NE(session, nullptr);
    EXPECT_EQ(vtable.set_grammar(session, R"({"type":"yes_no"})", &err_), VOX_ERR_UNSUPPORTED);
    EXPECT_EQ(err_.code, VOX_ERR_UNSUPPORTED);
    EXPECT_NE(std::string(err_.message).find("does not support grammars"), std::string::npos) << err_.message;
    vtable.close(session);
}

}  // namespace
