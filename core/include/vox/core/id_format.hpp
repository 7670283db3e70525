// What a well-formed id looks like ("agent_" + [0-9A-Za-z]), checked before an
// id from a request reaches the database: a malformed one cannot name anything,
// and odd bytes (NUL, invalid UTF-8) never reach a text column.
#pragma once

#include <string_view>

namespace vox {

// True for "<prefix>_" followed by 1 to 64 characters of [0-9A-Za-z].
bool is_id_of(std::string_view prefix, std::string_view id);

}  // namespace vox
