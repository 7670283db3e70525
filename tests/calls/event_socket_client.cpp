#include "event_socket_client.hpp"

#include <Poco/Buffer.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>

namespace vox::calltest {

EventSocket::EventSocket(std::unique_ptr<Poco::Net::HTTPClientSession> session,
                         std::unique_ptr<Poco::Net::WebSocket> socket)
    : session_(std::move(session)), socket_(std::move(socket)) {}

std::unique_ptr<EventSocket> EventSocket::open(std::uint16_t port, const std::string& target,
                                               const std::map<std::string, std::string>& headers,
                                               std::string* failure) {
    auto session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port);
    session->setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.set(name, value);
    Poco::Net::HTTPResponse response;
    try {
        auto socket = std::make_unique<Poco::Net::WebSocket>(*session, request, response);
        return std::unique_ptr<EventSocket>(new EventSocket(std::move(session), std::move(socket)));
    } catch (const Poco::Exception& error) {
        if (failure != nullptr)
            *failure = std::to_string(static_cast<int>(response.getStatus())) + " " + response.getReason() + " (" +
                       error.displayText() + ")";
        return nullptr;
    }
}

std::optional<nlohmann::json> EventSocket::next(std::chrono::milliseconds timeout) {
    if (closed_) return std::nullopt;
    timed_out_ = false;
    socket_->setReceiveTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000));
    while (true) {
        Poco::Buffer<char> buffer(0);
        int flags = 0;
        int received = 0;
        try {
            received = socket_->receiveFrame(buffer, flags);
        } catch (const Poco::TimeoutException&) {
            timed_out_ = true;
            return std::nullopt;
        } catch (const Poco::Exception&) {
            closed_ = true;
            return std::nullopt;
        }
        int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
        if (received == 0 && flags == 0) {
            closed_ = true;
            return std::nullopt;
        }
        if (opcode == Poco::Net::WebSocket::FRAME_OP_CLOSE) {
            closed_ = true;
            if (buffer.size() >= 2)
                close_code_ = static_cast<std::uint16_t>((static_cast<unsigned char>(buffer[0]) << 8) |
                                                         static_cast<unsigned char>(buffer[1]));
            try {
                socket_->shutdown(Poco::Net::WebSocket::WS_NORMAL_CLOSE);
            } catch (const Poco::Exception&) {
            }
            return std::nullopt;
        }
        if (opcode == Poco::Net::WebSocket::FRAME_OP_TEXT)
            return nlohmann::json::parse(std::string(buffer.begin(), buffer.size()), nullptr, false);
    }
}

std::vector<nlohmann::json> EventSocket::until_closed(std::chrono::milliseconds timeout) {
    std::vector<nlohmann::json> messages;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        auto message = next(left);
        if (message) messages.push_back(*message);
        if (timed_out_) break;
    }
    return messages;
}

void EventSocket::abandon() {
    try {
        socket_->close();
    } catch (const Poco::Exception&) {
    }
    closed_ = true;
}

void EventSocket::send_text(const std::string& text) {
    socket_->sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
}

}  // namespace vox::calltest
