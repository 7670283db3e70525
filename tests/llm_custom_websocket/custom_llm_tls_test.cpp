// llm.custom_websocket over wss:// against the fake LLM server in TLS mode:
// the throwaway CA (made with the openssl CLI at test time) is trusted only
// through ca_file; the chain and the host name are both verified, and a
// refused certificate means no handshake request (and no key) ever leaves.
#include "custom_llm_test_support.hpp"

#include <fstream>

namespace vox::test {
namespace {

class CustomLlmTls : public CustomLlmTest {
protected:
    static void SetUpTestSuite() { certificates_ = std::make_unique<TestCertificates>(); }
    static void TearDownTestSuite() { certificates_.reset(); }
    void SetUp() override {}

    // A TLS server with the plain fixture server's key.
    std::unique_ptr<FakeLlmServer> tls_server(const std::string& certificate) {
        return std::make_unique<FakeLlmServer>(server_.api_key(), certificates_->server(certificate));
    }
    static std::string ca_file() { return certificates_->ca_file(); }

    static std::unique_ptr<TestCertificates> certificates_;
};

std::unique_ptr<TestCertificates> CustomLlmTls::certificates_;

TEST_F(CustomLlmTls, StreamsOverWssWithTheCaFile) {
    auto tls = tls_server("localhost");
    ASSERT_EQ(tls->url().rfind("wss://127.0.0.1:", 0), 0u) << tls->url();
    ASSERT_NE(load({{"url", tls->url()}, {"ca_file", ca_file()}}), nullptr) << refusal_;
    Outcome out;
    ASSERT_EQ(start(1, out, request("hi")), VOX_OK);
    ASSERT_TRUE(out.wait_end());
    EXPECT_FALSE(out.error_code.has_value()) << out.error_message;
    EXPECT_EQ(out.text, "Hello there!");
    EXPECT_EQ(out.finish_reason, "stop");
    auto connections = tls->connections();
    ASSERT_EQ(connections.size(), 1u);
    EXPECT_EQ(connections[0].authorization, "Bearer " + server_.api_key());
}

TEST_F(CustomLlmTls, WithoutCaFileThePrivateCaIsNotTrusted) {
    auto tls = tls_server("localhost");
    // Retries allowed: a refused certificate is not retried all the same.
    ASSERT_NE(load({{"url", tls->url()}, {"retries", 3}}), nullptr) << refusal_;
    Outcome out;
    auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(start(1, out, request("hi")), VOX_OK);
    ASSERT_TRUE(out.wait_end());
    EXPECT_EQ(out.error_code, VOX_ERR_UNAVAILABLE);
    EXPECT_NE(out.error_message.find("certificate verify failed for 127.0.0.1: unable to get local issuer "
                                     "certificate (if the server's CA is your own, set ca_file)"),
              std::string::npos)
        << out.error_message;
    EXPECT_EQ(out.error_message.find(server_.api_key()), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    EXPECT_EQ(tls->handshakes(), 0) << "no request may reach an untrusted server";
}

TEST_F(CustomLlmTls, ACertificateForAnotherNameIsRefused) {
    auto tls = tls_server("other");
    for (std::string host : {"127.0.0.1", "localhost"}) {
        std::string url = tls->url();
        url.replace(url.find("127.0.0.1"), 9, host);
        ASSERT_NE(load({{"url", url}, {"ca_file", ca_file()}}), nullptr) << refusal_;
        Outcome out;
        ASSERT_EQ(start(1, out, request("hi")), VOX_OK);
        ASSERT_TRUE(out.wait_end());
        EXPECT_EQ(out.error_code, VOX_ERR_UNAVAILABLE);
        EXPECT_NE(out.error_message.find("certificate verify failed: the certificate of " + host +
                                         " is for other names (other.example), not " + host),
                  std::string::npos)
            << out.error_message;
    }
    EXPECT_EQ(tls->handshakes(), 0);
}

TEST_F(CustomLlmTls, AnUnusableCaFileRefusesThePlugin) {
    EXPECT_EQ(load({{"url", "wss://127.0.0.1:1/llm"}, {"ca_file", "/nonexistent/ca.pem"}}), nullptr);
    EXPECT_NE(refusal_.find("llm.custom_websocket: ca_file '/nonexistent/ca.pem' is not a readable file"),
              std::string::npos)
        << refusal_;
    std::string bogus = certificates_->path("bogus.pem");
    std::ofstream(bogus) << "not a certificate\n";
    EXPECT_EQ(load({{"url", "wss://127.0.0.1:1/llm"}, {"ca_file", bogus}}), nullptr);
    EXPECT_NE(refusal_.find("llm.custom_websocket: ca_file '" + bogus + "' holds no usable PEM certificate"),
              std::string::npos)
        << refusal_;
}

}  // namespace
}  // namespace vox::test
