// Shared by the transport tests: the fixture that loads and starts the real
// plugin, and small signal helpers.
#pragma once

#include "transport_host.hpp"
#include "ws_client.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace vox::test {

inline std::vector<std::int16_t> tone(std::uint32_t rate, double hz, double seconds, double amplitude = 8000) {
    std::vector<std::int16_t> samples(static_cast<std::size_t>(rate * seconds));
    for (std::size_t i = 0; i < samples.size(); ++i)
        samples[i] = static_cast<std::int16_t>(std::lround(amplitude * std::sin(2 * M_PI * hz * static_cast<double>(i) / rate)));
    return samples;
}

inline std::vector<std::int16_t> samples_of(const std::string& bytes) {
    std::vector<std::int16_t> samples(bytes.size() / 2);
    std::memcpy(samples.data(), bytes.data(), samples.size() * 2);
    return samples;
}

// Polls `pred` every 10 ms until it holds; false on timeout.
inline bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

class TransportTest : public ::testing::Test {
protected:
    void SetUp() override {
        host_ = std::make_unique<TransportHost>(VOX_TEST_TRANSPORT_PLUGIN);
        std::string message;
        ASSERT_EQ(host_->start({}, &message), VOX_OK) << message;
        port_ = host_->port();
    }
    void TearDown() override { host_.reset(); }

    // Dials `call_id` and connects a client to it; waits for on_call_started.
    std::unique_ptr<WsClient> connect(const std::string& call_id, std::uint32_t rate = 16000) {
        EXPECT_EQ(host_->dial(call_id, "token-" + call_id, rate), VOX_OK);
        auto client = std::make_unique<WsClient>(port_, call_id, "token-" + call_id);
        EXPECT_TRUE(host_->wait_started(call_id)) << call_id;
        return client;
    }
    vox_transport_call* handle(const std::string& call_id) { return host_->call(call_id).handle; }

    std::unique_ptr<TransportHost> host_;
    std::uint16_t port_ = 0;
};

}  // namespace vox::test
