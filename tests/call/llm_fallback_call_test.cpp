// A fallback LLM in a live call: llm.openai's server fails, and the turn is
// answered by the agent's next LLM, an in-test provider that always says the
// same; the switch is an event and goes on the call's result.
#include "call_test_support.hpp"

#include <vox/sdk/llm.hpp>
#include <vox/sdk/plugin.hpp>

#include <mutex>
#include <thread>
#include <vector>

namespace vox::test {
namespace {

using json = nlohmann::json;

constexpr const char* kBackupAnswer = "This is the backup line speaking.";

// Answers every request with kBackupAnswer, from a thread of its own (as a network provider would).
class CannedLlm : public sdk::LlmProvider {
public:
    ~CannedLlm() override {
        std::lock_guard lock(mutex_);
        for (auto& thread : threads_) thread.join();
    }
    void start(std::string_view, sdk::LlmSink sink) override {
        std::lock_guard lock(mutex_);
        ++requests_;
        threads_.emplace_back([sink] {
            sink.token(kBackupAnswer);
            sink.done("stop");
        });
    }
    void cancel(std::uint64_t) noexcept override {}
    std::string list_models() override { return R"(["canned"])"; }
    int requests() {
        std::lock_guard lock(mutex_);
        return requests_;
    }

private:
    std::mutex mutex_;
    std::vector<std::thread> threads_;
    int requests_ = 0;
};

struct CannedPlugin : sdk::Plugin {
    CannedPlugin(sdk::Host host, std::string_view) : Plugin(host) {}
    CannedLlm llm;
};

const vox_plugin_descriptor* canned_descriptor() {
    static const vox_provider llm = sdk::llm_provider<&CannedPlugin::llm>({"canned", "a canned answer", "{}"});
    static const vox_provider* const providers[] = {&llm};
    static const vox_plugin_descriptor descriptor =
        sdk::plugin_descriptor<CannedPlugin>({"canned", "1.0.0", "test LLM"}, providers);
    return &descriptor;
}

class LlmFallbackCallTest : public LiveCallTest {};

TEST_F(LlmFallbackCallTest, AFailingLlmIsReplacedByTheFallbackWithinTheSameTurn) {
    ASSERT_TRUE(local_.add(&canned_descriptor, "test:canned"));
    local_.llm_server().set_script({.status = 500, .error_message = "the model is overloaded"});
    call::CallSetup setup;
    setup.agent = {{"id", "agent_fallback"}, {"model", "gpt-test"}, {"settings", {{"endpointing_ms", 300}}}};
    setup.providers = local_.providers();
    setup.providers.llm_fallbacks = {local_.registry().find("llm.canned")};
    open(std::move(setup));
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    ASSERT_TRUE(caller_->silence_until([&] { return agent_said().find(kBackupAnswer) != std::string::npos; }, 20s))
        << agent_said();
    auto change = events_->wait_type("provider_fallback");
    ASSERT_TRUE(change);
    EXPECT_EQ((*change)["stage"], "llm");
    EXPECT_EQ((*change)["from"], "llm.openai");
    EXPECT_EQ((*change)["to"], "llm.canned");
    EXPECT_NE((*change)["reason"].get<std::string>().find("overloaded"), std::string::npos) << change->dump();
    // The primary was asked once (no retry on it), and no fatal error ended the call.
    EXPECT_EQ(local_.llm_server().received().size(), 1U);
    EXPECT_FALSE(events_->wait_for([](const json& e) { return e["type"] == "error" && e.value("fatal", false); },
                                   std::chrono::milliseconds(1)));
    session_->end("api_hangup");
    auto result = events_->wait_end(10s);
    ASSERT_TRUE(result);
    ASSERT_EQ(result->provider_switches.size(), 1U);
    EXPECT_EQ(result->provider_switches[0]["to"], "llm.canned");
    EXPECT_EQ(result->disconnection_reason, "api_hangup");
}

TEST_F(LlmFallbackCallTest, WithoutAFallbackAFailingLlmIsRetriedOnceThenEndsTheCall) {
    local_.llm_server().set_script({.status = 500, .error_message = "the model is overloaded"});
    call::CallSetup setup;
    setup.agent = {{"id", "agent_nofallback"}, {"model", "gpt-test"}, {"settings", {{"endpointing_ms", 300}}}};
    open(std::move(setup));
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    ASSERT_TRUE(caller_->silence_until([&] { return events_->ends() > 0; }, 20s));
    auto result = events_->wait_end(1s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "error_llm");
    EXPECT_TRUE(result->provider_switches.empty());
    EXPECT_EQ(local_.llm_server().received().size(), 2U);
}

}  // namespace
}  // namespace vox::test
