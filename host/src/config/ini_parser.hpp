// The INI dialect of voxd's configuration files: "[section]" headers, then
// "name = value" lines whose key is "section.name". Written here rather than
// taken from Poco::Util::IniFileConfiguration because that one accepts any
// line silently (a typo becomes a key) and cannot say where a problem is; this
// one reports "file:line: what is wrong".
#pragma once

#include "config/config_values.hpp"

#include <string_view>

namespace vox::host {

// Parses `text`; `source` names it in error messages. Keys are lower-cased;
// values are trimmed but otherwise kept as written (double quotes included:
// see unquote_value). Lines starting with ';' or '#' are comments; there are
// no end-of-line comments. Throws ConfigError on a malformed line.
ConfigValues parse_ini(std::string_view text, std::string_view source);

}  // namespace vox::host
