// A local stand-in for Deepgram's live streaming endpoint (/v1/listen over a
// WebSocket), written from Deepgram's published API: it checks the query
// parameters and the "Authorization: Token <key>" header of the handshake,
// counts the binary audio it receives, answers with interim and final
// "Results" messages shaped like Deepgram's, and handles the Finalize,
// KeepAlive and CloseStream text messages. It cannot recognise speech: the
// words of each utterance are scripted and revealed one per interim result.
//
// Scripted failures: an HTTP status at the handshake, a connection dropped
// (no close frame) or closed with a code and reason after some audio, silence.
#pragma once

#include "test_tls.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vox::test {

class FakeDeepgramServer {
public:
    struct Script {
        // The words of utterance 0, 1, ...: each final moves to the next.
        std::vector<std::vector<std::string>> utterances{{"Book", "a", "table", "for", "two."}};
        int interim_every_ms = 100;          // one interim Results per this much audio
        int handshake_status = 0;            // != 0: refuse handshakes with this HTTP status...
        int handshake_failures = -1;         // ...this many times (-1: always)
        std::size_t drop_after_bytes = 0;    // > 0: drop the TCP connection after this much audio...
        bool drop_every_connection = false;  // ...on every connection, not only the first
        std::size_t close_after_bytes = 0;   // > 0: first connection: a close frame after this much audio
        int close_code = 1011;
        std::string close_reason = "NET-0001";
        bool silent = false;                          // accept, read, never answer
        std::chrono::milliseconds finalize_delay{0};  // before answering a Finalize
    };

    // What one WebSocket connection received.
    struct Connection {
        std::map<std::string, std::string> query;
        std::string authorization;
        std::size_t audio_bytes = 0;
        int keepalives = 0;
        int finalizes = 0;
        int close_streams = 0;
        bool ended = false;            // the handler is done with it
        bool closed_normally = false;  // after CloseStream: Metadata sent and closed with 1000
    };

    // With `tls` enabled it serves wss:// instead.
    explicit FakeDeepgramServer(std::string api_key = "dg-test-key-5f1e2d3c4b5a", ServerTls tls = {});
    ~FakeDeepgramServer();
    FakeDeepgramServer(const FakeDeepgramServer&) = delete;
    FakeDeepgramServer& operator=(const FakeDeepgramServer&) = delete;

    std::string base_url() const;  // "ws://127.0.0.1:<port>/v1/listen"
    const std::string& api_key() const { return api_key_; }

    void set_script(Script script);
    int handshakes() const;  // every upgrade request, refused or not
    std::vector<Connection> connections() const;
    // Waits until `done(connections)` holds; false after `timeout`.
    bool wait_for(const std::function<bool(const std::vector<Connection>&)>& done,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    struct Impl;

private:
    std::string api_key_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vox::test
