// Provider llm.openai: one thread per generation streams a Chat Completions
// request; cancel() shuts the socket down so the read returns at once.
// Threads are joined when their generation ends (reaped by later calls) and,
// at the latest, by the destructor (plugin deinit).
#pragma once

#include "config.hpp"

#include <vox/sdk/llm.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vox::openai {

class OpenAiLlm final : public sdk::LlmProvider {
public:
    explicit OpenAiLlm(Config config);
    ~OpenAiLlm() override;
    OpenAiLlm(const OpenAiLlm&) = delete;
    OpenAiLlm& operator=(const OpenAiLlm&) = delete;

    void start(std::string_view request_json, sdk::LlmSink sink) override;
    void cancel(std::uint64_t generation) noexcept override;
    std::string list_models() override;

    struct Generation;

private:
    void run(const std::shared_ptr<Generation>& generation);
    void reap();  // joins the threads of finished generations
    std::vector<std::string> fetch_models();

    Config config_;
    std::mutex mutex_;
    std::map<std::uint64_t, std::shared_ptr<Generation>> generations_;
    std::vector<std::shared_ptr<Generation>> finished_;
    bool stopping_ = false;

    std::mutex models_mutex_;
    std::vector<std::string> cached_models_;
    std::chrono::steady_clock::time_point models_fetched_{};
};

}  // namespace vox::openai
