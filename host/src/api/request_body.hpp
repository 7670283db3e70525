// Reading a JSON request body safely: the content type must be JSON (415), the
// size within the limit (413), the text well-formed JSON (400) no deeper than
// kMaxJsonDepth, and the document valid against its schema (422).
#pragma once

#include "http/http_exchange.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace vox::host {

inline constexpr int kMaxJsonDepth = 64;

// Throws ProblemError for each failure above.
nlohmann::json read_json_body(HttpExchange& exchange, std::size_t max_bytes);
// Throws ProblemError 422 (validation_failed) listing every problem.
void validate_against(const std::string& schema_name, const nlohmann::json& document);
// Whether any string or key holds a NUL character.
bool contains_nul(const nlohmann::json& document);
// The nesting depth of a document (scalars are 0), without recursion.
int json_depth(const nlohmann::json& document);

}  // namespace vox::host
