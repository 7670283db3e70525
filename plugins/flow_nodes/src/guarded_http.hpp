// The function node's HTTP(S) request, guarded: the host is resolved here and
// every address checked against the blocked networks before connecting to
// one of them (so a DNS answer that changes between check and use cannot
// slip through); TLS verifies the chain and the host name; the response is
// read up to a limit. Redirects are not followed.
#pragma once

#include "function_settings.hpp"

#include <Poco/Net/Context.h>
#include <Poco/URI.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace vox::flow_nodes {

struct HttpCall {
    std::string method;
    Poco::URI uri;  // http:// or https:// with a host
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{5000};
};

struct HttpAnswer {
    int status = 0;
    std::string body;
};

// Why a call failed: code() is one of timeout, blocked_address, connect, tls,
// response_too_large; what() says it for a person.
class CallFailure : public std::runtime_error {
public:
    CallFailure(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
    const std::string& code() const { return code_; }

private:
    std::string code_;
};

// Sends `call` and reads the answer; throws CallFailure.
HttpAnswer guarded_request(const FunctionSettings& settings, const HttpCall& call);

// A TLS client context trusting the system CAs plus ca_file (PEM; "" for
// none), TLS 1.2 or newer. Throws Poco::Exception when ca_file is unusable.
Poco::Net::Context::Ptr make_tls_context(const std::string& ca_file);

}  // namespace vox::flow_nodes
