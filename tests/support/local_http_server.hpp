// The Poco plumbing the fakes share: an HTTPServer on a listening socket of
// 127.0.0.1 (plain or TLS, see test_tls.hpp), a new handler per request, and
// the URL of the server with the scheme that matches its TLS mode.
#pragma once

#include "test_tls.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/ServerSocket.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace Poco::Net {
class HTTPServer;
}

namespace vox::test {

// Outside LocalHttpServer: a nested struct's member initialisers cannot serve
// a default argument of the enclosing class.
struct LocalHttpServerOptions {
    int max_threads = 16;
    std::optional<int> max_queued = 64;  // nullopt: left at Poco's default
    bool keep_alive = false;
};

class LocalHttpServer {
public:
    using Options = LocalHttpServerOptions;
    using MakeHandler = std::function<Poco::Net::HTTPRequestHandler*()>;

    // Listens and starts serving at once; `make_handler` is called from the
    // server's threads, once per request.
    LocalHttpServer(MakeHandler make_handler, const ServerTls& tls, Options options = {});
    ~LocalHttpServer();  // stop()
    LocalHttpServer(const LocalHttpServer&) = delete;
    LocalHttpServer& operator=(const LocalHttpServer&) = delete;

    std::uint16_t port() const;
    // "<scheme>://127.0.0.1:<port><path>", the scheme given an "s" (ws → wss,
    // http → https) when TLS is on.
    std::string url(const std::string& scheme, const std::string& path = "") const;
    // stopAll(true): aborts the connections being served. Only the first call
    // does anything.
    void stop();

private:
    bool tls_;
    bool stopped_ = false;
    Poco::Net::ServerSocket socket_;
    std::unique_ptr<Poco::Net::HTTPServer> http_;
};

}  // namespace vox::test
