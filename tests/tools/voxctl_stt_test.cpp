// voxctl stt end to end: the built binary with the plugins built in this tree
// (found next to the executable). Speech is made with 'voxctl tts' (flite).
#include "audio_test_support.hpp"
#include "voxctl_runner.hpp"

#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace vox::test {
namespace {

const char* const kSentence = "I would like to change my appointment to next Monday morning";

// kSentence spoken by flite (slt) into a WAV file at `rate`.
std::string speech_file(const std::string& name, int rate) {
    std::string path = scratch(name);
    Result made = voxctl({"tts", "--voice", "slt", "--rate", std::to_string(rate), "--text", kSentence, "--out", path});
    EXPECT_EQ(made.status, 0) << made.err;
    return path;
}

TEST(VoxctlStt, TranscribesAWavFile) {
    std::string wav = speech_file("speech16.wav", 16000);
    Result text = voxctl({"stt", wav});
    ASSERT_EQ(text.status, 0) << text.err;
    EXPECT_GE(word_overlap(kSentence, text.out), 0.6) << text.out;

    Result json = voxctl({"stt", "--provider", "pocketsphinx", "--json", wav});
    ASSERT_EQ(json.status, 0) << json.err;
    auto result = nlohmann::json::parse(json.out);
    std::printf("voxctl stt --json: %s\n", json.out.c_str());
    EXPECT_GE(word_overlap(kSentence, result.at("text").get<std::string>()), 0.6) << json.out;
    ASSERT_EQ(result.at("segments").size(), 1U) << json.out;
    const auto& segment = result.at("segments").at(0);
    EXPECT_EQ(segment.at("text"), result.at("text"));
    EXPECT_LT(segment.at("start_ms").get<int>(), segment.at("end_ms").get<int>());
    EXPECT_GE(segment.at("confidence").get<double>(), -1.0);
    EXPECT_GT(result.at("audio_seconds").get<double>(), 2.0);
    EXPECT_GT(result.at("decode_seconds").get<double>(), 0.0);
    EXPECT_EQ(result.at("provider_sample_rate"), 16000);
}

TEST(VoxctlStt, TranscribesTelephoneAndResampledAudio) {
    for (int rate : {8000, 44100}) {
        std::string wav = speech_file("speech" + std::to_string(rate) + ".wav", rate);
        Result json = voxctl({"stt", "--json", wav});
        ASSERT_EQ(json.status, 0) << json.err;
        auto result = nlohmann::json::parse(json.out);
        std::printf("%d Hz: %s\n", rate, json.out.c_str());
        EXPECT_EQ(result.at("sample_rate"), rate);
        EXPECT_EQ(result.at("provider_sample_rate"), rate == 8000 ? 8000 : 16000);
        EXPECT_GE(word_overlap(kSentence, result.at("text").get<std::string>()), rate == 8000 ? 0.4 : 0.6)
            << json.out;
    }
}

TEST(VoxctlStt, BadInputIsAClearError) {
    Result missing = voxctl({"stt", scratch("nowhere.wav")});
    EXPECT_EQ(missing.status, 1);
    EXPECT_TRUE(contains(missing.err, "no such file")) << missing.err;

    std::string text_file = scratch("not-a-wav.wav");
    std::ofstream(text_file) << "this is not audio\n";
    Result not_wav = voxctl({"stt", text_file});
    EXPECT_EQ(not_wav.status, 1);
    EXPECT_TRUE(contains(not_wav.err, "not a readable WAV")) << not_wav.err;

    std::string wav = speech_file("speech.wav", 16000);
    Result unknown = voxctl({"stt", "--provider", "nosuch", wav});
    EXPECT_EQ(unknown.status, 2);
    EXPECT_TRUE(contains(unknown.err, "no STT provider 'nosuch'")) << unknown.err;
    EXPECT_TRUE(contains(unknown.err, "stt.pocketsphinx")) << unknown.err;

    Result none = voxctl({"stt"});
    EXPECT_EQ(none.status, 2);
    EXPECT_TRUE(contains(none.err, "no WAV file given")) << none.err;

    Result bad_settings = voxctl({"stt", "--settings", "{\"language\":\"de-DE\"}", wav});
    EXPECT_EQ(bad_settings.status, 1);
    EXPECT_TRUE(contains(bad_settings.err, "de-DE")) << bad_settings.err;

    Result help = voxctl({"stt", "--help"});
    EXPECT_EQ(help.status, 0);
    EXPECT_TRUE(contains(help.out, "voxctl stt")) << help.out;
}

}  // namespace
}  // namespace vox::test
