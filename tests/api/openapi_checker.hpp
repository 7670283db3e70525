// Checks answers against the server's own /openapi.json: the path and method
// must be documented (else the answer must be a 404/405 problem), the status
// listed (or covered by "default"), the content type the documented one, and
// the body valid against the documented schema, its "$ref"s to
// #/components/schemas inlined. Every Client in these tests runs every reply
// through it, so the document cannot drift from what the server sends.
#pragma once

#include "api_client.hpp"

#include <vox/core/json_schema.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace vox::apitest {

class OpenApiChecker {
public:
    explicit OpenApiChecker(Json document);

    const Json& document() const { return document_; }
    // `schema` with every {"$ref": "#/components/schemas/X"} replaced by X (recursively).
    // Throws std::runtime_error for a reference that does not resolve.
    Json resolve(const Json& schema) const;
    // The components schema `name`, resolved.
    Json component(const std::string& name) const;
    // The document's path template that a request path falls under ("/api/agents/{agent_id}"),
    // literal segments preferred over parameters; nullopt when none does.
    std::optional<std::string> match_path(const std::string& path) const;

    // What is wrong with `reply` as the answer to `method target` (empty: it conforms).
    std::vector<std::string> check(const std::string& method, const std::string& target, const Reply& reply) const;
    // Problems of `document` against a schema (resolved first).
    std::vector<std::string> validate(const Json& schema, const Json& document) const;

    // How many JSON bodies were validated against a schema so far (non-vacuity).
    int bodies_validated() const { return bodies_validated_.load(); }

private:
    const JsonSchema& compiled(const Json& schema) const;
    Json document_;
    mutable std::mutex mutex_;
    mutable std::map<std::string, std::unique_ptr<JsonSchema>> cache_;  // by the resolved schema's text
    mutable std::atomic<int> bodies_validated_{0};
};

}  // namespace vox::apitest
