// Keyset paging: a cursor names the last row of a page (its sort key and id),
// so the next page starts right after it however many rows were added since.
#pragma once

#include <optional>
#include <string>

namespace vox::storage {

struct CursorPosition {
    std::string sort_key;  // created_at or started_at
    std::string id;
};

std::string encode_cursor(const CursorPosition& position);
// nullopt when the text is not a cursor this server issued.
std::optional<CursorPosition> decode_cursor(const std::string& cursor);

}  // namespace vox::storage
