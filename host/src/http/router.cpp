#include "http/router.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace vox::host {
namespace {

// "/a/b/" -> {"a","b"}: a trailing slash is ignored; "//" yields an empty segment.
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    if (path.empty() || path.front() != '/') return segments;
    path.remove_prefix(1);
    if (!path.empty() && path.back() == '/') path.remove_suffix(1);
    if (path.empty()) return segments;
    std::size_t start = 0;
    while (true) {
        auto slash = path.find('/', start);
        segments.push_back(
            path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return segments;
}

bool is_parameter_name(std::string_view name) {
    if (name.empty() || !((name.front() >= 'a' && name.front() <= 'z') || name.front() == '_')) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::vector<Route::Segment> parse_pattern(std::string_view pattern) {
    if (pattern.empty() || pattern.front() != '/')
        throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
    std::vector<Route::Segment> segments;
    std::set<std::string, std::less<>> names;
    for (auto part : split_path(pattern)) {
        if (part.empty()) throw std::invalid_argument("route pattern has an empty segment: " + std::string(pattern));
        if (part.front() == '{' && part.back() == '}') {
            auto name = part.substr(1, part.size() - 2);
            if (!is_parameter_name(name) || !names.emplace(name).second)
                throw std::invalid_argument("bad or repeated parameter {" + std::string(name) + "} in " +
                                            std::string(pattern));
            segments.push_back({std::string(name), true});
        } else if (part.find_first_of("{}") != std::string_view::npos) {
            throw std::invalid_argument("a parameter must be a whole segment: " + std::string(pattern));
        } else {
            segments.push_back({std::string(part), false});
        }
    }
    return segments;
}

bool same_shape(const std::vector<Route::Segment>& a, const std::vector<Route::Segment>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
        return x.is_parameter == y.is_parameter && (x.is_parameter || x.text == y.text);
    });
}

// Literal segments beat parameters, earlier segments first: /calls/stats wins over /calls/{id}.
bool more_specific(const Route& a, const Route& b) {
    for (std::size_t i = 0; i < a.segments.size(); ++i)
        if (a.segments[i].is_parameter != b.segments[i].is_parameter) return !a.segments[i].is_parameter;
    return false;
}

}  // namespace

void Router::add(std::string method, std::string_view pattern, RouteHandler handler, Access access) {
    if (method.empty() || !handler) throw std::invalid_argument("a route needs a method and a handler");
    auto segments = parse_pattern(pattern);
    for (const auto& route : routes_)
        if (route.method == method && same_shape(route.segments, segments))
            throw std::invalid_argument("route already defined: " + method + " " + std::string(pattern) + " (as " +
                                        route.pattern + ")");
    routes_.push_back({std::move(method), std::string(pattern), access, std::move(handler), std::move(segments)});
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
    if (path.empty() || path.front() != '/') return {};  // not an origin-form path: nothing lives there
    auto raw_segments = split_path(path);
    std::vector<std::string> decoded;
    decoded.reserve(raw_segments.size());
    for (auto segment : raw_segments) {
        std::string text;
        try {
            Poco::URI::decode(std::string(segment), text);
        } catch (const Poco::Exception&) {
            return {};  // malformed percent-encoding: no resource can have that name
        }
        decoded.push_back(std::move(text));
    }

    auto matches_path = [&](const Route& route) {
        if (route.segments.size() != decoded.size()) return false;
        for (std::size_t i = 0; i < decoded.size(); ++i)
            if (!route.segments[i].is_parameter && route.segments[i].text != decoded[i]) return false;
        return true;
    };
    auto best_for = [&](std::string_view wanted) {
        const Route* best = nullptr;
        for (const auto& route : routes_)
            if (route.method == wanted && matches_path(route) && (best == nullptr || more_specific(route, *best)))
                best = &route;
        return best;
    };

    RouteMatch result;
    result.route = best_for(method);
    if (result.route == nullptr && method == "HEAD") result.route = best_for("GET");
    if (result.route == nullptr) {
        std::set<std::string> allowed;
        for (const auto& route : routes_)
            if (matches_path(route)) {
                allowed.insert(route.method);
                if (route.method == "GET") allowed.insert("HEAD");
            }
        result.allowed.assign(allowed.begin(), allowed.end());
        return result;
    }
    for (std::size_t i = 0; i < decoded.size(); ++i)
        if (result.route->segments[i].is_parameter) result.params[result.route->segments[i].text] = decoded[i];
    return result;
}

}  // namespace vox::host
