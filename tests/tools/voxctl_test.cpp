// voxctl end to end: the built binary, run as a person would, with the
// plugins built in this tree (found next to the executable by default).
#include "audio_test_support.hpp"
#include "voxctl_runner.hpp"

#include <vox/core/audio/level.hpp>
#include <vox/core/audio/wav.hpp>

#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace vox::test {
namespace {

TEST(Voxctl, TtsWritesAPlayable16kHzWavOfTheText) {
    const std::string text = "hello world this is a test of the voice system";
    std::string out = scratch("hello.wav");
    Result r = voxctl({"tts", "--provider", "flite", "--text", text, "--out", out});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "wrote " + out)) << r.out;
    audio::AudioBuffer wav = audio::read_wav(out);
    EXPECT_EQ(wav.sample_rate, 16000u);
    EXPECT_EQ(wav.channels, 1u);
    EXPECT_GT(wav.duration_seconds(), 1.5);
    EXPECT_GT(audio::rms_dbfs(wav.samples), -35.0);

    std::string recogniser = VOX_TEST_POCKETSPHINX;
    ASSERT_FALSE(recogniser.empty()) << "install pocketsphinx and pocketsphinx-en-us, then re-run cmake";
    FILE* pipe = popen(
        (shell_quote(recogniser) + " -infile " + shell_quote(out) + " -samprate 16000 -logfn /dev/null 2>/dev/null")
            .c_str(),
        "r");
    ASSERT_NE(pipe, nullptr);
    std::string heard;
    char buffer[512];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) heard.append(buffer, n);
    pclose(pipe);
    EXPECT_GE(word_overlap(text, heard), 0.6) << "pocketsphinx heard \"" << heard << "\"";
}

TEST(Voxctl, TtsHonoursRateVoiceAndJsonSummary) {
    std::string out = scratch("kal.wav");
    Result r = voxctl({"tts", "--provider", "tts.flite", "--voice", "kal", "--rate", "8000", "--speed", "1.2", "--text",
                       "Your call is important to us.", "--out", out, "--json"});
    ASSERT_EQ(r.status, 0) << r.err;
    auto summary = nlohmann::json::parse(r.out);
    EXPECT_EQ(summary.at("sample_rate"), 8000);
    EXPECT_EQ(summary.at("voice"), "kal");
    EXPECT_EQ(summary.at("provider"), "tts.flite");
    EXPECT_GT(summary.at("words").get<int>(), 4);
    EXPECT_LE(summary.at("first_audio_ms").get<double>(), summary.at("total_ms").get<double>());
    audio::AudioBuffer wav = audio::read_wav(out);
    EXPECT_EQ(wav.sample_rate, 8000u);
    EXPECT_NEAR(wav.duration_seconds(), summary.at("duration_s").get<double>(), 1e-6);
}

TEST(Voxctl, TtsReadsStdinAndWritesWavToStdout) {
    Result r = voxctl({"tts", "--text", "-", "--out", "-"}, "", "Good morning. How can I help?\n");
    ASSERT_EQ(r.status, 0) << r.err;
    std::vector<std::uint8_t> bytes(r.out.begin(), r.out.end());
    audio::AudioBuffer wav = audio::decode_wav(bytes);
    EXPECT_EQ(wav.sample_rate, 16000u);
    EXPECT_GT(wav.duration_seconds(), 1.0);
    EXPECT_TRUE(contains(r.err, "wrote WAV to stdout")) << r.err;  // the summary moves to stderr
}

TEST(Voxctl, BadUsageIsExplainedWithNonzeroExit) {
    std::string out = scratch("never.wav");
    struct Case {
        std::vector<std::string> args;
        int status;
        std::vector<std::string> says;
    };
    const std::vector<Case> cases = {
        {{"tts", "--provider", "nope", "--text", "hi", "--out", out}, 2, {"no TTS provider 'nope'", "tts.flite"}},
        {{"tts", "--provider", "flite", "--out", out}, 2, {"missing required option --text", "Usage: voxctl tts"}},
        {{"tts", "--text", "hi"}, 2, {"missing required option --out"}},
        {{"tts", "--text", "   ", "--out", out}, 2, {"--text is empty"}},
        {{"tts", "--text", "hi", "--out", out, "--rate", "fast"}, 2, {"--rate must be a whole number"}},
        {{"tts", "--text", "hi", "--out", out, "--frobnicate"}, 2, {"unknown option --frobnicate"}},
        {{"tts", "--text"}, 2, {"option --text needs a value"}},
        {{"tts", "--text", "hi", "--out", out, "--voice", "nobody"}, 1, {"unknown flite voice 'nobody'", "slt"}},
        {{"tts", "--text", "hi", "--out", out, "--settings", "[1]"}, 2, {"--settings must be a JSON object"}},
        {{}, 2, {"no command given", "Commands:"}},
        {{"teleport"}, 2, {"unknown command 'teleport'"}},
        {{"--log-level", "loud", "plugins"}, 2, {"--log-level must be one of"}},
    };
    for (const auto& c : cases) {
        Result r = voxctl(c.args);
        std::string shown;
        for (const auto& a : c.args) shown += " " + a;
        EXPECT_EQ(r.status, c.status) << "voxctl" << shown << "\n" << r.err;
        for (const auto& text : c.says) EXPECT_TRUE(contains(r.err, text)) << "voxctl" << shown << "\n" << r.err;
        EXPECT_FALSE(std::filesystem::exists(out)) << "voxctl" << shown;
    }
}

TEST(Voxctl, HelpForTheToolAndEachCommand) {
    Result main_help = voxctl({"--help"});
    EXPECT_EQ(main_help.status, 0);
    for (const char* text : {"Usage: voxctl", "tts", "plugins", "--log-level"})
        EXPECT_TRUE(contains(main_help.out, text)) << main_help.out;

    for (const auto& args : std::vector<std::vector<std::string>>{{"tts", "--help"}, {"help", "tts"}, {"tts", "-h"}}) {
        Result r = voxctl(args);
        EXPECT_EQ(r.status, 0) << r.err;
        for (const char* option : {"--provider", "--text", "--out", "--voice", "--rate", "--plugin-path"})
            EXPECT_TRUE(contains(r.out, option)) << r.out;
    }
    Result plugins_help = voxctl({"plugins", "--help"});
    EXPECT_EQ(plugins_help.status, 0);
    EXPECT_TRUE(contains(plugins_help.out, "--json"));
    Result version = voxctl({"--version"});
    EXPECT_EQ(version.status, 0);
    EXPECT_TRUE(contains(version.out, "voxctl ")) << version.out;
}

TEST(Voxctl, PluginsListsProvidersAndRefusedPluginsWithReasons) {
    std::string dir = scratch("plugins");
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/broken.so") << "not a shared library\n";

    Result text = voxctl({"plugins", "--plugin-path", dir});
    ASSERT_EQ(text.status, 0) << text.err;
    EXPECT_TRUE(contains(text.out, "tts.flite")) << text.out;
    EXPECT_TRUE(contains(text.out, "voices: slt")) << text.out;
    EXPECT_TRUE(contains(text.out, "Refused plugins:")) << text.out;
    EXPECT_TRUE(contains(text.out, dir + "/broken.so")) << text.out;
    EXPECT_TRUE(contains(text.out, "cannot open the shared library")) << text.out;

    Result json = voxctl({"plugins", "--json"}, "VOX_PLUGIN_PATH=" + shell_quote(dir));
    ASSERT_EQ(json.status, 0) << json.err;
    auto document = nlohmann::json::parse(json.out);
    EXPECT_EQ(document.at("search_path").at(0), std::filesystem::weakly_canonical(dir).string());
    bool flite = false;
    for (const auto& provider : document.at("providers"))
        if (provider.at("key") == "tts.flite") {
            flite = true;
            EXPECT_EQ(provider.at("capabilities").at("voices").size(), 5u);
        }
    EXPECT_TRUE(flite) << json.out;
    // The broken file, once (a built-in plugin may be refused too, e.g.
    // llm.openai when no OPENAI_API_KEY is set).
    std::size_t broken = 0;
    for (const auto& refused : document.at("refused"))
        if (contains(refused.dump(), "broken.so")) ++broken;
    EXPECT_EQ(broken, 1u) << json.out;
}

TEST(Voxctl, PluginPathOptionFindsPluginsElsewhere) {
    // The plugin directory named explicitly comes first on the search path.
    Result r = voxctl({"plugins", "--json", "--plugin-path", VOX_TEST_FLITE_PLUGIN_DIR});
    ASSERT_EQ(r.status, 0) << r.err;
    auto document = nlohmann::json::parse(r.out);
    EXPECT_EQ(document.at("search_path").at(0), std::filesystem::weakly_canonical(VOX_TEST_FLITE_PLUGIN_DIR).string());
    EXPECT_TRUE(contains(r.out, "\"tts.flite\""));
}

}  // namespace
}  // namespace vox::test
