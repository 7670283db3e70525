// One client WebSocket to a cloud service: the handshake (with the key in the
// service's header), text and binary frames out, frames in. Sending and
// receiving may run on two threads at once (one each): the socket itself is
// used by one at a time (OpenSSL forbids concurrent use of a TLS connection),
// the receiver waiting for data without the lock. interrupt() wakes a blocked
// receive from any thread.
#pragma once

#include <vox/sdk/error.hpp>

#include <Poco/Buffer.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace Poco::Net {
class HTTPClientSession;
class HTTPResponse;
class WebSocket;
}  // namespace Poco::Net

namespace vox::plugin_common {

// A failed connect. `transient`: another attempt may succeed (network
// trouble, 5xx), as opposed to a refusal (401, 403, 4xx).
class ConnectError : public sdk::Error {
public:
    ConnectError(vox_status code, const std::string& message, bool transient)
        : sdk::Error(code, message), transient_(transient) {}
    bool transient() const noexcept { return transient_; }

private:
    bool transient_;
};

// What a handshake answered with neither 101 nor 200 means.
struct HandshakeRefusal {
    vox_status status = VOX_ERR_UNAVAILABLE;
    std::string message;  // the key is redacted from it
    bool transient = false;
};

struct WebSocketSettings {
    std::string url;      // ws:// or wss://
    std::string api_key;  // sent as `auth_header: auth_prefix + api_key` when not empty
    std::string auth_header = "Authorization";
    std::string auth_prefix = "Bearer ";
    std::chrono::milliseconds connect_timeout{10000};
    int max_payload_size = 1 << 20;
    std::string ca_file;  // PEM file of CAs trusted besides the system's, for wss ("" for none)
    // For messages: "connecting to <peer> timed out", "cannot connect to <peer>".
    std::string peer;
    std::string handshake_failed;  // prefix of a handshake that broke off: "<peer> handshake failed: "
    std::function<HandshakeRefusal(const Poco::Net::HTTPResponse& response)> refused;
};

class WebSocketConnection {
public:
    // Opens the socket; throws ConnectError (a refused certificate: VOX_ERR_UNAVAILABLE,
    // not transient). The key goes only into the header.
    explicit WebSocketConnection(const WebSocketSettings& settings);
    ~WebSocketConnection();
    WebSocketConnection(const WebSocketConnection&) = delete;
    WebSocketConnection& operator=(const WebSocketConnection&) = delete;

    void send_text(std::string_view text);
    void send_binary(const void* data, std::size_t size);
    void send_close();  // a close frame, code 1000 (best effort)

    enum class Kind { text, close, ended, timeout };
    struct Frame {
        Kind kind = Kind::ended;
        std::string payload;
    };
    // Waits up to `timeout` for a text or close frame (pings and binary frames
    // are skipped). `ended`: the peer went away without a close frame, or
    // interrupt() was called.
    Frame receive(std::chrono::milliseconds timeout);

    // Shuts the socket down (not close: the receiving thread still holds it).
    void interrupt() noexcept;

private:
    std::unique_ptr<Poco::Net::HTTPClientSession> http_;
    std::unique_ptr<Poco::Net::WebSocket> socket_;
    std::mutex io_mutex_;  // one socket operation at a time
    Poco::Buffer<char> buffer_{0};
};

}  // namespace vox::plugin_common
