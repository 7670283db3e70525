// Makes streamed UTF-8 text safe for espeak-ng, which reads UTF-8 itself (so
// accents and other scripts stay): invalid byte sequences and control
// characters become spaces, so a token cut mid-character or a stray NUL
// cannot derail the translator.
#pragma once

#include <string>
#include <string_view>

namespace vox::espeak {

std::string clean_text(std::string_view utf8);

// True when the text has something to say: an ASCII letter or digit, or any
// non-ASCII character (a letter of another script, an emoji espeak names).
bool has_speech(std::string_view text);

}  // namespace vox::espeak
