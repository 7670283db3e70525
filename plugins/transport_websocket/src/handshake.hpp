// The media socket's HTTP side: GET /calls/{call_id}?access_token=... with a
// WebSocket upgrade. Refuses before the upgrade (docs/protocol.md section 2):
// 404 for any other path, 400 for a request that is not a WebSocket upgrade,
// 401 for a missing, wrong, used or expired token, 503 when the transport is
// full. Otherwise answers 101, detaches the socket from the HTTP session and
// hands it over, so that no request thread stays blocked on a call.
#pragma once

#include "expected_callers.hpp"

#include <vox/sdk/host.hpp>

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/StreamSocket.h>

#include <string>

namespace vox::transport_ws {

// Where admitted callers go (the transport). Called on the HTTP server's threads.
class UpgradeTarget {
public:
    virtual ~UpgradeTarget() = default;
    virtual ExpectedCallers::Admission admit(const std::string& call_id, const std::string& token,
                                             ExpectedCaller& admitted) = 0;
    virtual bool has_capacity() = 0;
    // Takes over the upgraded connection; `leftover` holds bytes already read after the request.
    virtual void adopt(ExpectedCaller caller, const Poco::Net::StreamSocket& socket, std::string leftover) = 0;
};

class UpgradeHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    UpgradeHandlerFactory(UpgradeTarget& target, sdk::Host host) : target_(target), host_(host) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    UpgradeTarget& target_;
    sdk::Host host_;
};

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key (RFC 6455 4.2.2).
std::string websocket_accept(const std::string& client_key);

}  // namespace vox::transport_ws
