// JSON Schema validation (valijson, draft 7 — the subset our schemas use is
// also valid 2020-12, so the same documents go into the OpenAPI 3.1 spec).
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace valijson {
class Schema;
}

namespace vox {

// One reason a document does not match: where (a JSON Pointer, "" for the
// whole document) and why.
struct SchemaProblem {
    std::string field;
    std::string message;
};

class JsonSchema {
public:
    // Throws std::invalid_argument when `schema` is not a usable schema.
    explicit JsonSchema(nlohmann::json schema);
    ~JsonSchema();
    JsonSchema(JsonSchema&&) noexcept;
    JsonSchema& operator=(JsonSchema&&) noexcept;

    // The problems with `document`, innermost first; empty when it is valid. Thread-safe.
    std::vector<SchemaProblem> validate(const nlohmann::json& document) const;
    const nlohmann::json& document() const { return schema_; }

private:
    nlohmann::json schema_;
    std::unique_ptr<valijson::Schema> compiled_;
};

}  // namespace vox
