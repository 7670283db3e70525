// A WebSocket client for the event socket tests: connects (Poco's client
// handshake), reads the server's JSON messages one by one, and reports the
// close frame's status code.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/WebSocket.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace vox::calltest {

class EventSocket {
public:
    // Opens ws://127.0.0.1:<port><target>. nullptr (with `failure` set to the
    // HTTP status and reason) when the server refuses the upgrade.
    static std::unique_ptr<EventSocket> open(std::uint16_t port, const std::string& target,
                                             const std::map<std::string, std::string>& headers = {},
                                             std::string* failure = nullptr);

    // The next text message as JSON; nullopt when the server closed (see
    // close_code()), the connection broke, or `timeout` passed (timed_out()).
    std::optional<nlohmann::json> next(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Reads messages until the server closes; returns them.
    std::vector<nlohmann::json> until_closed(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    bool closed() const { return closed_; }
    bool timed_out() const { return timed_out_; }
    std::optional<std::uint16_t> close_code() const { return close_code_; }
    // Drops the TCP connection without a close frame.
    void abandon();
    void send_text(const std::string& text);

private:
    EventSocket(std::unique_ptr<Poco::Net::HTTPClientSession> session, std::unique_ptr<Poco::Net::WebSocket> socket);
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::unique_ptr<Poco::Net::WebSocket> socket_;
    bool closed_ = false;
    bool timed_out_ = false;
    std::optional<std::uint16_t> close_code_;
};

}  // namespace vox::calltest
