// What tts_flite does to text before flite reads it.
#include "text_cleanup.hpp"

#include <gtest/gtest.h>

namespace vox::flite {
namespace {

TEST(TextCleanup, TypographicPunctuationBecomesAscii) {
    EXPECT_EQ(clean_text("It\xE2\x80\x99s \xE2\x80\x9C"
                         "fine\xE2\x80\x9D\xE2\x80\xA6"),
              "It's \"fine\"...");
    EXPECT_EQ(clean_text("now\xE2\x80\x94then"), "now, then");
}

TEST(TextCleanup, AccentsAreDroppedNotSpelledOut) {
    EXPECT_EQ(clean_text("caf\xC3\xA9 na\xC3\xAFve \xC3\x86sir stra\xC3\x9F"
                         "e"),
              "cafe naive AEsir strasse");
}

TEST(TextCleanup, EmojiControlAndMalformedBytesGo) {
    EXPECT_EQ(clean_text("hi \xF0\x9F\x98\x80 there\x01\tyou\xFF"), "hi  there  you");
    EXPECT_EQ(clean_text("line\nbreak"), "line\nbreak");
}

TEST(TextCleanup, HasSpeechNeedsALetterOrDigit) {
    EXPECT_TRUE(has_speech("a"));
    EXPECT_TRUE(has_speech("...42"));
    EXPECT_FALSE(has_speech(" ... !? "));
    EXPECT_FALSE(has_speech(""));
}

}  // namespace
}  // namespace vox::flite
