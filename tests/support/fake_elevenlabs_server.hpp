// A local stand-in for ElevenLabs' text-to-speech API, written from its
// published documentation: the WebSocket stream-input endpoint (xi-api-key
// header, an opening {"text": " ", "voice_settings"} message, text chunks,
// {"text": ""} as the end of input; answers {"audio": base64 PCM,
// "alignment": {chars, charStartTimesMs, charsDurationsMs}} per chunk, then
// {"isFinal": true}), POST .../stream (raw PCM) and GET /v1/voices.
//
// The audio is synthetic: 10 ms (160 samples at 16 kHz) per character, the
// samples numbered across one connection or request (sample(i)).
// Scripted failures: a handshake status, an HTTP status (with ElevenLabs'
// detail body), a connection dropped after the first audio, an error
// message or a close frame with a reason after the opening message.
#pragma once

#include "test_tls.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vox::test {

class FakeElevenLabsServer {
public:
    struct Script {
        int ws_status = 0;        // != 0: refuse every WebSocket handshake with this status
        int http_status = 0;      // != 0: answer the stream endpoint with this status...
        std::string http_detail;  // ...and {"detail": {"status": this}}
        bool drop_after_first_audio = false;
        std::string error_after_opening;  // != "": answer the opening with {"error": this, "message", "code": 1008}
        std::string close_after_opening;  // != "": close with 1008 and this reason after the opening
    };

    // What the server saw.
    struct Record {
        int handshakes = 0;
        int http_requests = 0;
        int voices_requests = 0;
        std::vector<std::string> texts;        // text chunks (WebSocket) or sentences (HTTP), in order
        std::vector<nlohmann::json> openings;  // the first message of each socket
        std::vector<std::string> paths;        // handshake / request paths with their query
        std::vector<bool> flushes;             // per WebSocket text chunk: "flush": true
        int end_of_input = 0;
        int connections_ended = 0;         // WebSocket handlers done
        bool key_seen_in_message = false;  // the key must travel in the header only
    };

    // With `tls` enabled it serves https:// instead.
    explicit FakeElevenLabsServer(std::string api_key = "xi-test-key-8c7b6a5f4e3d", ServerTls tls = {});
    ~FakeElevenLabsServer();
    FakeElevenLabsServer(const FakeElevenLabsServer&) = delete;
    FakeElevenLabsServer& operator=(const FakeElevenLabsServer&) = delete;

    std::string base_url() const;  // "http://127.0.0.1:<port>"
    const std::string& api_key() const { return api_key_; }
    void set_script(Script script);
    Record record() const;
    bool wait_for(const std::function<bool(const Record&)>& done,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    static std::int16_t sample(std::size_t index) {
        return static_cast<std::int16_t>(static_cast<int>((index * 131) % 30000) - 15000);
    }
    static constexpr std::size_t kSamplesPerChar = 160;

    struct Impl;

private:
    std::string api_key_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vox::test
