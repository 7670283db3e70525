#include "connection.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/URI.h>
#include <sys/socket.h>

namespace vox::custom_llm {
namespace {

constexpr std::chrono::milliseconds kFrameReadTimeout{200};

Poco::Timespan span(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

// The key must never reach a log or an error message.
std::string redact(std::string text, const std::string& key) {
    if (key.empty()) return text;
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at))
        text.replace(at, key.size(), "[redacted]");
    return text;
}

Poco::Net::Context::Ptr tls_context() {
    static Poco::Net::Context::Ptr context = [] {
        Poco::Net::initializeSSL();
        Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                                             Poco::Net::Context::VERIFY_RELAXED, 9, true);
        // Without a handler Poco would look for one in an application's
        // configuration; a certificate that fails verification is refused.
        Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject = new Poco::Net::RejectCertificateHandler(false);
        Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, ctx);
        return ctx;
    }();
    return context;
}

vox_status status_for_http(int status) {
    if (status == 401 || status == 403) return VOX_ERR_AUTH;
    if (status == 429) return VOX_ERR_RATE_LIMITED;
    if (status == 404) return VOX_ERR_NOT_FOUND;
    if (status == 408 || status == 504) return VOX_ERR_TIMEOUT;
    if (status >= 400 && status < 500) return VOX_ERR_INVALID_ARGUMENT;
    return VOX_ERR_UNAVAILABLE;
}

}  // namespace

Connection::Connection(const std::string& url, const std::string& api_key, std::chrono::milliseconds connect_timeout) {
    Poco::Net::HTTPResponse response;
    try {
        Poco::URI uri(url);
        if (uri.getScheme() == "wss")
            http_ = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls_context());
        else
            http_ = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        http_->setTimeout(span(connect_timeout));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        if (!api_key.empty()) request.set("Authorization", "Bearer " + api_key);
        socket_ = std::make_unique<Poco::Net::WebSocket>(*http_, request, response);
        socket_->setSendTimeout(span(connect_timeout));
        // Reads start only when data is there; a frame's rest follows at once.
        socket_->setReceiveTimeout(span(kFrameReadTimeout));
        socket_->setMaxPayloadSize(1 << 24);  // a long tool-call argument fits
    } catch (const Poco::Net::WebSocketException& e) {
        auto status = static_cast<int>(response.getStatus());
        if (status != Poco::Net::HTTPResponse::HTTP_OK && status != Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS) {
            std::string message = "the LLM server refused the WebSocket handshake: HTTP " + std::to_string(status) +
                                  " " + response.getReason();
            throw ConnectError(status_for_http(status), redact(message, api_key), status >= 500 || status == 429);
        }
        throw ConnectError(VOX_ERR_UNAVAILABLE,
                           redact("WebSocket handshake with the LLM server failed: " + e.displayText(), api_key), true);
    } catch (const Poco::TimeoutException& e) {
        throw ConnectError(VOX_ERR_TIMEOUT,
                           redact("connecting to the LLM server timed out: " + e.displayText(), api_key), true);
    } catch (const Poco::Exception& e) {
        throw ConnectError(VOX_ERR_UNAVAILABLE, redact("cannot connect to the LLM server: " + e.displayText(), api_key),
                           true);
    } catch (const std::exception& e) {
        throw ConnectError(VOX_ERR_UNAVAILABLE,
                           redact(std::string("cannot connect to the LLM server: ") + e.what(), api_key), true);
    }
}

Connection::~Connection() = default;

void Connection::send_text(std::string_view text) {
    std::lock_guard lock(io_mutex_);
    socket_->sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
}

void Connection::send_close() {
    try {
        std::lock_guard lock(io_mutex_);
        socket_->shutdown(Poco::Net::WebSocket::WS_NORMAL_CLOSE);
    } catch (...) {  // the peer may be gone already
    }
}

Connection::Frame Connection::receive(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    bool readable = false;
    for (;;) {
        {
            // A TLS connection must not read and write at once (one OpenSSL
            // object): read under the lock, but only once data is there.
            std::lock_guard lock(io_mutex_);
            if (readable || socket_->available() > 0) {
                int flags = 0;
                int size = 0;
                try {
                    buffer_.resize(0);
                    size = socket_->receiveFrame(buffer_, flags);
                } catch (const Poco::TimeoutException&) {
                    // Bytes that were no frame (a TLS session ticket): poll again.
                    readable = false;
                    continue;
                } catch (const Poco::Exception&) {
                    return {Kind::ended, {}};
                }
                readable = false;
                int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
                std::string payload(buffer_.begin(), static_cast<std::size_t>(size));
                if (opcode == Poco::Net::WebSocket::FRAME_OP_CLOSE) return {Kind::close, std::move(payload)};
                if (size == 0 && flags == 0) return {Kind::ended, {}};  // end of stream
                if (opcode == Poco::Net::WebSocket::FRAME_OP_TEXT) return {Kind::text, std::move(payload)};
                continue;  // pings, pongs, binary: not for us
            }
        }
        auto remaining =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (remaining.count() <= 0) return {Kind::timeout, {}};
        try {
            // Waiting needs no lock: poll looks at the descriptor only.
            readable = socket_->poll(span(remaining), Poco::Net::Socket::SELECT_READ | Poco::Net::Socket::SELECT_ERROR);
        } catch (const Poco::Exception&) {
            return {Kind::ended, {}};
        }
        if (!readable) return {Kind::timeout, {}};
    }
}

void Connection::interrupt() noexcept {
    try {
        auto fd = socket_->impl()->sockfd();
        if (fd != POCO_INVALID_SOCKET) ::shutdown(fd, SHUT_RDWR);
    } catch (...) {}
}

}  // namespace vox::custom_llm
