// Is espeak-ng's speech intelligible? Ten sentences, spoken as one text and
// resampled to 16 kHz, are written to a WAV file and recognised back with
// pocketsphinx (Debian's en-us model); enough of the words must come back.
//
// pocketsphinx (trained on recorded speech) finds espeak's formant synthesis
// much harder than flite's recorded voices: the Klatt voices come back at
// about 50-60 % of the words, espeak's default sound at only 10-20 % (see
// the plugin's README). So the Klatt voices, the default, are held to a bar
// well below what they measure, which still catches a broken engine
// (silence, noise, a wrong rate, garbled text: flite's test shows those stay
// under 30 %); the others are measured and printed, not held to one.
#include "espeak_test_support.hpp"

namespace vox::test {
namespace {

using EspeakIntelligibility = EspeakFixture;

constexpr double kMinKlattOverlap = 0.35;

const char* const kSentences[] = {
    "hello world this is a test of the voice system",
    "please call me back tomorrow morning",
    "the weather today is sunny and warm",
    "thank you for calling how can I help you today",
    "I would like to check the balance of my account",
    "the quick brown fox jumps over the lazy dog",
    "please hold while I transfer your call",
    "your appointment is on monday at ten",
    "we will send you a confirmation email",
    "good morning and welcome to the support line",
};

double intelligibility(const Provider& espeak, const std::string& voice) {
    std::string text;
    for (const char* sentence : kSentences) text += std::string(sentence) + ". ";
    audio::AudioBuffer audio = speak(espeak, text, {{"voice", voice}}, 16000);
    EXPECT_EQ(audio.sample_rate, 16000u);
    std::string path = temp_path(voice + ".wav");
    audio::write_wav(path, audio.view());
    std::string heard = recognise(path);
    for (char& c : heard)
        if (c == '\n') c = ' ';
    double overlap = word_overlap(text, heard);
    std::printf("[ espeak   ] %-11s pocketsphinx heard %3.0f%% of the words: \"%s\"\n", voice.c_str(), overlap * 100,
                heard.c_str());
    return overlap;
}

TEST_F(EspeakIntelligibility, KlattVoicesAreRecognisedBackByPocketsphinx) {
    for (const char* voice : {"en-us+klatt", "en-gb+klatt"}) {
        double overlap = intelligibility(espeak(), voice);
        EXPECT_GE(overlap, kMinKlattOverlap) << voice << ": " << overlap * 100 << "% of the words";
    }
}

TEST_F(EspeakIntelligibility, OtherEnglishVoicesAreMeasured) {
    for (const char* voice : {"en-us", "en-us+f3", "en-gb"}) {
        double overlap = intelligibility(espeak(), voice);
        EXPECT_GT(overlap, 0.0) << voice << ": pocketsphinx heard none of the words";
    }
}

}  // namespace
}  // namespace vox::test
