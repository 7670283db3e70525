// tts_espeak's text clean-up: valid UTF-8 passes untouched (espeak reads it),
// anything that could derail espeak's translator becomes a space.
#include "text_input.hpp"

#include <gtest/gtest.h>

namespace vox::espeak {
namespace {

TEST(EspeakTextInput, KeepsValidUtf8) {
    EXPECT_EQ(clean_text("Un café à Paris, 5 € — ça va?"), "Un café à Paris, 5 € — ça va?");
    EXPECT_EQ(clean_text("Grüße 😀"), "Grüße 😀");
}

TEST(EspeakTextInput, ControlCharactersBecomeSpaces) {
    EXPECT_EQ(clean_text(std::string("a\0b\tc\nd\x7f", 8)), "a b c d ");
}

TEST(EspeakTextInput, InvalidSequencesBecomeSpaces) {
    EXPECT_EQ(clean_text("caf\xc3"), "caf ");           // cut before its continuation byte
    EXPECT_EQ(clean_text("\xe2\x82."), "  .");          // cut three-byte sequence
    EXPECT_EQ(clean_text("\xc0\xaf"), "  ");            // overlong '/'
    EXPECT_EQ(clean_text("\xed\xa0\x80x"), "   x");     // UTF-16 surrogate
    EXPECT_EQ(clean_text("\xf5\x80\x80\x80"), "    ");  // beyond U+10FFFF
    EXPECT_EQ(clean_text("\x80\xbf ok"), "   ok");      // stray continuation bytes
}

TEST(EspeakTextInput, HasSpeechNeedsALetterOrDigit) {
    EXPECT_FALSE(has_speech("  ... !? "));
    EXPECT_FALSE(has_speech(""));
    EXPECT_TRUE(has_speech("... 7"));
    EXPECT_TRUE(has_speech("ok"));
    EXPECT_TRUE(has_speech("été"));
}

}  // namespace
}  // namespace vox::espeak
