// One WebSocket to the user's LLM server: the handshake (with the key in the
// Authorization header), text frames out, frames in. Sending (from any
// thread) and receiving (one thread) may run at once: the socket itself is
// used by one at a time (OpenSSL forbids concurrent use of a TLS connection),
// the receiver waiting for data without the lock. interrupt() wakes a blocked
// receive from any thread.
#pragma once

#include <vox/sdk/error.hpp>

#include <Poco/Buffer.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace Poco::Net {
class HTTPClientSession;
class WebSocket;
}  // namespace Poco::Net

namespace vox::custom_llm {

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

class Connection {
public:
    // Opens the socket; throws ConnectError. The key goes only into the header.
    Connection(const std::string& url, const std::string& api_key, std::chrono::milliseconds connect_timeout);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void send_text(std::string_view text);
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

}  // namespace vox::custom_llm
