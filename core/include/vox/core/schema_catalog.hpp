// The API's data models as JSON Schemas (core/schemas/*.json, embedded at
// build time): one source for request validation and for the OpenAPI document.
// Schemas refer to each other as {"$ref": "<name>.json"}.
#pragma once

#include <vox/core/json_schema.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace vox {

class SchemaCatalog {
public:
    // The embedded schemas; throws if one does not parse (a build defect).
    static const SchemaCatalog& instance();

    std::vector<std::string> names() const;
    // As written, with "<name>.json" references.
    const nlohmann::json& raw(const std::string& name) const;
    // With every reference inlined, ready for validation. Throws std::out_of_range for an unknown name.
    const JsonSchema& validator(const std::string& name) const;
    // With references rewritten to "#/components/schemas/<Name>" for OpenAPI.
    nlohmann::json for_openapi(const std::string& name) const;
    // "agent_input" -> "AgentInput".
    static std::string component_name(const std::string& name);

private:
    SchemaCatalog();
    nlohmann::json inline_refs(const nlohmann::json& node, int depth) const;
    std::map<std::string, nlohmann::json> raw_;
    std::map<std::string, JsonSchema> validators_;
};

}  // namespace vox
