#include "api/request_body.hpp"

#include "http/problem_error.hpp"

#include <vox/core/schema_catalog.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/String.h>

#include <istream>
#include <utility>
#include <vector>

namespace vox::host {

bool contains_nul(const nlohmann::json& document) {
    std::vector<const nlohmann::json*> stack{&document};
    while (!stack.empty()) {
        const nlohmann::json* node = stack.back();
        stack.pop_back();
        if (node->is_string() && node->get_ref<const std::string&>().find('\0') != std::string::npos) return true;
        if (node->is_object())
            for (const auto& [key, value] : node->items()) {
                if (key.find('\0') != std::string::npos) return true;
                stack.push_back(&value);
            }
        else if (node->is_array())
            for (const auto& value : *node) stack.push_back(&value);
    }
    return false;
}

int json_depth(const nlohmann::json& document) {
    int deepest = 0;
    std::vector<std::pair<const nlohmann::json*, int>> stack{{&document, 0}};
    while (!stack.empty()) {
        auto [node, depth] = stack.back();
        stack.pop_back();
        if (!node->is_structured()) continue;
        deepest = std::max(deepest, depth + 1);
        if (deepest > kMaxJsonDepth) return deepest;  // enough to refuse it
        for (const auto& child : *node) stack.emplace_back(&child, depth + 1);
    }
    return deepest;
}

nlohmann::json read_json_body(HttpExchange& exchange, std::size_t max_bytes) {
    auto& request = exchange.request();
    std::string type = Poco::toLower(request.getContentType());
    std::string media = type.substr(0, type.find(';'));
    Poco::trimInPlace(media);
    if (media != "application/json" && !(media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0))
        throw ProblemError(Problem{415, "unsupported_media_type", "Unsupported media type",
                                   "send the body as application/json (got \"" + request.getContentType() + "\")",
                                   nlohmann::json::object()});
    auto too_large = [&] {
        return ProblemError(Problem{413, "body_too_large", "Request body too large",
                                    "the body may be at most " + std::to_string(max_bytes) + " bytes",
                                    {{"max_bytes", max_bytes}}});
    };
    if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(max_bytes)) throw too_large();

    std::string body;
    std::istream& in = request.stream();
    char buffer[16384];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (body.size() > max_bytes) throw too_large();  // chunked bodies have no length up front
    }
    exchange.mark_body_consumed();  // read to its end: the connection may be kept
    if (body.empty()) throw bad_request("empty_body", "the request needs a JSON body");

    nlohmann::json document;
    try {
        document = nlohmann::json::parse(body);
    } catch (const nlohmann::json::exception& error) {  // parse_error, and out_of_range for numbers past double (1e400)
        throw bad_request("malformed_json", std::string("the body is not valid JSON: ") + error.what());
    }
    if (json_depth(document) > kMaxJsonDepth)
        throw bad_request("json_too_deep", "the body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    // Databases store text without NUL (PostgreSQL refuses it, C strings cut at it).
    if (contains_nul(document)) throw bad_request("nul_in_string", "strings in the body may not contain NUL (\\u0000)");
    return document;
}

void validate_against(const std::string& schema_name, const nlohmann::json& document) {
    auto problems = SchemaCatalog::instance().validator(schema_name).validate(document);
    if (problems.empty()) return;
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& problem : problems) errors.push_back({{"field", problem.field}, {"message", problem.message}});
    throw validation_failed(std::move(errors));
}

}  // namespace vox::host
