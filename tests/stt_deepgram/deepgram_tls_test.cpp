// stt.deepgram over wss:// against the fake Deepgram server in TLS mode: a
// throwaway CA (made with the openssl CLI at test time) trusted only through
// the ca_file setting; the chain and the host name are both verified, and a
// refused certificate means no handshake request (and no key) ever leaves.
#include "deepgram_test_support.hpp"

#include <fstream>

namespace vox::test {
namespace {

class DeepgramTls : public ::testing::Test {
protected:
    static void SetUpTestSuite() { certificates_ = std::make_unique<TestCertificates>(); }
    static void TearDownTestSuite() { certificates_.reset(); }

    const Provider* load(const std::string& base_url, nlohmann::json settings = nlohmann::json::object()) {
        settings_ = {{"base_url", base_url}, {"api_key", kKey}, {"connect_timeout_ms", 3000}};
        settings_.update(settings);
        registry_.reset();
        RegistryOptions options;
        options.settings_for = [this](const std::string& key) {
            return key == "stt.deepgram" ? settings_ : nlohmann::json::object();
        };
        registry_ = std::make_unique<PluginRegistry>(host_, std::move(options));
        PluginLoader(*registry_).load_file(VOX_TEST_DEEPGRAM_PLUGIN);
        refusal_.clear();
        for (const auto& refused : registry_->refused()) refusal_ += refused.reason + "\n";
        return registry_->find("stt.deepgram");
    }
    static nlohmann::json trusting_the_ca() { return {{"ca_file", certificates_->ca_file()}}; }

    static constexpr const char* kKey = "dg-tls-key-0f9e8d7c6b5a";
    static std::unique_ptr<TestCertificates> certificates_;
    HostServices host_;
    nlohmann::json settings_;
    std::unique_ptr<PluginRegistry> registry_;
    std::string refusal_;
};

std::unique_ptr<TestCertificates> DeepgramTls::certificates_;

TEST_F(DeepgramTls, ASessionRunsOverWssWithTheCaFile) {
    FakeDeepgramServer server(kKey, certificates_->server("localhost"));
    ASSERT_EQ(server.base_url().rfind("wss://127.0.0.1:", 0), 0u) << server.base_url();
    const Provider* provider = load(server.base_url(), trusting_the_ca());
    ASSERT_NE(provider, nullptr) << refusal_;
    Delivered delivered;
    RawSession session(*provider, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    session.push(500);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return !d.finals.empty() || !d.errors.empty(); }));
    std::lock_guard lock(delivered.mutex);
    ASSERT_TRUE(delivered.errors.empty()) << delivered.errors[0].second;
    EXPECT_EQ(delivered.finals[0].text, "Book a table for two.");
    EXPECT_EQ(server.connections().front().authorization, std::string("Token ") + kKey);
}

TEST_F(DeepgramTls, WithoutCaFileThePrivateCaIsNotTrusted) {
    FakeDeepgramServer server(kKey, certificates_->server("localhost"));
    const Provider* provider = load(server.base_url());
    ASSERT_NE(provider, nullptr) << refusal_;
    Delivered delivered;
    RawSession session(*provider, delivered);
    EXPECT_EQ(session.status(), VOX_ERR_UNAVAILABLE);
    EXPECT_NE(session.error_message().find("certificate verify failed for 127.0.0.1: unable to get local issuer "
                                           "certificate (if the server's CA is your own, set ca_file)"),
              std::string::npos)
        << session.error_message();
    EXPECT_EQ(session.error_message().find(kKey), std::string::npos);
    EXPECT_EQ(server.handshakes(), 0) << "no request may reach an untrusted server";
}

TEST_F(DeepgramTls, ACertificateForAnotherNameIsRefused) {
    FakeDeepgramServer server(kKey, certificates_->server("other"));
    // By address and by name: localhost gets no exemption either.
    for (std::string host : {"127.0.0.1", "localhost"}) {
        std::string url = server.base_url();
        url.replace(url.find("127.0.0.1"), 9, host);
        const Provider* provider = load(url, trusting_the_ca());
        ASSERT_NE(provider, nullptr) << refusal_;
        Delivered delivered;
        RawSession session(*provider, delivered);
        EXPECT_EQ(session.status(), VOX_ERR_UNAVAILABLE);
        EXPECT_NE(session.error_message().find("certificate verify failed: the certificate of " + host +
                                               " is for other names (other.example), not " + host),
                  std::string::npos)
            << session.error_message();
        EXPECT_EQ(session.error_message().find(kKey), std::string::npos);
    }
    EXPECT_EQ(server.handshakes(), 0);
}

TEST_F(DeepgramTls, AnUnusableCaFileRefusesThePlugin) {
    EXPECT_EQ(load("wss://127.0.0.1:1/v1/listen", {{"ca_file", "/nonexistent/ca.pem"}}), nullptr);
    EXPECT_NE(refusal_.find("stt.deepgram: ca_file '/nonexistent/ca.pem' is not a readable file"), std::string::npos)
        << refusal_;
    std::string bogus = certificates_->path("bogus.pem");
    std::ofstream(bogus) << "not a certificate\n";
    EXPECT_EQ(load("wss://127.0.0.1:1/v1/listen", {{"ca_file", bogus}}), nullptr);
    EXPECT_NE(refusal_.find("stt.deepgram: ca_file '" + bogus + "' holds no usable PEM certificate"), std::string::npos)
        << refusal_;
}

}  // namespace
}  // namespace vox::test
