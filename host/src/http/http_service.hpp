// The HTTP front of voxd: a Poco HTTPServer whose every request goes through
// one Router, with the cross-cutting parts done once here: request ids, the
// problem+json envelope for 404/405/500, the access check, per-request logs
// and metrics, and a graceful stop that lets requests in progress finish.
//
// Usage: construct, add routes to router(), start(), ... stop(drain_timeout).
#pragma once

#include "http/http_exchange.hpp"
#include "http/http_options.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"
#include "metrics/http_metrics.hpp"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace prometheus {
class Registry;
}

namespace vox::host {

class HttpService {
public:
    HttpService(HttpOptions options, prometheus::Registry& metrics);
    ~HttpService();
    HttpService(const HttpService&) = delete;
    HttpService& operator=(const HttpService&) = delete;

    // Add routes before start(); the router is read without a lock afterwards.
    Router& router() { return router_; }

    // Decides whether a request may reach an Access::api_key route: a Problem
    // (401/403) refuses it. Without one every request is let through: the seam
    // where API-key authentication plugs in.
    using Authorizer = std::function<std::optional<Problem>(HttpExchange&)>;
    void set_authorizer(Authorizer authorizer) { authorizer_ = std::move(authorizer); }

    // Asked for a request no route's path matches, before the 404: returns
    // true when it answered (the dashboard's static files). Set before start().
    using Fallback = std::function<bool(HttpExchange&)>;
    void set_fallback(Fallback fallback) { fallback_ = std::move(fallback); }

    // Binds and starts serving. Throws Poco::Exception (e.g. address in use).
    void start();
    // The port actually bound (the chosen one when options.port was 0).
    std::uint16_t port() const;

    // Graceful stop: no new connections; requests in progress may finish
    // (their responses close the connection) for up to `drain_timeout`; idle
    // keep-alive connections are closed. Returns how many requests were still
    // running when the time ran out (0: fully drained). Idempotent.
    int stop(std::chrono::milliseconds drain_timeout);

    int in_flight() const { return in_flight_.load(); }

    // Where every request arrives (called on the server's threads).
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

private:
    void dispatch(HttpExchange& exchange, const Route& route);
    void request_finished();

    HttpOptions options_;
    Router router_;
    Authorizer authorizer_;
    Fallback fallback_;
    HttpMetrics metrics_;

    std::atomic<int> in_flight_{0};
    std::atomic<bool> draining_{false};
    std::mutex drain_mutex_;
    std::condition_variable drained_;

    Poco::Net::ServerSocket socket_;
    std::unique_ptr<Poco::ThreadPool> threads_;  // outlives server_ (declared first)
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    bool stopped_ = false;
};

}  // namespace vox::host
