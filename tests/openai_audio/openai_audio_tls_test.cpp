// stt.openai and tts.openai over https:// against the local audio server in
// TLS mode (a self-hosted whisper / Kokoro behind a private CA): the
// throwaway CA (made with the openssl CLI at test time) is trusted only
// through ca_file; the chain and the host name are both verified, and a
// refused certificate means no request (and no key) ever leaves.
#include "plugin_fixture.hpp"

#include <fstream>

namespace vox::test {
namespace {

class OpenAiAudioTls : public ::testing::Test {
protected:
    static void SetUpTestSuite() { certificates_ = std::make_unique<TestCertificates>(); }
    static void TearDownTestSuite() { certificates_.reset(); }

    // Loads the plugin for `base_url`; false (reasons in refusal_) when refused.
    bool load(const std::string& base_url, nlohmann::json overrides = nlohmann::json::object()) {
        settings_ = {{"base_url", base_url}, {"api_key", kKey}, {"retry_delay_ms", 20}};
        settings_.update(overrides);
        registry_.reset();
        RegistryOptions options;
        options.settings_for = [this](const std::string& key) {
            return key == "stt.openai" || key == "tts.openai" ? settings_ : nlohmann::json::object();
        };
        registry_ = std::make_unique<PluginRegistry>(host_, std::move(options));
        PluginLoader(*registry_).load_file(VOX_TEST_OPENAI_AUDIO_PLUGIN);
        refusal_.clear();
        for (const auto& refused : registry_->refused()) refusal_ += refused.reason + "\n";
        stt_ = registry_->find("stt.openai");
        tts_ = registry_->find("tts.openai");
        return stt_ != nullptr && tts_ != nullptr;
    }
    static nlohmann::json trusting_the_ca() { return {{"ca_file", certificates_->ca_file()}}; }

    // One flushed STT turn: the transcript or the error message.
    ErrorEvent transcribe(std::string& text) {
        SttRecorder out;
        RawSttSession session(*stt_, 16000, out);
        EXPECT_EQ(session.open_status(), VOX_OK) << session.open_error();
        EXPECT_EQ(session.push(test_audio(3200)), VOX_OK);
        EXPECT_EQ(session.flush(), VOX_OK);
        EXPECT_TRUE(out.wait_events(1));
        std::lock_guard lock(out.mutex);
        if (!out.transcripts.empty()) text = out.transcripts[0].text;
        return out.errors.empty() ? ErrorEvent{} : out.errors[0];
    }
    // One flushed TTS context: what it delivered.
    TtsRecorder::Context speak() {
        TtsRecorder out;
        RawTtsSession session(*tts_, out);
        EXPECT_EQ(session.open_status(), VOX_OK);
        EXPECT_EQ(session.push_text(1, "Hello there."), VOX_OK);
        EXPECT_EQ(session.flush(1), VOX_OK);
        EXPECT_TRUE(out.wait_end(1));
        return out.snapshot(1);
    }

    static constexpr const char* kKey = "sk-tls-audio-5a4b3c2d1e";
    static std::unique_ptr<TestCertificates> certificates_;
    HostServices host_;
    nlohmann::json settings_;
    std::unique_ptr<PluginRegistry> registry_;
    std::string refusal_;
    const Provider* stt_ = nullptr;
    const Provider* tts_ = nullptr;
};

std::unique_ptr<TestCertificates> OpenAiAudioTls::certificates_;

TEST_F(OpenAiAudioTls, TranscribesAndSpeaksOverHttpsWithTheCaFile) {
    AudioTestServer server(kKey, certificates_->server("localhost"));
    ASSERT_EQ(server.base_url().rfind("https://127.0.0.1:", 0), 0u) << server.base_url();
    ASSERT_TRUE(load(server.base_url(), trusting_the_ca())) << refusal_;
    std::string text;
    ErrorEvent error = transcribe(text);
    EXPECT_EQ(error.code, VOX_OK) << error.message;
    EXPECT_EQ(text, "hello world");
    auto spoken = speak();
    ASSERT_TRUE(spoken.errors.empty()) << spoken.errors[0].message;
    EXPECT_EQ(spoken.done, 1);
    EXPECT_FALSE(spoken.samples.empty());
    auto received = server.received();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].authorization, std::string("Bearer ") + kKey);
}

TEST_F(OpenAiAudioTls, WithoutCaFileThePrivateCaIsNotTrusted) {
    AudioTestServer server(kKey, certificates_->server("localhost"));
    ASSERT_TRUE(load(server.base_url())) << refusal_;
    const std::string why =
        "certificate verify failed for 127.0.0.1: unable to get local issuer certificate (if "
        "the server's CA is your own, set ca_file)";
    std::string text;
    ErrorEvent error = transcribe(text);
    EXPECT_EQ(error.code, VOX_ERR_UNAVAILABLE);
    EXPECT_NE(error.message.find("stt.openai: cannot reach " + server.base_url() + ": " + why), std::string::npos)
        << error.message;
    EXPECT_EQ(error.message.find(kKey), std::string::npos);
    auto spoken = speak();
    ASSERT_EQ(spoken.errors.size(), 1u);
    EXPECT_EQ(spoken.errors[0].code, VOX_ERR_UNAVAILABLE);
    EXPECT_NE(spoken.errors[0].message.find("tts.openai: cannot reach " + server.base_url() + ": " + why),
              std::string::npos)
        << spoken.errors[0].message;
    EXPECT_EQ(spoken.errors[0].message.find(kKey), std::string::npos);
    EXPECT_TRUE(server.received().empty()) << "no request may reach an untrusted server";
}

TEST_F(OpenAiAudioTls, ACertificateForAnotherNameIsRefused) {
    AudioTestServer server(kKey, certificates_->server("other"));
    for (std::string host : {"127.0.0.1", "localhost"}) {
        std::string url = server.base_url();
        url.replace(url.find("127.0.0.1"), 9, host);
        ASSERT_TRUE(load(url, trusting_the_ca())) << refusal_;
        std::string text;
        ErrorEvent error = transcribe(text);
        EXPECT_EQ(error.code, VOX_ERR_UNAVAILABLE);
        EXPECT_NE(error.message.find("certificate verify failed: the certificate of " + host +
                                     " is for other names (other.example), not " + host),
                  std::string::npos)
            << error.message;
        EXPECT_EQ(text, "");
    }
    EXPECT_TRUE(server.received().empty());
}

TEST_F(OpenAiAudioTls, AnUnusableCaFileRefusesThePlugin) {
    EXPECT_FALSE(load("https://127.0.0.1:1/v1", {{"ca_file", "/nonexistent/ca.pem"}}));
    EXPECT_NE(refusal_.find("stt.openai: ca_file '/nonexistent/ca.pem' is not a readable file"), std::string::npos)
        << refusal_;
    std::string bogus = certificates_->path("bogus.pem");
    std::ofstream(bogus) << "not a certificate\n";
    EXPECT_FALSE(load("https://127.0.0.1:1/v1", {{"ca_file", bogus}}));
    EXPECT_NE(refusal_.find("stt.openai: ca_file '" + bogus + "' holds no usable PEM certificate"), std::string::npos)
        << refusal_;
}

}  // namespace
}  // namespace vox::test
