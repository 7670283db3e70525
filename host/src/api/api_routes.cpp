#include "api/api_routes.hpp"

#include "api/query.hpp"
#include "http/problem_error.hpp"

#include <vox/core/storage/errors.hpp>

#include <Poco/String.h>

namespace vox::host {

void ApiRoutes::add(const ApiOperation& operation, RouteHandler handler) {
    // Storage refusals every handler could meet, answered the same way everywhere.
    auto guarded = [handler = std::move(handler)](HttpExchange& exchange) {
        try {
            handler(exchange);
        } catch (const storage::InvalidCursorError& error) {
            throw bad_request("invalid_cursor", error.what());
        }
    };
    router_.add(Poco::toUpper(operation.method), operation.path, std::move(guarded),
                operation.authenticated ? Access::api_key : Access::open);
    openapi_.add(operation);
}

ApiResponse json_response(std::string description, std::string schema, bool array) {
    ApiResponse response;
    response.description = std::move(description);
    response.schema = std::move(schema);
    response.array = array;
    return response;
}

ApiResponse problem_response(std::string description) {
    ApiResponse response;
    response.description = std::move(description);
    response.schema = "problem";
    response.content_type = "application/problem+json";
    return response;
}

ApiResponse empty_response(std::string description) {
    ApiResponse response;
    response.description = std::move(description);
    return response;
}

ApiParameter path_parameter(std::string name, std::string description) {
    return ApiParameter{std::move(name), "path", std::move(description), {{"type", "string"}}, true};
}

ApiParameter query_parameter(std::string name, std::string description, nlohmann::json schema) {
    return ApiParameter{std::move(name), "query", std::move(description), std::move(schema), false};
}

std::vector<ApiParameter> paging_parameters() {
    return {query_parameter("limit", "Items per page, 1 to " + std::to_string(kMaxPageSize) + " (default " +
                                         std::to_string(kDefaultPageSize) + ").",
                            {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxPageSize}}),
            query_parameter("cursor",
                            "Where the page starts: the X-Next-Cursor header of the previous page (newest first).")};
}

}  // namespace vox::host
