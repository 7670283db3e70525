// llm.openai over https:// against the local OpenAI-compatible server in TLS
// mode (a self-hosted vLLM / llama.cpp behind a private CA): the throwaway CA
// (made with the openssl CLI at test time) is trusted only through ca_file;
// the chain and the host name are both verified, and a refused certificate
// means no request (and no key) ever leaves.
#include "openai_test_server.hpp"

#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/llm_client.hpp>

#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>

namespace vox::test {
namespace {

using namespace std::chrono_literals;

struct Ended {
    std::mutex mutex;
    std::condition_variable changed;
    std::string text;
    std::optional<std::string> finish_reason;
    std::optional<vox_status> error_code;
    std::string error_message;
};

class OpenAiTls : public ::testing::Test {
protected:
    static void SetUpTestSuite() { certificates_ = std::make_unique<TestCertificates>(); }
    static void TearDownTestSuite() { certificates_.reset(); }

    const Provider* load(const std::string& base_url, nlohmann::json overrides = nlohmann::json::object()) {
        settings_ = {{"base_url", base_url}, {"api_key", kKey}, {"connect_timeout_ms", 3000}};
        settings_.update(overrides);
        registry_.reset();
        RegistryOptions options;
        options.settings_for = [this](const std::string& key) {
            return key == "llm.openai" ? settings_ : nlohmann::json::object();
        };
        registry_ = std::make_unique<PluginRegistry>(host_, std::move(options));
        PluginLoader(*registry_).load_file(VOX_TEST_OPENAI_PLUGIN);
        refusal_.clear();
        for (const auto& refused : registry_->refused()) refusal_ += refused.reason + "\n";
        return registry_->find("llm.openai");
    }
    static nlohmann::json trusting_the_ca() { return {{"ca_file", certificates_->ca_file()}}; }

    // One generation through the host's LlmClient, run to its end.
    static void generate(const Provider& provider, Ended& out) {
        LlmCallbacks callbacks;
        callbacks.on_token = [&out](std::uint64_t, std::string_view text) {
            std::lock_guard lock(out.mutex);
            out.text += text;
        };
        callbacks.on_done = [&out](std::uint64_t, std::string_view reason) {
            std::lock_guard lock(out.mutex);
            out.finish_reason = std::string(reason);
            out.changed.notify_all();
        };
        callbacks.on_error = [&out](std::uint64_t, const ProviderError& error) {
            std::lock_guard lock(out.mutex);
            out.error_code = error.code();
            out.error_message = error.what();
            out.changed.notify_all();
        };
        LlmClient client(provider, callbacks);
        client.start({{"model", "gpt-4o-mini"}, {"messages", {{{"role", "user"}, {"content", "Say hello"}}}}});
        {
            std::unique_lock lock(out.mutex);
            EXPECT_TRUE(out.changed.wait_for(lock, 10s, [&] { return out.finish_reason || out.error_code; }));
        }
        EXPECT_TRUE(client.wait_idle(5s));
    }

    static constexpr const char* kKey = "sk-tls-llm-9f8e7d6c5b";
    static std::unique_ptr<TestCertificates> certificates_;
    HostServices host_;
    nlohmann::json settings_;
    std::unique_ptr<PluginRegistry> registry_;
    std::string refusal_;
};

std::unique_ptr<TestCertificates> OpenAiTls::certificates_;

TEST_F(OpenAiTls, StreamsOverHttpsWithTheCaFile) {
    OpenAiTestServer server(kKey, certificates_->server("localhost"));
    ASSERT_EQ(server.base_url().rfind("https://127.0.0.1:", 0), 0u) << server.base_url();
    server.set_script({.chunks = OpenAiTestServer::content_chunks({"Hello", " over", " TLS."})});
    const Provider* provider = load(server.base_url(), trusting_the_ca());
    ASSERT_NE(provider, nullptr) << refusal_;
    Ended out;
    generate(*provider, out);
    EXPECT_FALSE(out.error_code.has_value()) << out.error_message;
    EXPECT_EQ(out.text, "Hello over TLS.");
    EXPECT_EQ(out.finish_reason, "stop");
    ASSERT_EQ(server.received().size(), 1u);
    EXPECT_EQ(server.received()[0].authorization, std::string("Bearer ") + kKey);
}

TEST_F(OpenAiTls, WithoutCaFileThePrivateCaIsNotTrusted) {
    OpenAiTestServer server(kKey, certificates_->server("localhost"));
    const Provider* provider = load(server.base_url());
    ASSERT_NE(provider, nullptr) << refusal_;
    Ended out;
    generate(*provider, out);
    EXPECT_EQ(out.error_code, VOX_ERR_UNAVAILABLE);
    EXPECT_NE(out.error_message.find("cannot reach " + server.base_url() +
                                     ": certificate verify failed for 127.0.0.1: unable to get local issuer "
                                     "certificate (if the server's CA is your own, set ca_file)"),
              std::string::npos)
        << out.error_message;
    EXPECT_EQ(out.error_message.find(kKey), std::string::npos);
    EXPECT_TRUE(server.received().empty()) << "no request may reach an untrusted server";
}

TEST_F(OpenAiTls, ACertificateForAnotherNameIsRefused) {
    OpenAiTestServer server(kKey, certificates_->server("other"));
    for (std::string host : {"127.0.0.1", "localhost"}) {
        std::string url = server.base_url();
        url.replace(url.find("127.0.0.1"), 9, host);
        const Provider* provider = load(url, trusting_the_ca());
        ASSERT_NE(provider, nullptr) << refusal_;
        Ended out;
        generate(*provider, out);
        EXPECT_EQ(out.error_code, VOX_ERR_UNAVAILABLE);
        EXPECT_NE(out.error_message.find("certificate verify failed: the certificate of " + host +
                                         " is for other names (other.example), not " + host),
                  std::string::npos)
            << out.error_message;
    }
    EXPECT_TRUE(server.received().empty());
    EXPECT_EQ(server.model_requests(), 0u);
}

TEST_F(OpenAiTls, AnUnusableCaFileRefusesThePlugin) {
    EXPECT_EQ(load("https://127.0.0.1:1/v1", {{"ca_file", "/nonexistent/ca.pem"}}), nullptr);
    EXPECT_NE(refusal_.find("llm.openai: ca_file '/nonexistent/ca.pem' is not a readable file"), std::string::npos)
        << refusal_;
    std::string bogus = certificates_->path("bogus.pem");
    std::ofstream(bogus) << "not a certificate\n";
    EXPECT_EQ(load("https://127.0.0.1:1/v1", {{"ca_file", bogus}}), nullptr);
    EXPECT_NE(refusal_.find("llm.openai: ca_file '" + bogus + "' holds no usable PEM certificate"), std::string::npos)
        << refusal_;
}

}  // namespace
}  // namespace vox::test
