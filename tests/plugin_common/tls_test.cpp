// The common TLS context: ca_file checked at load, contexts shared per host
// and CA file version, and an HTTPS request against the audio fake in TLS
// mode (throwaway CA made with the openssl CLI) that only ca_file makes
// trusted, whatever invalid-certificate handler the process installs.
#include "audio_test_server.hpp"

#include <vox/plugin_common/http_client.hpp>
#include <vox/plugin_common/tls.hpp>
#include <vox/sdk/error.hpp>

#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace vox::plugin_common {
namespace {

using test::AudioTestServer;
using test::TestCertificates;

class PluginCommonTls : public ::testing::Test {
protected:
    static void SetUpTestSuite() { certificates_ = std::make_unique<TestCertificates>(); }
    static void TearDownTestSuite() { certificates_.reset(); }

    static std::string refusal(const nlohmann::json& value) {
        try {
            ca_file_setting(value, "p");
        } catch (const sdk::Error& e) {
            EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT);
            return e.what();
        }
        return "";
    }
    // One speech request to `base_url`: "" or the error's message.
    static std::string speak(const std::string& base_url, const std::string& ca_file, const std::string& key) {
        HttpSettings settings;
        settings.provider_key = "p";
        settings.base_url = base_url;
        settings.api_key = key;
        settings.ca_file = ca_file;
        settings.retry_delay = std::chrono::milliseconds(10);
        HttpRequest request{"/audio/speech", "application/json", "audio/pcm",
                            R"({"model":"tts-1","input":"Hi.","voice":"alloy","response_format":"pcm"})"};
        RequestControl control;
        try {
            std::size_t bytes = 0;
            post(
                settings, request, control,
                [&](std::istream& body) {
                    char buffer[4096];
                    while (body.read(buffer, sizeof buffer).gcount() > 0)
                        bytes += static_cast<std::size_t>(body.gcount());
                },
                [](const std::string&) { ++retries_; });
            EXPECT_EQ(bytes, 4800u * 2);
            return "";
        } catch (const sdk::Error& e) {
            EXPECT_EQ(e.code(), VOX_ERR_UNAVAILABLE);
            return e.what();
        }
    }

    static std::unique_ptr<TestCertificates> certificates_;
    static inline int retries_ = 0;  // retry warnings of post()
};

std::unique_ptr<TestCertificates> PluginCommonTls::certificates_;

TEST_F(PluginCommonTls, CaFileMustBeAReadablePemFile) {
    EXPECT_EQ(ca_file_setting(certificates_->ca_file(), "p"), certificates_->ca_file());
    EXPECT_EQ(ca_file_setting("", "p"), "");  // none
    EXPECT_EQ(refusal(42), "p: \"ca_file\" must be the path of a PEM file");
    EXPECT_EQ(refusal("/nonexistent/ca.pem"), "p: ca_file '/nonexistent/ca.pem' is not a readable file");
    EXPECT_EQ(refusal(std::filesystem::temp_directory_path().string()),
              "p: ca_file '" + std::filesystem::temp_directory_path().string() + "' is not a readable file");
    std::string bogus = certificates_->path("bogus.pem");
    std::ofstream(bogus) << "not a certificate\n";
    EXPECT_EQ(refusal(bogus).rfind("p: ca_file '" + bogus + "' holds no usable PEM certificate: ", 0), 0u)
        << refusal(bogus);
}

TEST_F(PluginCommonTls, ContextsAreSharedPerHostAndCaFileVersion) {
    std::string ca = certificates_->path("copy.pem");
    std::filesystem::copy_file(certificates_->ca_file(), ca, std::filesystem::copy_options::overwrite_existing);
    auto first = tls_context("localhost", ca);
    EXPECT_EQ(tls_context("localhost", ca), first);
    EXPECT_NE(tls_context("127.0.0.1", ca), first);  // another name to check
    EXPECT_NE(tls_context("localhost"), first);
    // A rewritten CA file (a renewed private CA) is read again.
    std::ofstream(ca, std::ios::app) << "\n";
    EXPECT_NE(tls_context("localhost", ca), first);
}

TEST_F(PluginCommonTls, HttpsIsTrustedThroughCaFileOnly) {
    AudioTestServer server("sk-common-tls-1234", certificates_->server("localhost"));
    EXPECT_EQ(speak(server.base_url(), certificates_->ca_file(), "sk-common-tls-1234"), "");
    // An accepting handler elsewhere in the process changes nothing.
    Poco::Net::initializeSSL();
    Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> accept = new Poco::Net::AcceptCertificateHandler(false);
    Poco::Net::SSLManager::instance().initializeClient(nullptr, accept, tls_context("localhost"));
    std::string refused = speak(server.base_url(), "", "sk-common-tls-1234");
    EXPECT_EQ(refused, "p: cannot reach " + server.base_url() +
                           ": certificate verify failed for 127.0.0.1: unable to get local issuer certificate (if "
                           "the server's CA is your own, set ca_file)");
    // Not retried (retries = 2 by default): another attempt would meet the same certificate.
    EXPECT_EQ(retries_, 0);
    EXPECT_EQ(server.received().size(), 1u);  // the trusted request only
}

TEST_F(PluginCommonTls, ANameMismatchIsRefused) {
    AudioTestServer server("sk-common-tls-1234", certificates_->server("other"));
    EXPECT_EQ(speak(server.base_url(), certificates_->ca_file(), "sk-common-tls-1234"),
              "p: cannot reach " + server.base_url() +
                  ": certificate verify failed: the certificate of 127.0.0.1 is for other names (other.example), "
                  "not 127.0.0.1");
    EXPECT_TRUE(server.received().empty());
}

}  // namespace
}  // namespace vox::plugin_common
