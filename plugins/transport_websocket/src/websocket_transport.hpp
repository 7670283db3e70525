// transport.websocket: web calls over one WebSocket per caller
// (docs/protocol.md section 2). A small Poco HTTP server admits callers the
// host announced with dial(); each upgraded socket then moves to the one
// reactor thread that serves every call's media.
#pragma once

#include "expected_callers.hpp"
#include "handshake.hpp"
#include "media_call.hpp"
#include "reactor.hpp"
#include "settings.hpp"

#include <vox/sdk/host.hpp>
#include <vox/sdk/transport.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace vox::transport_ws {

class WebSocketTransport final : public sdk::TransportProvider, private UpgradeTarget {
public:
    WebSocketTransport(sdk::Host host, TransportSettings defaults);
    ~WebSocketTransport() override;
    WebSocketTransport(const WebSocketTransport&) = delete;
    WebSocketTransport& operator=(const WebSocketTransport&) = delete;

    // sdk::TransportProvider (host threads).
    void start(std::string_view settings_json, sdk::TransportSink sink) override;
    // {"call_id", "access_token", "expires_in_ms" (default 30000), "sample_rate" (default 16000)}.
    void dial(std::string_view request_json) override;
    void stop() noexcept override;
    // The static capabilities plus, once started, "listen_url" ("ws://127.0.0.1:8081"),
    // "public_url" when configured, "active_calls", "waiting_calls" and "reactor_cpu_ms".
    std::string describe() override;

private:
    // UpgradeTarget (the HTTP server's threads).
    ExpectedCallers::Admission admit(const std::string& call_id, const std::string& token,
                                     ExpectedCaller& admitted) override;
    bool has_capacity() override;
    void adopt(ExpectedCaller caller, const Poco::Net::StreamSocket& socket, std::string leftover) override;

    // The reactor thread: a call's socket is closed.
    void forget(const std::shared_ptr<MediaCall>& call);

    const sdk::Host host_;
    const TransportSettings defaults_;
    ExpectedCallers callers_;

    std::mutex mutex_;  // guards what follows
    bool running_ = false;
    TransportSettings settings_;
    sdk::TransportSink sink_;
    std::string listen_url_;
    std::shared_ptr<Reactor> reactor_;
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::map<MediaCall*, std::shared_ptr<MediaCall>> calls_;
    // Calls open when stop() ran: kept (closed) until the transport goes, in
    // case the host still holds their handles.
    std::vector<std::shared_ptr<MediaCall>> stopped_calls_;
};

}  // namespace vox::transport_ws
