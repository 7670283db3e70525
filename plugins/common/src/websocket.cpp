#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/tls.hpp>
#include <vox/plugin_common/websocket.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/URI.h>
#include <sys/socket.h>

namespace vox::plugin_common {
namespace {

constexpr std::chrono::milliseconds kFrameReadTimeout{200};

Poco::Timespan span(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

}  // namespace

WebSocketConnection::WebSocketConnection(const WebSocketSettings& settings) {
    const std::string& api_key = settings.api_key;
    Poco::Net::HTTPResponse response;
    try {
        Poco::URI uri(settings.url);
        if (uri.getScheme() == "wss")
            http_ = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                    tls_context(uri.getHost(), settings.ca_file));
        else
            http_ = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        http_->setTimeout(span(settings.connect_timeout));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        if (!api_key.empty()) request.set(settings.auth_header, settings.auth_prefix + api_key);
        begin_tls_handshake();
        socket_ = std::make_unique<Poco::Net::WebSocket>(*http_, request, response);
        socket_->setSendTimeout(span(settings.connect_timeout));
        // Reads start only when data is there; a frame's rest follows at once.
        socket_->setReceiveTimeout(span(kFrameReadTimeout));
        socket_->setMaxPayloadSize(settings.max_payload_size);
    } catch (const Poco::Net::WebSocketException& e) {
        auto status = static_cast<int>(response.getStatus());
        if (status != Poco::Net::HTTPResponse::HTTP_OK && status != Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS) {
            HandshakeRefusal refusal = settings.refused(response);
            throw ConnectError(refusal.status, redact(refusal.message, api_key), refusal.transient);
        }
        throw ConnectError(VOX_ERR_UNAVAILABLE, redact(settings.handshake_failed + e.displayText(), api_key), true);
    } catch (const Poco::TimeoutException& e) {
        throw ConnectError(VOX_ERR_TIMEOUT,
                           redact("connecting to " + settings.peer + " timed out: " + e.displayText(), api_key), true);
    } catch (const sdk::Error& e) {
        throw ConnectError(e.code(), e.what(), false);  // an unusable ca_file
    } catch (const Poco::Exception& e) {
        // A refused certificate is no network trouble: another attempt would meet it again.
        if (auto refused = certificate_failure(Poco::URI(settings.url).getHost()); !refused.empty())
            throw ConnectError(VOX_ERR_UNAVAILABLE,
                               redact("cannot connect to " + settings.peer + ": " + refused, api_key), false);
        throw ConnectError(VOX_ERR_UNAVAILABLE,
                           redact("cannot connect to " + settings.peer + ": " + e.displayText(), api_key), true);
    } catch (const std::exception& e) {
        throw ConnectError(VOX_ERR_UNAVAILABLE,
                           redact("cannot connect to " + settings.peer + ": " + std::string(e.what()), api_key), true);
    }
}

WebSocketConnection::~WebSocketConnection() = default;

void WebSocketConnection::send_text(std::string_view text) {
    std::lock_guard lock(io_mutex_);
    socket_->sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
}

void WebSocketConnection::send_binary(const void* data, std::size_t size) {
    std::lock_guard lock(io_mutex_);
    socket_->sendFrame(data, static_cast<int>(size), Poco::Net::WebSocket::FRAME_BINARY);
}

void WebSocketConnection::send_close() {
    try {
        std::lock_guard lock(io_mutex_);
        socket_->shutdown(Poco::Net::WebSocket::WS_NORMAL_CLOSE);
    } catch (...) {  // the peer may be gone already
    }
}

WebSocketConnection::Frame WebSocketConnection::receive(std::chrono::milliseconds timeout) {
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

void WebSocketConnection::interrupt() noexcept {
    try {
        auto fd = socket_->impl()->sockfd();
        if (fd != POCO_INVALID_SOCKET) ::shutdown(fd, SHUT_RDWR);
    } catch (...) {}
}

}  // namespace vox::plugin_common
