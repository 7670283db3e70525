// Maps (method, path) to a handler. Patterns are literal segments and {name}
// parameters: "/api/agents/{agent_id}/versions". Routes are added before the
// server starts and only read afterwards, so matching needs no lock.
//
// A path that no pattern matches is a 404; a path some pattern matches, but
// not with this method, is a 405 whose Allow lists the methods that would work.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vox::host {

class HttpExchange;

using PathParams = std::map<std::string, std::string, std::less<>>;
using RouteHandler = std::function<void(HttpExchange&)>;

// Who may call a route. The API-key check arrives with authentication; until
// then HttpService lets every request through (see HttpService::set_authorizer).
enum class Access {
    open,     // probes and scrapers: /healthz, /metrics
    api_key,  // everything under /api
};

struct Route {
    std::string method;   // "GET", "POST", ...
    std::string pattern;  // as written; also the route's label in metrics
    Access access = Access::api_key;
    RouteHandler handler;

    struct Segment {
        std::string text;  // the literal, or the parameter's name
        bool is_parameter = false;
    };
    std::vector<Segment> segments;
};

struct RouteMatch {
    const Route* route = nullptr;      // null: no route for this method
    PathParams params;                 // decoded values of the {parameters}
    std::vector<std::string> allowed;  // when route is null: methods the path accepts (empty: 404)
};

class Router {
public:
    // Throws std::invalid_argument on a malformed pattern or a route that is
    // already there.
    void add(std::string method, std::string_view pattern, RouteHandler handler, Access access = Access::api_key);
    void get(std::string_view pattern, RouteHandler handler, Access access = Access::api_key) {
        add("GET", pattern, std::move(handler), access);
    }
    void post(std::string_view pattern, RouteHandler handler, Access access = Access::api_key) {
        add("POST", pattern, std::move(handler), access);
    }

    // `path` is the raw request path (no query), percent-encoded as received.
    // A HEAD request is served by the GET route when there is no HEAD route.
    RouteMatch match(std::string_view method, std::string_view path) const;

    const std::deque<Route>& routes() const { return routes_; }

private:
    std::deque<Route> routes_;  // stable addresses: matches point into it
};

}  // namespace vox::host
