#include "api/query.hpp"

#include "http/problem_error.hpp"

#include <Poco/URI.h>

#include <algorithm>
#include <cstring>

namespace vox::host {

std::map<std::string, std::string> query_parameters(HttpExchange& exchange) {
    std::map<std::string, std::string> query;
    try {
        Poco::URI uri(exchange.request().getURI());
        for (auto& [name, value] : uri.getQueryParameters()) query[name] = value;
    } catch (const Poco::Exception& error) {
        throw bad_request("invalid_query", "the query string cannot be decoded: " + error.message());
    }
    return query;
}

void reject_unknown_parameters(const std::map<std::string, std::string>& query, std::initializer_list<const char*> allowed) {
    for (const auto& [name, value] : query) {
        bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; });
        if (!known) {
            std::string list;
            for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            throw bad_request("invalid_parameter", "unknown query parameter '" + name + "' (allowed: " + list + ")");
        }
    }
}

storage::PageRequest page_request(const std::map<std::string, std::string>& query) {
    storage::PageRequest page;
    page.limit = kDefaultPageSize;
    if (auto it = query.find("limit"); it != query.end()) {
        const std::string& text = it->second;
        bool digits = !text.empty() && text.size() <= 4 && std::all_of(text.begin(), text.end(), ::isdigit);
        std::size_t limit = digits ? std::stoul(text) : 0;
        if (!digits || limit < 1 || limit > kMaxPageSize)
            throw bad_request("invalid_parameter",
                              "limit must be a whole number from 1 to " + std::to_string(kMaxPageSize) + " (got '" + text + "')");
        page.limit = limit;
    }
    if (auto it = query.find("cursor"); it != query.end() && !it->second.empty()) page.cursor = it->second;
    return page;
}

void set_next_page_headers(HttpExchange& exchange, const std::optional<std::string>& next_cursor,
                           const std::map<std::string, std::string>& query) {
    if (!next_cursor) return;
    exchange.response().set("X-Next-Cursor", *next_cursor);
    Poco::URI next(exchange.path());
    for (const auto& [name, value] : query)
        if (name != "cursor") next.addQueryParameter(name, value);
    next.addQueryParameter("cursor", *next_cursor);
    exchange.response().set("Link", "<" + next.toString() + ">; rel=\"next\"");
}

}  // namespace vox::host
