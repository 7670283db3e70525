#include "text_cleanup.hpp"

#include <cctype>
#include <cstdint>

namespace vox::flite {
namespace {

// Decodes one UTF-8 sequence at text[i]; returns the code point and advances
// i, or returns 0xFFFD for a malformed byte (skipping just that byte).
std::uint32_t next_code_point(std::string_view text, std::size_t& i) {
    auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
    std::uint8_t lead = byte(i);
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x6  ? 2
                         : (lead >> 4) == 0xE  ? 3
                         : (lead >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || i + length > text.size()) {
        ++i;
        return 0xFFFD;
    }
    std::uint32_t cp = length == 1   ? lead
                       : length == 2 ? (lead & 0x1Fu)
                       : length == 3 ? (lead & 0x0Fu)
                                     : (lead & 0x07u);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    i += length;
    return cp;
}

// ASCII base letters of U+00C0..U+00FF ('_' = no sensible letter).
constexpr std::string_view kLatin1Letters =
    "AAAAAAACEEEEIIII"   // C0-CF (Æ → A)
    "DNOOOOO_OUUUUYTs"   // D0-DF (× dropped, Þ → T, ß → s)
    "aaaaaaaceeeeiiii"   // E0-EF
    "dnooooo_ouuuuyty";  // F0-FF (÷ dropped)

}  // namespace

std::string clean_text(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        std::uint32_t cp = next_code_point(utf8, i);
        if (cp < 0x80) {
            out += std::iscntrl(static_cast<int>(cp)) != 0 && cp != '\n' ? ' ' : static_cast<char>(cp);
        } else if (cp >= 0xC0 && cp <= 0xFF) {
            char letter = kLatin1Letters[cp - 0xC0];
            if (letter != '_') out += letter;
            if (cp == 0xC6 || cp == 0xE6) out += cp == 0xC6 ? 'E' : 'e';  // Æ, æ
            if (cp == 0xDF) out += 's';                                   // ß
        } else {
            switch (cp) {
            case 0x00A0:
            case 0x2002:
            case 0x2003:
            case 0x2009:
            case 0x202F: out += ' '; break;
            case 0x2018:
            case 0x2019:
            case 0x201A:
            case 0x2032: out += '\''; break;
            case 0x201C:
            case 0x201D:
            case 0x201E:
            case 0x2033: out += '"'; break;
            case 0x2013:
            case 0x2014:
            case 0x2015: out += ", "; break;  // dashes: a pause
            case 0x2026: out += "..."; break;
            case 0x2022:
            case 0x00B7: out += ", "; break;  // bullets
            case 0x00B0: out += " degrees "; break;
            default: break;  // emoji, CJK, malformed bytes: silently dropped
            }
        }
    }
    return out;
}

bool has_speech(std::string_view text) {
    for (char c : text)
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) return true;
    return false;
}

}  // namespace vox::flite
