// Makes UTF-8 text from an LLM safe and sensible for flite, which reads
// bytes as Latin text: typographic punctuation becomes ASCII, accented Latin
// letters lose their accents, control characters become spaces, and other
// non-ASCII characters (emoji, CJK) are dropped rather than spelled out byte
// by byte.
#pragma once

#include <string>
#include <string_view>

namespace vox::flite {

std::string clean_text(std::string_view utf8);

// True when the text has something to say (a letter or a digit).
bool has_speech(std::string_view text);

}  // namespace vox::flite
