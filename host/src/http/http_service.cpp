#include "http/http_service.hpp"

#include "http/problem_error.hpp"
#include "http/request_id.hpp"

#include <vox/core/log.hpp>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>
#include <spdlog/spdlog.h>

#include <thread>

namespace vox::host {
namespace {

Poco::Timespan to_timespan(std::chrono::milliseconds duration) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(duration.count()) * 1000);
}

// Poco asks a factory for a handler object per request; ours all forward to the service.
class ForwardingHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit ForwardingHandler(HttpService& service) : service_(service) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        service_.handle(request, response);
    }

private:
    HttpService& service_;
};

class ForwardingHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit ForwardingHandlerFactory(HttpService& service) : service_(service) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new ForwardingHandler(service_);
    }

private:
    HttpService& service_;
};

// The path of a request target, without query or fragment ("/api/x?y=1" -> "/api/x").
std::string path_of(const std::string& uri) {
    auto end = uri.find_first_of("?#");
    std::string path = uri.substr(0, end);
    // An absolute-form target ("http://host/path") is allowed by HTTP/1.1.
    if (auto scheme = path.find("://"); scheme != std::string::npos) {
        auto slash = path.find('/', scheme + 3);
        path = slash == std::string::npos ? "/" : path.substr(slash);
    }
    return path;
}

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
}

}  // namespace

HttpService::HttpService(HttpOptions options, prometheus::Registry& metrics)
    : options_(std::move(options)), metrics_(metrics) {}

HttpService::~HttpService() { stop(std::chrono::milliseconds(0)); }

void HttpService::start() {
    if (server_) throw std::logic_error("HttpService::start called twice");
    // SO_REUSEADDR so a restart can rebind at once; never SO_REUSEPORT, which would
    // let a second voxd share the port silently.
    socket_.bind(Poco::Net::SocketAddress(options_.host, options_.port), true, false);
    socket_.listen(options_.max_queued);

    auto* params = new Poco::Net::HTTPServerParams;  // reference-counted by Poco
    params->setMaxThreads(options_.max_threads);
    params->setMaxQueued(options_.max_queued);
    params->setKeepAlive(options_.keep_alive);
    params->setKeepAliveTimeout(to_timespan(options_.keep_alive_timeout));
    params->setMaxKeepAliveRequests(0);  // unlimited
    params->setTimeout(to_timespan(options_.timeout));
    params->setSoftwareVersion(options_.software);

    // Our own pool, sized to the limit, so that the server never shares
    // threads with other users of Poco's default pool.
    threads_ = std::make_unique<Poco::ThreadPool>("http", 2, options_.max_threads + 1);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new ForwardingHandlerFactory(*this), *threads_, socket_, params);
    server_->start();
}

std::uint16_t HttpService::port() const { return socket_.address().port(); }

int HttpService::stop(std::chrono::milliseconds drain_timeout) {
    if (stopped_ || !server_) {
        stopped_ = true;
        return 0;
    }
    stopped_ = true;
    draining_ = true;  // responses from now on close their connection
    server_->stop();   // the acceptor thread ends: no new connections
    socket_.close();   // and new ones are refused instead of waiting in the backlog

    {
        std::unique_lock lock(drain_mutex_);
        drained_.wait_for(lock, drain_timeout, [this] { return in_flight_.load() == 0; });
    }
    int left = in_flight_.load();
    // Closes idle keep-alive connections; if time ran out, aborts the stuck ones too.
    server_->stopAll(left > 0);

    // Let the connection threads notice and end before the pool is torn down.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (server_->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return left;
}

void HttpService::request_finished() {
    std::lock_guard lock(drain_mutex_);
    if (--in_flight_ == 0) drained_.notify_all();
}

void HttpService::handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    ++in_flight_;
    struct Finish {
        HttpService& service;
        ~Finish() { service.request_finished(); }
    } finish{*this};
    auto started = std::chrono::steady_clock::now();

    std::string request_id = choose_request_id(request.get(std::string(kRequestIdHeader), ""));
    response.set(std::string(kRequestIdHeader), request_id);
    if (draining_) response.setKeepAlive(false);
    HttpExchange exchange(request, response, request_id, path_of(request.getURI()));

    std::string route_label = "unmatched";
    try {
        RouteMatch match = router_.match(exchange.method(), exchange.path());
        if (match.route != nullptr) {
            route_label = match.route->pattern;
            exchange.set_params(std::move(match.params));
            dispatch(exchange, *match.route);
            if (!exchange.responded()) throw std::logic_error("the route's handler sent no response");
        } else if (match.allowed.empty()) {
            route_label = "static";
            if (!fallback_ || !fallback_(exchange)) {
                route_label = "unmatched";
                exchange.send_problem(not_found_problem(exchange.path()));
            }
        } else {
            response.set("Allow", join(match.allowed));
            exchange.send_problem(method_not_allowed_problem(exchange.method(), exchange.path(), match.allowed));
        }
    } catch (const ProblemError& refusal) {
        // An expected refusal (bad input, not found, conflict): the client's error, not ours.
        if (!exchange.responded() && !response.sent()) {
            for (const auto& [name, value] : refusal.headers()) response.set(name, value);
            try {
                exchange.send_problem(refusal.problem());
            } catch (const std::exception&) {}
        }
        if (!exchange.responded()) exchange.mark_sent(refusal.problem().status);
    } catch (const std::exception& error) {
        vox::log::error("http", "request failed",
                        {{"request_id", request_id},
                         {"method", exchange.method()},
                         {"path", exchange.path()},
                         {"error", error.what()}});
        if (!exchange.responded() && !response.sent()) {
            try {
                exchange.send_problem(internal_error_problem());
            } catch (const std::exception&) {  // the client went away: nothing left to tell it
            }
        }
        if (!exchange.responded()) exchange.mark_sent(500);
    }

    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.observe(exchange.method(), route_label, exchange.status(), seconds);
    auto level = exchange.status() >= 500 ? spdlog::level::err : spdlog::level::debug;
    // Building the fields is a measurable share of a small request: skip it unless logged.
    if (spdlog::default_logger_raw()->should_log(level))
        vox::log::write(level, "http", "request",
                        {{"request_id", request_id},
                         {"method", exchange.method()},
                         {"path", exchange.path()},
                         {"route", route_label},
                         {"status", exchange.status()},
                         {"duration_ms", seconds * 1000.0}});
}

void HttpService::dispatch(HttpExchange& exchange, const Route& route) {
    if (route.access == Access::api_key && authorizer_) {
        if (auto refusal = authorizer_(exchange)) {
            exchange.send_problem(*refusal);
            return;
        }
    }
    route.handler(exchange);
}

}  // namespace vox::host
