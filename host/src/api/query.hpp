// Query-string parameters and paging (limit + cursor) for list endpoints.
// Lists answer with a JSON array; the next page's cursor travels in the
// X-Next-Cursor header and a Link: <...>; rel="next" header.
#pragma once

#include "http/http_exchange.hpp"

#include <vox/core/storage/repositories.hpp>

#include <map>
#include <optional>
#include <string>

namespace vox::host {

inline constexpr std::size_t kDefaultPageSize = 50;
inline constexpr std::size_t kMaxPageSize = 500;

// Decoded parameters; a repeated name keeps its last value.
std::map<std::string, std::string> query_parameters(HttpExchange& exchange);

// limit (1..500, default 50) and cursor; 400 invalid_parameter otherwise.
// Throws for parameters not in `allowed` too, so a typo is not silently ignored.
storage::PageRequest page_request(const std::map<std::string, std::string>& query);
void reject_unknown_parameters(const std::map<std::string, std::string>& query,
                               std::initializer_list<const char*> allowed);

// Sets X-Next-Cursor and Link when there is a next page.
void set_next_page_headers(HttpExchange& exchange, const std::optional<std::string>& next_cursor,
                           const std::map<std::string, std::string>& query);

}  // namespace vox::host
