// A local stand-in for a user's LLM server speaking llm.custom_websocket's
// protocol (plugins/llm_custom_websocket/README.md) on 127.0.0.1: it checks
// the Bearer key at the handshake, records every frame it receives, answers
// ping_pong, and answers response_required according to the last user
// message: "tool" → a tool call; "error" → an error message; "silent" → no
// answer; "drop" → the first piece, then the TCP connection dropped (no close
// frame); anything else → the scripted pieces, then content_complete. A
// cancel stops the stream of that response_id.
#pragma once

#include "test_tls.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace vox::test {

class FakeLlmServer {
public:
    // Handshake fields are read at each handshake, the rest at each
    // response_required.
    struct Script {
        std::vector<std::string> pieces{"Hello", " there", "!"};
        std::chrono::milliseconds piece_delay{0};  // before each piece
        int handshake_status = 0;                  // != 0: refuse handshakes with this HTTP status...
        int handshake_failures = -1;               // ...this many times (-1: always)
    };

    // What one WebSocket connection received.
    struct Connection {
        std::string authorization;
        std::vector<nlohmann::json> received;  // every text frame, in order
        bool ended = false;
        int count(const std::string& interaction_type) const;
        std::vector<nlohmann::json> of(const std::string& interaction_type) const;
    };

    // With `tls` enabled it serves wss:// instead.
    explicit FakeLlmServer(std::string api_key = "cw-test-key-9a8b7c6d", ServerTls tls = {});
    ~FakeLlmServer();
    FakeLlmServer(const FakeLlmServer&) = delete;
    FakeLlmServer& operator=(const FakeLlmServer&) = delete;

    std::string url() const;  // "ws://127.0.0.1:<port>/llm"
    const std::string& api_key() const { return api_key_; }

    void set_script(Script script);
    int handshakes() const;  // every upgrade request, refused or not
    std::vector<Connection> connections() const;
    bool wait_for(const std::function<bool(const std::vector<Connection>&)>& done,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    struct Impl;

private:
    std::string api_key_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vox::test
