#include "page_cursor.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

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
    if (position.sort_key.empty() || position.id.empty()) return std::nullopt;
    return position;
}

}  // namespace vox::storage
