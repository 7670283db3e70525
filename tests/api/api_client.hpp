// HTTP clients for the API tests: a keep-alive JSON client that sends bodies
// (tests/host/http_client only sends empty ones) and checks every answer
// against the OpenAPI document, and a raw-socket client for requests no
// well-behaved client would send (bad lengths, chunked floods, broken bytes).
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vox::apitest {

using Json = nlohmann::json;
using Headers = std::map<std::string, std::string>;

struct Reply {
    int status = 0;  // 0: no answer (connection closed, timeout); see `failure`
    std::string body;
    Headers headers;      // names lower-cased
    std::string failure;  // why there was no answer
    std::string raw;      // raw_exchange only: every byte received

    std::string header(const std::string& lower_name) const;
    bool has_header(const std::string& lower_name) const { return headers.count(lower_name) > 0; }
    // The media type without parameters ("application/json").
    std::string media_type() const;
    // The body parsed; a test failure (and null) when it is not JSON.
    Json json() const;
    // One line for failure messages: status, content type and the start of the body.
    std::string describe() const;
};

// Called with every reply a Client receives (the OpenAPI conformance check).
using ReplyObserver = std::function<void(const std::string& method, const std::string& target, const Reply& reply)>;

// One keep-alive connection to voxd; reconnects when the server closes it.
class Client {
public:
    Client(std::uint16_t port, std::string api_key, ReplyObserver observer = {});

    // `body` is sent as is with Content-Type application/json unless `headers`
    // names another one; an "Authorization" entry replaces the key. A header
    // given with an empty value is not sent at all.
    Reply request(const std::string& method, const std::string& target, const std::optional<std::string>& body = {},
                  const Headers& headers = {});
    Reply get(const std::string& target, const Headers& headers = {}) { return request("GET", target, {}, headers); }
    Reply post(const std::string& target, const Json& body) { return request("POST", target, body.dump()); }
    Reply put(const std::string& target, const Json& body) { return request("PUT", target, body.dump()); }
    Reply del(const std::string& target) { return request("DELETE", target); }
    // Sends the body with Transfer-Encoding: chunked.
    Reply post_chunked(const std::string& target, const std::string& body);

    void set_api_key(std::string key) { api_key_ = std::move(key); }
    // By default the connection is dropped after an error answer to a request
    // with a body: voxd does not read the body of a request it refuses before
    // its handler runs (401, 403, 405, 415, 413) and would take the unread bytes
    // for the start of the next request on the connection (see
    // ErrorsTest.RefusedBodiesAreNotReadAsTheNextRequest, which turns this off).
    void set_reuse_after_refused_body(bool reuse) { reuse_after_refused_body_ = reuse; }
    void set_timeout(std::chrono::milliseconds timeout);
    std::uint16_t port() const { return port_; }
    // How many times a new TCP connection was opened (keep-alive checks).
    int connections_opened() const { return connections_opened_; }

private:
    Reply exchange(const std::string& method, const std::string& target, const std::optional<std::string>& body,
                   const Headers& headers, bool chunked);
    std::uint16_t port_;
    std::string api_key_;
    ReplyObserver observer_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::chrono::milliseconds timeout_{10'000};
    int connections_opened_ = 0;
    bool reuse_after_refused_body_ = false;
};

// Writes `bytes` to a new connection (stopping early if the server answers or
// closes), optionally half-closes it, and reads until the first response is
// complete, the server closes, or `timeout` passes. Parses the first response.
struct RawOptions {
    bool shutdown_after_send = false;
    // Keep reading after the first response, until the server closes or the timeout.
    bool read_until_close = false;
    std::chrono::milliseconds timeout{5'000};
};
Reply raw_exchange(std::uint16_t port, const std::string& bytes, const RawOptions& options = {});

// Percent-encodes every byte outside [A-Za-z0-9-._~].
std::string url_encode(const std::string& text);

}  // namespace vox::apitest
