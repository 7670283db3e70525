#include "api_client.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace vox::apitest {
namespace {

std::string lower(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

Poco::Timespan to_timespan(std::chrono::milliseconds duration) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(duration.count()) * 1000);
}

}  // namespace

std::string Reply::header(const std::string& lower_name) const {
    auto found = headers.find(lower_name);
    return found == headers.end() ? std::string() : found->second;
}

std::string Reply::media_type() const {
    std::string type = header("content-type");
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    return lower(type);
}

Json Reply::json() const {
    Json parsed = Json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
        ADD_FAILURE() << "the reply is not JSON: " << describe();
        return nullptr;
    }
    return parsed;
}

std::string Reply::describe() const {
    std::ostringstream text;
    if (status == 0) {
        text << "no answer (" << failure << ")";
        return text.str();
    }
    text << status << " " << header("content-type") << " " << body.substr(0, 600);
    if (body.size() > 600) text << "... (" << body.size() << " bytes)";
    return text.str();
}

Client::Client(std::uint16_t port, std::string api_key, ReplyObserver observer)
    : port_(port), api_key_(std::move(api_key)), observer_(std::move(observer)) {}

void Client::set_timeout(std::chrono::milliseconds timeout) {
    timeout_ = timeout;
    if (session_) session_->setTimeout(to_timespan(timeout_));
}

Reply Client::request(const std::string& method, const std::string& target, const std::optional<std::string>& body,
                      const Headers& headers) {
    return exchange(method, target, body, headers, false);
}

Reply Client::post_chunked(const std::string& target, const std::string& body) {
    return exchange("POST", target, body, {}, true);
}

Reply Client::exchange(const std::string& method, const std::string& target, const std::optional<std::string>& body,
                       const Headers& headers, bool chunked) {
    Reply reply;
    try {
        if (!session_) {
            session_ = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port_);
            session_->setKeepAlive(true);
            session_->setTimeout(to_timespan(timeout_));
        }
        if (!session_->connected()) ++connections_opened_;
        Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        if (!api_key_.empty()) request.set("Authorization", "Bearer " + api_key_);
        if (body) request.setContentType("application/json");
        for (const auto& [name, value] : headers) {
            if (value.empty())
                request.erase(name);
            else
                request.set(name, value);
        }
        if (chunked)
            request.setChunkedTransferEncoding(true);
        else if (body || method == "POST" || method == "PUT")
            request.setContentLength64(static_cast<Poco::Int64>(body ? body->size() : 0));
        std::ostream& out = session_->sendRequest(request);
        if (body) out.write(body->data(), static_cast<std::streamsize>(body->size()));
        Poco::Net::HTTPResponse response;
        std::istream& in = session_->receiveResponse(response);
        reply.status = static_cast<int>(response.getStatus());
        Poco::StreamCopier::copyToString(in, reply.body);
        for (const auto& [name, value] : response) reply.headers[lower(name)] = value;
        if (!response.getKeepAlive() || (body && reply.status >= 400 && !reuse_after_refused_body_)) session_.reset();
    } catch (const Poco::Exception& error) {
        reply = Reply{};
        reply.failure = error.displayText();
        session_.reset();
    } catch (const std::exception& error) {
        reply = Reply{};
        reply.failure = error.what();
        session_.reset();
    }
    if (observer_) observer_(method, target, reply);
    return reply;
}

Reply raw_exchange(std::uint16_t port, const std::string& bytes, const RawOptions& options) {
    Reply reply;
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        reply.failure = "socket() failed";
        return reply;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        reply.failure = std::string("connect() failed: ") + std::strerror(errno);
        ::close(fd);
        return reply;
    }

    auto deadline = std::chrono::steady_clock::now() + options.timeout;
    std::size_t sent = 0;
    bool writing = true;
    bool closed_by_server = false;
    std::string received;
    // Whether `received` holds one whole response (headers plus a body of Content-Length bytes).
    auto complete = [&]() -> bool {
        auto end = received.find("\r\n\r\n");
        if (end == std::string::npos) return false;
        std::string head = lower(received.substr(0, end));
        auto length_at = head.find("\r\ncontent-length:");
        if (length_at == std::string::npos) return false;  // read until close
        std::size_t length = std::strtoul(head.c_str() + length_at + 17, nullptr, 10);
        return received.size() >= end + 4 + length;
    };

    while (std::chrono::steady_clock::now() < deadline) {
        if (writing && sent == bytes.size()) {
            writing = false;
            if (options.shutdown_after_send) ::shutdown(fd, SHUT_WR);
        }
        pollfd poller{fd, static_cast<short>(POLLIN | (writing ? POLLOUT : 0)), 0};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        int ready = ::poll(&poller, 1, static_cast<int>(std::max<long long>(1, left.count())));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;
        if (poller.revents & (POLLIN | POLLHUP | POLLERR)) {
            char buffer[65536];
            ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
            if (got > 0) {
                received.append(buffer, static_cast<std::size_t>(got));
                writing = false;  // the server answered: it reads no more of this request
                if (!options.read_until_close && complete()) break;
                continue;
            }
            closed_by_server = true;
            break;
        }
        if (writing && (poller.revents & POLLOUT)) {
            ssize_t put = ::send(fd, bytes.data() + sent, std::min<std::size_t>(bytes.size() - sent, 65536), MSG_NOSIGNAL);
            if (put < 0) {
                if (errno == EAGAIN || errno == EINTR) continue;
                writing = false;  // reset or broken pipe: the server stopped reading; collect what it said
                continue;
            }
            sent += static_cast<std::size_t>(put);
        }
    }
    ::close(fd);

    reply.raw = received;
    auto end = received.find("\r\n\r\n");
    if (received.rfind("HTTP/1.", 0) != 0 || end == std::string::npos) {
        reply.failure = closed_by_server ? "the server closed the connection without an answer"
                                         : "no complete answer within the timeout";
        if (!received.empty()) reply.failure += " (got: " + received.substr(0, 200) + ")";
        return reply;
    }
    std::istringstream head(received.substr(0, end));
    std::string line;
    std::getline(head, line);
    reply.status = line.size() >= 12 ? std::atoi(line.substr(9, 3).c_str()) : 0;
    if (reply.status == 0) reply.failure = "an unreadable status line: " + line;
    while (std::getline(head, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        reply.headers[lower(line.substr(0, colon))] = value;
    }
    reply.body = received.substr(end + 4);
    if (reply.has_header("content-length"))
        reply.body.resize(std::min<std::size_t>(reply.body.size(),
                                                std::strtoul(reply.header("content-length").c_str(), nullptr, 10)));
    return reply;
}

std::string url_encode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace vox::apitest
