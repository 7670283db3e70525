#include "page_cursor.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include <cctype>
#include <sstream>

namespace vox::storage {

std::string encode_cursor(const CursorPosition& position) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.rdbuf()->setLineLength(0);
    encoder << "v1\t" << position.sort_key << '\t' << position.id;
    encoder.close();
    return out.str();
}

std::optional<CursorPosition> decode_cursor(const std::string& cursor) {
    if (cursor.empty() || cursor.size() > 512) return std::nullopt;
    std::string text;
    try {
        std::istringstream in(cursor);
        Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
        std::ostringstream decoded;
        decoded << decoder.rdbuf();
        text = decoded.str();
    } catch (...) {
        return std::nullopt;
    }
    auto first = text.find('\t');
    auto second = text.find('\t', first == std::string::npos ? first : first + 1);
    if (first == std::string::npos || second == std::string::npos || text.substr(0, first) != "v1") return std::nullopt;
    CursorPosition position{text.substr(first + 1, second - first - 1), text.substr(second + 1)};
    // Only what this server issues: a fixed-width UTC timestamp and an id of [A-Za-z0-9_],
    // so that no odd bytes reach the database.
    const std::string& key = position.sort_key;
    bool timestamp = key.size() == 24 && key[4] == '-' && key[7] == '-' && key[10] == 'T' && key[13] == ':' &&
                     key[16] == ':' && key[19] == '.' && key[23] == 'Z';
    for (std::size_t i = 0; timestamp && i < key.size(); ++i)
        if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && i != 19 && i != 23) timestamp = std::isdigit(static_cast<unsigned char>(key[i])) != 0;
    bool id = !position.id.empty() && position.id.size() <= 128;
    for (char c : position.id) id = id && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_');
    if (!timestamp || !id) return std::nullopt;
    return position;
}

}  // namespace vox::storage
