// tts.elevenlabs over wss:// and https:// against the fake ElevenLabs server
// in TLS mode: the throwaway CA (made with the openssl CLI at test time) is
// trusted only through ca_file; the chain and the host name are both
// verified, and a refused certificate means no request (and no key) leaves.
#include "fake_elevenlabs_server.hpp"

#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/plugin.h>

#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <mutex>

namespace vox::test {
namespace {

using namespace std::chrono_literals;

// What one context of one session delivered.
struct Spoken {
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t samples = 0;
    int done = 0;
    std::vector<std::pair<vox_status, std::string>> errors;
};

// Opens a session, speaks `text` in context 1 and waits for its end.
void speak(const Provider& provider, const std::string& text, Spoken& out) {
    const auto& vtable = provider.vtable<vox_tts_vtable>();
    vox_tts_callbacks callbacks{};
    callbacks.struct_size = sizeof callbacks;
    callbacks.user = &out;
    callbacks.on_audio = [](void* user, std::uint64_t, const vox_audio* audio) {
        auto& s = *static_cast<Spoken*>(user);
        std::lock_guard lock(s.mutex);
        s.samples += audio->frames;
    };
    callbacks.on_done = [](void* user, std::uint64_t) {
        auto& s = *static_cast<Spoken*>(user);
        std::lock_guard lock(s.mutex);
        ++s.done;
        s.changed.notify_all();
    };
    callbacks.on_error = [](void* user, std::uint64_t, vox_status code, const char* message) {
        auto& s = *static_cast<Spoken*>(user);
        std::lock_guard lock(s.mutex);
        s.errors.emplace_back(code, message);
        s.changed.notify_all();
    };
    vox_error error{};
    error.struct_size = sizeof error;
    vox_tts_session* session = nullptr;
    ASSERT_EQ(vtable.open(provider.plugin_context(), "{}", &callbacks, &session, &error), VOX_OK) << error.message;
    EXPECT_EQ(vtable.push_text(session, 1, text.data(), text.size(), &error), VOX_OK);
    EXPECT_EQ(vtable.flush(session, 1, &error), VOX_OK);
    {
        std::unique_lock lock(out.mutex);
        EXPECT_TRUE(out.changed.wait_for(lock, 10s, [&] { return out.done > 0 || !out.errors.empty(); }));
    }
    vtable.close(session);
}

class ElevenLabsTls : public ::testing::Test {
protected:
    static void SetUpTestSuite() { certificates_ = std::make_unique<TestCertificates>(); }
    static void TearDownTestSuite() { certificates_.reset(); }

    const Provider* load(const std::string& base_url, nlohmann::json overrides = nlohmann::json::object()) {
        settings_ = {{"base_url", base_url}, {"api_key", kKey}, {"retry_delay_ms", 10}, {"retries", 1}};
        settings_.update(overrides);
        registry_.reset();
        RegistryOptions options;
        options.settings_for = [this](const std::string& key) {
            return key == "tts.elevenlabs" ? settings_ : nlohmann::json::object();
        };
        registry_ = std::make_unique<PluginRegistry>(host_, std::move(options));
        PluginLoader(*registry_).load_file(VOX_TEST_ELEVENLABS_PLUGIN);
        refusal_.clear();
        for (const auto& refused : registry_->refused()) refusal_ += refused.reason + "\n";
        return registry_->find("tts.elevenlabs");
    }
    static nlohmann::json trusting_the_ca() { return {{"ca_file", certificates_->ca_file()}}; }

    static constexpr const char* kKey = "xi-tls-key-7d6c5b4a3f";
    static std::unique_ptr<TestCertificates> certificates_;
    HostServices host_;
    nlohmann::json settings_;
    std::unique_ptr<PluginRegistry> registry_;
    std::string refusal_;
};

std::unique_ptr<TestCertificates> ElevenLabsTls::certificates_;

TEST_F(ElevenLabsTls, SpeaksOverWssWithTheCaFile) {
    FakeElevenLabsServer server(kKey, certificates_->server("localhost"));
    ASSERT_EQ(server.base_url().rfind("https://127.0.0.1:", 0), 0u) << server.base_url();
    const Provider* provider = load(server.base_url(), trusting_the_ca());
    ASSERT_NE(provider, nullptr) << refusal_;
    Spoken out;
    speak(*provider, "Hello there.", out);
    std::lock_guard lock(out.mutex);
    ASSERT_TRUE(out.errors.empty()) << out.errors[0].second;
    EXPECT_EQ(out.done, 1);
    EXPECT_GT(out.samples, 0u);
    EXPECT_EQ(server.record().handshakes, 1);
    EXPECT_EQ(server.record().http_requests, 0);
}

TEST_F(ElevenLabsTls, FallsBackToTheHttpsStreamWithTheCaFile) {
    FakeElevenLabsServer server(kKey, certificates_->server("localhost"));
    FakeElevenLabsServer::Script script;
    script.ws_status = 503;  // the WebSocket is unavailable: HTTP it is
    server.set_script(script);
    const Provider* provider = load(server.base_url(), trusting_the_ca());
    ASSERT_NE(provider, nullptr) << refusal_;
    Spoken out;
    speak(*provider, "Hello there.", out);
    std::lock_guard lock(out.mutex);
    ASSERT_TRUE(out.errors.empty()) << out.errors[0].second;
    EXPECT_EQ(out.done, 1);
    EXPECT_GT(out.samples, 0u);
    EXPECT_EQ(server.record().http_requests, 1);
}

TEST_F(ElevenLabsTls, WithoutCaFileThePrivateCaIsNotTrusted) {
    FakeElevenLabsServer server(kKey, certificates_->server("localhost"));
    const Provider* provider = load(server.base_url());
    ASSERT_NE(provider, nullptr) << refusal_;
    Spoken out;
    speak(*provider, "Hello there.", out);
    std::lock_guard lock(out.mutex);
    ASSERT_EQ(out.errors.size(), 1u);
    EXPECT_EQ(out.errors[0].first, VOX_ERR_UNAVAILABLE);
    EXPECT_NE(out.errors[0].second.find("tts.elevenlabs: cannot connect to ElevenLabs: certificate verify failed for "
                                        "127.0.0.1: unable to get local issuer certificate (if the server's CA is "
                                        "your own, set ca_file)"),
              std::string::npos)
        << out.errors[0].second;
    EXPECT_EQ(out.errors[0].second.find(kKey), std::string::npos);
    EXPECT_EQ(out.samples, 0u);
    auto record = server.record();
    EXPECT_EQ(record.handshakes + record.http_requests, 0) << "no request may reach an untrusted server";
}

TEST_F(ElevenLabsTls, ACertificateForAnotherNameIsRefused) {
    FakeElevenLabsServer server(kKey, certificates_->server("other"));
    for (std::string host : {"127.0.0.1", "localhost"}) {
        std::string url = server.base_url();
        url.replace(url.find("127.0.0.1"), 9, host);
        const Provider* provider = load(url, trusting_the_ca());
        ASSERT_NE(provider, nullptr) << refusal_;
        Spoken out;
        speak(*provider, "Hello there.", out);
        std::lock_guard lock(out.mutex);
        ASSERT_EQ(out.errors.size(), 1u);
        EXPECT_EQ(out.errors[0].first, VOX_ERR_UNAVAILABLE);
        EXPECT_NE(out.errors[0].second.find("certificate verify failed: the certificate of " + host +
                                            " is for other names (other.example), not " + host),
                  std::string::npos)
            << out.errors[0].second;
    }
    auto record = server.record();
    EXPECT_EQ(record.handshakes + record.http_requests, 0);
}

TEST_F(ElevenLabsTls, AnUnusableCaFileRefusesThePlugin) {
    EXPECT_EQ(load("https://127.0.0.1:1", {{"ca_file", "/nonexistent/ca.pem"}}), nullptr);
    EXPECT_NE(refusal_.find("tts.elevenlabs: ca_file '/nonexistent/ca.pem' is not a readable file"), std::string::npos)
        << refusal_;
    std::string bogus = certificates_->path("bogus.pem");
    std::ofstream(bogus) << "not a certificate\n";
    EXPECT_EQ(load("https://127.0.0.1:1", {{"ca_file", bogus}}), nullptr);
    EXPECT_NE(refusal_.find("tts.elevenlabs: ca_file '" + bogus + "' holds no usable PEM certificate"),
              std::string::npos)
        << refusal_;
}

}  // namespace
}  // namespace vox::test
