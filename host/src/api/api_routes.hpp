// Registers a route and its OpenAPI operation together, so /openapi.json is
// produced from the very table that serves requests.
#pragma once

#include "http/router.hpp"

#include <vox/core/openapi.hpp>

namespace vox::host {

class ApiRoutes {
public:
    ApiRoutes(Router& router, OpenApiBuilder& openapi) : router_(router), openapi_(openapi) {}

    // `operation.method` is lower-case ("get"); the route's access follows operation.authenticated.
    void add(const ApiOperation& operation, RouteHandler handler);

    Router& router() { return router_; }
    OpenApiBuilder& openapi() { return openapi_; }

private:
    Router& router_;
    OpenApiBuilder& openapi_;
};

// Shorthands for the usual responses.
ApiResponse json_response(std::string description, std::string schema, bool array = false);
ApiResponse problem_response(std::string description);
ApiResponse empty_response(std::string description);
ApiParameter path_parameter(std::string name, std::string description);
ApiParameter query_parameter(std::string name, std::string description, nlohmann::json schema = {{"type", "string"}});
// limit and cursor.
std::vector<ApiParameter> paging_parameters();

}  // namespace vox::host
