// Builds the OpenAPI 3.1 document from the operations the server registers,
// with schemas from the SchemaCatalog: the spec is generated from the same
// route table and schemas that serve requests, so it cannot drift.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vox {

struct ApiParameter {
    std::string name;
    std::string in;  // "path" or "query"
    std::string description;
    nlohmann::json schema = {{"type", "string"}};
    bool required = false;
};

struct ApiResponse {
    std::string description;
    std::optional<std::string> schema;  // a catalog name ("agent"), or
    nlohmann::json inline_schema;       // an inline schema (null when neither)
    bool array = false;                 // the body is an array of `schema`
    std::string content_type = "application/json";
};

struct ApiOperation {
    std::string method;  // "get", "post", ...
    std::string path;    // "/api/agents/{id}"
    std::string operation_id;
    std::string summary;
    std::string description;
    std::vector<std::string> tags;
    std::vector<ApiParameter> parameters;
    std::optional<std::string> request_schema;  // catalog name of the JSON body
    std::map<int, ApiResponse> responses;
    bool authenticated = true;
};

class OpenApiBuilder {
public:
    OpenApiBuilder(std::string title, std::string version, std::string description);
    void add(const ApiOperation& operation);
    // The whole document; every catalog schema is listed under components.
    nlohmann::json document() const;

private:
    std::string title_;
    std::string version_;
    std::string description_;
    std::vector<ApiOperation> operations_;
};

}  // namespace vox
