#include <vox/core/openapi.hpp>
#include <vox/core/schema_catalog.hpp>

namespace vox {
namespace {

nlohmann::json schema_ref(const std::string& name) {
    return {{"$ref", "#/components/schemas/" + SchemaCatalog::component_name(name)}};
}

nlohmann::json response_body(const ApiResponse& response) {
    nlohmann::json schema;
    if (response.schema)
        schema = schema_ref(*response.schema);
    else if (!response.inline_schema.is_null())
        schema = response.inline_schema;
    else
        return nullptr;
    if (response.array) schema = {{"type", "array"}, {"items", schema}};
    return {{response.content_type, {{"schema", schema}}}};
}

}  // namespace

OpenApiBuilder::OpenApiBuilder(std::string title, std::string version, std::string description)
    : title_(std::move(title)), version_(std::move(version)), description_(std::move(description)) {}

void OpenApiBuilder::add(const ApiOperation& operation) { operations_.push_back(operation); }

nlohmann::json OpenApiBuilder::document() const {
    nlohmann::json paths = nlohmann::json::object();
    for (const auto& op : operations_) {
        nlohmann::json operation = {{"operationId", op.operation_id}, {"summary", op.summary}};
        if (!op.description.empty()) operation["description"] = op.description;
        if (!op.tags.empty()) operation["tags"] = op.tags;
        if (!op.parameters.empty()) {
            nlohmann::json parameters = nlohmann::json::array();
            for (const auto& p : op.parameters)
                parameters.push_back({{"name", p.name},
                                      {"in", p.in},
                                      {"required", p.in == "path" || p.required},
                                      {"description", p.description},
                                      {"schema", p.schema}});
            operation["parameters"] = parameters;
        }
        if (op.request_schema)
            operation["requestBody"] = {
                {"required", true}, {"content", {{"application/json", {{"schema", schema_ref(*op.request_schema)}}}}}};
        nlohmann::json responses = nlohmann::json::object();
        for (const auto& [status, response] : op.responses) {
            nlohmann::json entry = {{"description", response.description}};
            auto content = response_body(response);
            if (!content.is_null()) entry["content"] = content;
            responses[std::to_string(status)] = entry;
        }
        if (op.authenticated) {
            operation["security"] = nlohmann::json::array({{{"bearerAuth", nlohmann::json::array()}}});
            responses["401"] = {{"description", "Missing or invalid API key"},
                                {"content", {{"application/problem+json", {{"schema", schema_ref("problem")}}}}}};
        } else {
            operation["security"] = nlohmann::json::array();
        }
        if (!responses.contains("default"))
            responses["default"] = {{"description", "An error (RFC 9457 problem details)"},
                                    {"content", {{"application/problem+json", {{"schema", schema_ref("problem")}}}}}};
        operation["responses"] = responses;
        paths[op.path][op.method] = operation;
    }
    nlohmann::json schemas = nlohmann::json::object();
    const auto& catalog = SchemaCatalog::instance();
    for (const auto& name : catalog.names()) schemas[SchemaCatalog::component_name(name)] = catalog.for_openapi(name);
    return {{"openapi", "3.1.0"},
            {"info", {{"title", title_}, {"version", version_}, {"description", description_}}},
            {"paths", paths},
            {"components",
             {{"schemas", schemas},
              {"securitySchemes",
               {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}, {"description", "An API key: Authorization: Bearer vox_..."}}}}}}}};
}

}  // namespace vox
