#include "text_input.hpp"

#include <cstdint>

namespace vox::espeak {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if invalid.
std::size_t sequence_length(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
    std::uint8_t lead = byte(i);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead < 0x80U) return 1;
    if (lead >= 0xC2U && lead <= 0xDFU) {
        length = 2;
        code = lead & 0x1FU;
    } else if (lead >= 0xE0U && lead <= 0xEFU) {
        length = 3;
        code = lead & 0x0FU;
    } else if (lead >= 0xF0U && lead <= 0xF4U) {
        length = 4;
        code = lead & 0x07U;
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0U) != 0x80U) return 0;
        code = (code << 6U) | (byte(i + k) & 0x3FU);
    }
    // Overlong forms, UTF-16 surrogates and code points beyond U+10FFFF.
    if ((length == 3 && code < 0x800U) || (length == 4 && (code < 0x10000U || code > 0x10FFFFU)) ||
        (code >= 0xD800U && code <= 0xDFFFU))
        return 0;
    return length;
}

}  // namespace

std::string clean_text(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        std::size_t length = sequence_length(utf8, i);
        if (length == 0) {  // an invalid byte: a space, then resynchronise
            out += ' ';
            ++i;
            continue;
        }
        auto c = static_cast<std::uint8_t>(utf8[i]);
        if (length == 1 && (c < 0x20U || c == 0x7FU))
            out += ' ';
        else
            out.append(utf8.substr(i, length));
        i += length;
    }
    return out;
}

bool has_speech(std::string_view text) {
    for (char c : text) {
        auto byte = static_cast<std::uint8_t>(c);
        if (byte >= 0x80U || (byte >= '0' && byte <= '9') || ((byte | 0x20U) >= 'a' && (byte | 0x20U) <= 'z'))
            return true;
    }
    return false;
}

}  // namespace vox::espeak
