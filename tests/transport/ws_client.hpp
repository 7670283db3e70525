// A media-socket client for the transport tests: Poco's WebSocket, with a
// thread that records every message received (and when), and helpers for the
// handshake's HTTP status and for raw, hand-made frames.
#pragma once

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>

#include <nlohmann/json.hpp>

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vox::test {

struct Received {
    bool binary = false;
    std::string data;
    std::chrono::steady_clock::time_point at;
    nlohmann::json json() const { return nlohmann::json::parse(data, nullptr, false); }
};

class WsClient {
public:
    using Clock = std::chrono::steady_clock;

    WsClient(std::uint16_t port, const std::string& path)
        : session_("127.0.0.1", port),
          request_(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1) {
        ws_ = std::make_unique<Poco::Net::WebSocket>(session_, request_, response_);
        ws_->setReceiveTimeout(Poco::Timespan(0, 50'000));
        reader_ = std::thread([this] { read_loop(); });
    }
    WsClient(std::uint16_t port, const std::string& call_id, const std::string& token)
        : WsClient(port, "/calls/" + call_id + "?access_token=" + token) {}
    ~WsClient() { abort(); }

    // The HTTP status of a connection attempt to `path`: 101 when upgraded.
    static int status_of(std::uint16_t port, const std::string& path) {
        Poco::Net::HTTPClientSession session("127.0.0.1", port);
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::HTTPResponse response;
        try {
            Poco::Net::WebSocket ws(session, request, response);
            ws.shutdown();
            return 101;
        } catch (const Poco::Exception&) {
            return static_cast<int>(response.getStatus());
        }
    }

    void send_audio(const std::vector<std::int16_t>& samples) {
        send_binary(std::string(reinterpret_cast<const char*>(samples.data()), samples.size() * 2));
    }
    void send_binary(const std::string& bytes) {
        std::lock_guard lock(send_mutex_);
        ws_->sendFrame(bytes.data(), static_cast<int>(bytes.size()), Poco::Net::WebSocket::FRAME_BINARY);
    }
    void send_text(const std::string& text) {
        std::lock_guard lock(send_mutex_);
        ws_->sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
    }
    void send_json(const nlohmann::json& message) { send_text(message.dump()); }
    // A proper close (frame 1000), then waits for the reader to see the server's answer.
    void close() {
        {
            std::lock_guard lock(send_mutex_);
            try {
                ws_->shutdown();
            } catch (const Poco::Exception&) {
            }
        }
        wait_closed(std::chrono::seconds(3));
    }
    // Drops the TCP connection without a close frame.
    void abort() {
        if (!reader_.joinable()) return;
        stop_ = true;
        ::shutdown(ws_->impl()->sockfd(), SHUT_RDWR);
        reader_.join();
        try {
            ws_->close();
        } catch (const Poco::Exception&) {
        }
    }

    std::vector<Received> messages() {
        std::lock_guard lock(mutex_);
        return received_;
    }
    bool wait(const std::function<bool(const std::vector<Received>&)>& pred,
              std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return pred(received_); });
    }
    // Waits for a text message of `type`; returns it (or null on timeout).
    nlohmann::json wait_event(const std::string& type, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        nlohmann::json found;
        wait(
            [&](const std::vector<Received>& all) {
                for (const auto& message : all) {
                    if (message.binary) continue;
                    auto json = message.json();
                    if (json.is_object() && json.value("type", "") == type) {
                        found = json;
                        return true;
                    }
                }
                return false;
            },
            timeout);
        return found;
    }
    std::size_t binary_bytes() {
        std::lock_guard lock(mutex_);
        std::size_t total = 0;
        for (const auto& message : received_)
            if (message.binary) total += message.data.size();
        return total;
    }
    bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return closed_; });
    }
    std::optional<int> close_code() {
        std::lock_guard lock(mutex_);
        return close_code_;
    }

private:
    void read_loop() {
        Poco::Buffer<char> buffer(0);
        while (!stop_) {
            int flags = 0;
            int n = 0;
            buffer.resize(0);
            try {
                n = ws_->receiveFrame(buffer, flags);
            } catch (const Poco::TimeoutException&) {
                continue;
            } catch (const Poco::Exception&) {
                break;
            }
            const int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
            if (n == 0 && flags == 0) break;  // the peer closed the connection
            if (opcode == Poco::Net::WebSocket::FRAME_OP_CLOSE) {
                {
                    std::lock_guard lock(mutex_);
                    close_code_ = buffer.size() >= 2 ? (static_cast<unsigned char>(buffer[0]) << 8) |
                                                           static_cast<unsigned char>(buffer[1])
                                                     : 1005;
                }
                try {  // answer it, as browsers do
                    std::lock_guard lock(send_mutex_);
                    ws_->shutdown();
                } catch (const Poco::Exception&) {
                }
                break;
            }
            if (opcode == Poco::Net::WebSocket::FRAME_OP_BINARY || opcode == Poco::Net::WebSocket::FRAME_OP_TEXT) {
                std::lock_guard lock(mutex_);
                received_.push_back({opcode == Poco::Net::WebSocket::FRAME_OP_BINARY,
                                     std::string(buffer.begin(), buffer.size()), Clock::now()});
            }
            changed_.notify_all();
        }
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        changed_.notify_all();
    }

    Poco::Net::HTTPClientSession session_;
    Poco::Net::HTTPRequest request_;
    Poco::Net::HTTPResponse response_;
    std::unique_ptr<Poco::Net::WebSocket> ws_;
    std::mutex send_mutex_;
    std::thread reader_;
    std::atomic<bool> stop_{false};

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Received> received_;
    bool closed_ = false;
    std::optional<int> close_code_;
};

}  // namespace vox::test
