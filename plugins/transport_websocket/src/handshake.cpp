#include "handshake.hpp"

#include <nlohmann/json.hpp>

#include <Poco/Base64Encoder.h>
#include <Poco/Buffer.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/SHA1Engine.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace vox::transport_ws {
namespace {

using Poco::Net::HTTPResponse;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// True when the comma-separated header value lists `token` (case-insensitive).
bool lists_token(const std::string& value, const std::string& token) {
    std::istringstream items(lower(value));
    for (std::string item; std::getline(items, item, ',');) {
        auto first = item.find_first_not_of(" \t");
        auto last = item.find_last_not_of(" \t");
        if (first != std::string::npos && item.substr(first, last - first + 1) == token) return true;
    }
    return false;
}

void refuse(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& code,
            const std::string& detail) {
    response.setStatusAndReason(status);
    response.setKeepAlive(false);
    response.setContentType("application/problem+json");
    std::string body = nlohmann::json{{"type", "about:blank"},
                                      {"title", HTTPResponse::getReasonForStatus(status)},
                                      {"status", static_cast<int>(status)},
                                      {"code", code},
                                      {"detail", detail}}
                           .dump();
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
}

// "/calls/{call_id}" -> call_id; empty for any other path.
std::string call_id_of(const std::string& path) {
    const std::string prefix = "/calls/";
    if (path.rfind(prefix, 0) != 0) return {};
    std::string id = path.substr(prefix.size());
    if (id.empty() || id.find('/') != std::string::npos) return {};
    return id;
}

class UpgradeHandler final : public Poco::Net::HTTPRequestHandler {
public:
    UpgradeHandler(UpgradeTarget& target, sdk::Host host) : target_(target), host_(host) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        std::string path;
        std::string token;
        try {
            Poco::URI uri(request.getURI());
            path = uri.getPath();
            for (const auto& [name, value] : uri.getQueryParameters())
                if (name == "access_token") token = value;
        } catch (const Poco::Exception&) {
            refuse(response, HTTPResponse::HTTP_BAD_REQUEST, "bad_request", "the request target is not a valid URI");
            return;
        }
        const std::string call_id = call_id_of(path);
        if (call_id.empty()) {
            refuse(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
                   "no such path; a web call's socket is /calls/{call_id}?access_token=...");
            return;
        }
        const std::string key = request.get("Sec-WebSocket-Key", "");
        if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET ||
            !lists_token(request.get("Connection", ""), "upgrade") ||
            !lists_token(request.get("Upgrade", ""), "websocket") || key.empty()) {
            refuse(response, HTTPResponse::HTTP_BAD_REQUEST, "not_websocket",
                   "expected a WebSocket upgrade (GET with Connection: Upgrade, Upgrade: websocket, Sec-WebSocket-Key)");
            return;
        }
        if (request.get("Sec-WebSocket-Version", "") != "13") {
            response.set("Sec-WebSocket-Version", "13");
            refuse(response, HTTPResponse::HTTP_BAD_REQUEST, "not_websocket", "only WebSocket version 13 is spoken");
            return;
        }
        if (!target_.has_capacity()) {
            refuse(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "transport_full",
                   "the transport has reached max_calls; try again later");
            return;
        }
        ExpectedCaller caller;
        auto admission = token.empty() ? ExpectedCallers::Admission::wrong_token
                                       : target_.admit(call_id, token, caller);
        if (admission != ExpectedCallers::Admission::admitted) {
            host_.info("transport.websocket: refused a caller for " + call_id.substr(0, 100) + ": " +
                       (token.empty() ? "no access_token" : admission_name(admission)));
            bool says_why = admission == ExpectedCallers::Admission::used_token ||
                            admission == ExpectedCallers::Admission::expired_token;
            refuse(response, HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized",
                   says_why ? std::string("the access_token is ") +
                                  (admission == ExpectedCallers::Admission::used_token ? "already used" : "expired")
                            : "missing or wrong access_token for this call");
            return;
        }

        response.setStatusAndReason(HTTPResponse::HTTP_SWITCHING_PROTOCOLS);
        response.set("Upgrade", "websocket");
        response.set("Connection", "Upgrade");
        response.set("Sec-WebSocket-Accept", websocket_accept(key));
        response.setContentLength(HTTPResponse::UNKNOWN_CONTENT_LENGTH);
        response.send().flush();

        // Take the connection away from the HTTP server, with whatever it had
        // already read past the request (a client that did not wait for the 101).
        auto& impl = static_cast<Poco::Net::HTTPServerRequestImpl&>(request);
        Poco::Net::StreamSocket socket = impl.detachSocket();
        Poco::Buffer<char> rest(0);
        impl.session().drainBuffer(rest);
        target_.adopt(std::move(caller), socket, std::string(rest.begin(), rest.size()));
    }

private:
    UpgradeTarget& target_;
    sdk::Host host_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* UpgradeHandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
    return new UpgradeHandler(target_, host_);
}

std::string websocket_accept(const std::string& client_key) {
    Poco::SHA1Engine sha1;
    sha1.update(client_key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    const Poco::DigestEngine::Digest& digest = sha1.digest();
    std::ostringstream encoded;
    Poco::Base64Encoder base64(encoded);
    base64.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
    base64.close();
    return encoded.str();
}

}  // namespace vox::transport_ws
