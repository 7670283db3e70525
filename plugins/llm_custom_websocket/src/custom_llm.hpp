// Provider llm.custom_websocket: one persistent WebSocket to the user's LLM
// server per plugin instance, generations multiplexed by response_id (the
// host's generation id). One worker thread connects (lazily, when a
// generation waits), reads frames, enforces first-token deadlines and sends
// pings; start() and cancel() send their frames directly when connected.
// Each generation ends exactly once: its `ended` flag is taken under its own
// delivery lock, which every callback of it holds.
#pragma once

#include "config.hpp"

#include <vox/plugin_common/websocket.hpp>
#include <vox/sdk/host.hpp>
#include <vox/sdk/llm.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vox::custom_llm {

using Connection = plugin_common::WebSocketConnection;
using plugin_common::ConnectError;

class CustomLlm final : public sdk::LlmProvider {
public:
    CustomLlm(sdk::Host host, Config config);
    ~CustomLlm() override;
    CustomLlm(const CustomLlm&) = delete;
    CustomLlm& operator=(const CustomLlm&) = delete;

    void start(std::string_view request_json, sdk::LlmSink sink) override;
    void cancel(std::uint64_t generation) noexcept override;
    std::string list_models() override;

    struct Generation;
    using Clock = std::chrono::steady_clock;

private:
    void run();
    std::shared_ptr<Connection> connect_with_retries(vox_status& code, std::string& message);
    void handle(const std::string& text);
    void fail_sent(vox_status code, const std::string& message);  // generations on a lost connection
    void check_deadlines(const std::shared_ptr<Connection>& connection);
    // Ends `generation` once: removes it from generations_, then `deliver`s
    // under its delivery lock. False when it had ended already.
    template <class Deliver>
    bool end(const std::shared_ptr<Generation>& generation, Deliver&& deliver);
    std::shared_ptr<Generation> find(std::uint64_t id);
    void send(const std::shared_ptr<Connection>& connection, const std::string& text) noexcept;

    sdk::Host host_;
    Config config_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::uint64_t, std::shared_ptr<Generation>> generations_;  // started, not ended
    std::shared_ptr<Connection> connection_;                            // the open one, if any
    bool stopping_ = false;
    std::thread worker_;  // started by the first start()
};

}  // namespace vox::custom_llm
