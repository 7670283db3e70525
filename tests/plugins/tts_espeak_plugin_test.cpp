// The tts_espeak plugin as the host sees it: registration, capabilities,
// settings, audio format, word timings and errors.
#include "espeak_test_support.hpp"

#include <vox/core/audio/level.hpp>

#include <set>

namespace vox::test {
namespace {

using EspeakPlugin = EspeakFixture;

const std::set<std::string> kVoices = {"en-us+klatt", "en-us",    "en-us+f3", "en-us+m3", "en-gb+klatt",
                                       "en-gb",       "en-gb+f3", "de",       "fr",       "es"};

TEST_F(EspeakPlugin, RegistersProviderTtsEspeak) {
    EXPECT_EQ(espeak().kind, ProviderKind::tts);
    EXPECT_EQ(espeak().plugin->name, "espeak");
    EXPECT_TRUE(registry_.refused().empty());
    EXPECT_FALSE(espeak().description.empty());
}

TEST(EspeakPluginFile, ExportsOnlyTheEntryPoint) {
    std::string command = std::string("nm -D --defined-only '") + VOX_TEST_ESPEAK_PLUGIN + "'";
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::vector<std::string> symbols;
    char line[1024];
    while (std::fgets(line, sizeof line, pipe) != nullptr) {
        std::istringstream fields(line);
        std::string address, type, name;
        if (fields >> address >> type >> name) symbols.push_back(name);
    }
    ASSERT_EQ(pclose(pipe), 0) << command;
    EXPECT_EQ(symbols, std::vector<std::string>{"vox_plugin_entry"});
}

TEST_F(EspeakPlugin, CapabilitiesListVoicesLanguagesAndTheNativeRate) {
    const nlohmann::json& caps = espeak().capabilities;
    EXPECT_EQ(caps.at("streaming"), true);
    EXPECT_EQ(caps.at("word_timing"), true);
    EXPECT_EQ(caps.at("sample_rates"), nlohmann::json({22050}));
    EXPECT_EQ(caps.at("languages").get<std::set<std::string>>(),
              (std::set<std::string>{"en-US", "en-GB", "de-DE", "fr-FR", "es-ES"}));
    std::set<std::string> ids;
    for (const auto& voice : caps.at("voices")) {
        ids.insert(voice.at("id").get<std::string>());
        EXPECT_FALSE(voice.at("name").get<std::string>().empty());
        EXPECT_TRUE(voice.at("gender") == "male" || voice.at("gender") == "female") << voice;
        EXPECT_EQ(voice.at("sample_rate"), 22050) << voice;
    }
    EXPECT_EQ(ids, kVoices);
    EXPECT_EQ(caps.at("default_voice"), "en-us+klatt");
}

TEST_F(EspeakPlugin, SettingsSchemaDescribesVoiceRateAndPitch) {
    const nlohmann::json& schema = espeak().settings_schema;
    EXPECT_EQ(schema.at("type"), "object");
    EXPECT_EQ(schema.at("additionalProperties"), false);
    const auto& properties = schema.at("properties");
    EXPECT_EQ(properties.at("voice").at("enum").get<std::set<std::string>>(), kVoices);
    EXPECT_EQ(properties.at("rate").at("minimum"), 80);
    EXPECT_EQ(properties.at("rate").at("maximum"), 450);
    EXPECT_EQ(properties.at("rate").at("default"), 175);
    EXPECT_EQ(properties.at("pitch").at("minimum"), 0);
    EXPECT_EQ(properties.at("pitch").at("maximum"), 100);
}

// Every voice loads and speaks at 22050 Hz, mono, with energy.
TEST_F(EspeakPlugin, EveryVoiceSpeaksAtTheNativeRate) {
    for (const auto& id : kVoices) {
        audio::AudioBuffer audio = speak(espeak(), "Testing one two three.", {{"voice", id}}, 0);
        EXPECT_EQ(audio.sample_rate, 22050u) << id;
        EXPECT_EQ(audio.channels, 1u) << id;
        EXPECT_GT(audio.duration_seconds(), 0.6) << id;
        EXPECT_LT(audio.duration_seconds(), 4.0) << id;
        EXPECT_GT(audio::rms_dbfs(audio.samples), -35.0) << id;
    }
}

TEST_F(EspeakPlugin, DeliversSixteenKilohertzThroughTheClient) {
    audio::AudioBuffer native = speak(espeak(), "Hello world, this is a test.", {}, 0);
    audio::AudioBuffer resampled = speak(espeak(), "Hello world, this is a test.", {}, 16000);
    ASSERT_EQ(native.sample_rate, 22050u);
    EXPECT_EQ(resampled.sample_rate, 16000u);
    // espeak-ng varies a little from run to run (random flutter and noise,
    // state carried between syntheses): lengths agree to a few pitch periods.
    EXPECT_NEAR(resampled.duration_seconds(), native.duration_seconds(), 0.04);
    EXPECT_NEAR(audio::rms_dbfs(resampled.samples), audio::rms_dbfs(native.samples), 1.0);
}

TEST_F(EspeakPlugin, ReportsWordTimingsInOrder) {
    std::vector<Word> words;
    audio::AudioBuffer audio = speak(espeak(), "Hello world. Good morning everyone.", {}, 0, &words);
    ASSERT_EQ(words.size(), 5u);
    EXPECT_EQ(words[0].text, "Hello");
    EXPECT_EQ(words[1].text, "world");
    EXPECT_EQ(words[4].text, "everyone");
    auto audio_ms = static_cast<std::uint32_t>(audio.duration_seconds() * 1000);
    for (std::size_t i = 0; i < words.size(); ++i) {
        EXPECT_LT(words[i].start_ms, words[i].end_ms) << words[i].text;
        EXPECT_LE(words[i].end_ms, audio_ms + 50) << words[i].text;
        if (i > 0) {
            EXPECT_GE(words[i].start_ms, words[i - 1].end_ms) << words[i].text;
        }
    }
    // The second sentence's words are offset by the first sentence's audio.
    EXPECT_GE(words[2].start_ms, words[1].end_ms);
    EXPECT_GT(words[2].start_ms, 500u);
}

TEST_F(EspeakPlugin, WordsKeepTheirAccents) {
    std::vector<Word> words;
    speak(espeak(), "Un café à Paris.", {{"voice", "fr"}}, 0, &words);
    std::vector<std::string> texts;
    for (const auto& word : words) texts.push_back(word.text);
    EXPECT_EQ(texts, (std::vector<std::string>{"Un", "café", "à", "Paris"}));
}

TEST_F(EspeakPlugin, RateChangesDuration) {
    const std::string text = "The quick brown fox jumps over the lazy dog.";
    double slow = speak(espeak(), text, {{"rate", 100}}, 0).duration_seconds();
    double normal = speak(espeak(), text, {}, 0).duration_seconds();
    double fast = speak(espeak(), text, {{"rate", 350}}, 0).duration_seconds();
    double doubled = speak(espeak(), text, {{"speed", 2.0}}, 0).duration_seconds();
    EXPECT_GT(slow, normal * 1.4);
    EXPECT_LT(fast, normal * 0.7);
    EXPECT_NEAR(doubled, fast, fast * 0.05);  // speed 2 = 350 words per minute
}

TEST_F(EspeakPlugin, PitchChangesTheVoiceNotTheLength) {
    const std::string text = "Pitch test sentence.";
    audio::AudioBuffer low = speak(espeak(), text, {{"pitch", 10}}, 0);
    audio::AudioBuffer high = speak(espeak(), text, {{"pitch", 90}}, 0);
    EXPECT_NEAR(low.duration_seconds(), high.duration_seconds(), 0.1);
    EXPECT_NE(low.samples, high.samples);
}

TEST_F(EspeakPlugin, UnknownVoiceIsAClearError) {
    Capture capture;
    TtsOptions options;
    options.settings = {{"voice", "en-us+nobody"}};  // espeak itself would ignore the unknown variant
    try {
        TtsClient client(espeak(), capture.callbacks(), options);
        FAIL() << "opened a session with an unknown voice";
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.code(), VOX_ERR_UNSUPPORTED);
        EXPECT_EQ(e.provider_key(), "tts.espeak");
        std::string message = e.what();
        EXPECT_NE(message.find("unknown espeak voice 'en-us+nobody'"), std::string::npos) << message;
        EXPECT_NE(message.find("en-us+f3"), std::string::npos) << message;  // says what exists
    }
}

TEST_F(EspeakPlugin, BadSettingsAreRejectedWithTheReason) {
    auto open_error = [&](const nlohmann::json& settings) -> std::string {
        Capture capture;
        TtsOptions options;
        options.settings = settings;
        try {
            TtsClient client(espeak(), capture.callbacks(), options);
        } catch (const ProviderError& e) {
            EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT) << e.what();
            return e.what();
        }
        ADD_FAILURE() << "accepted " << settings;
        return {};
    };
    EXPECT_NE(open_error({{"rate", 600}}).find("\"rate\" must be from 80 to 450"), std::string::npos);
    EXPECT_NE(open_error({{"rate", 150.5}}).find("\"rate\" must be a whole number"), std::string::npos);
    EXPECT_NE(open_error({{"pitch", -1}}).find("\"pitch\" must be from 0 to 100"), std::string::npos);
    EXPECT_NE(open_error({{"pitch", "high"}}).find("\"pitch\" must be a number"), std::string::npos);
    EXPECT_NE(open_error({{"rate", 400}, {"speed", 2}}).find("800 words per minute"), std::string::npos);
    EXPECT_NE(open_error({{"voice", 7}}).find("\"voice\" must be a string"), std::string::npos);
    EXPECT_NE(open_error({{"volume", 1}}).find("unknown setting \"volume\""), std::string::npos);
}

// Below the client: malformed JSON straight through the ABI.
TEST_F(EspeakPlugin, MalformedSettingsJsonIsInvalidArgument) {
    const auto& vtable = espeak().vtable<vox_tts_vtable>();
    vox_tts_callbacks callbacks{sizeof(vox_tts_callbacks), nullptr, nullptr, nullptr, nullptr, nullptr};
    vox_tts_session* session = nullptr;
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    EXPECT_EQ(vtable.open(espeak().plugin_context(), "{\"voice\": ", &callbacks, &session, &err),
              VOX_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(session, nullptr);
    EXPECT_NE(std::string(err.message).find("not valid JSON"), std::string::npos) << err.message;
    EXPECT_EQ(vtable.open(espeak().plugin_context(), "[1,2]", &callbacks, &session, &err), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(err.message).find("must be a JSON object"), std::string::npos) << err.message;
}

TEST_F(EspeakPlugin, EmptyContextIsDoneWithoutAudio) {
    Capture capture;
    TtsClient client(espeak(), capture.callbacks());
    client.push_text(3, "  ... ");
    client.flush(3);
    ASSERT_TRUE(capture.wait_done(3));
    EXPECT_TRUE(capture.done(3));
    EXPECT_EQ(capture.chunks(3), 0u);
}

TEST_F(EspeakPlugin, MangledTextIsStillSpoken) {
    // A NUL, control characters and a UTF-8 sequence cut in half.
    std::string text = std::string("Hello\0there", 11) + "\x01\x7f wor\xc3ld \xe2\x82.";
    audio::AudioBuffer audio = speak(espeak(), text, {}, 0);
    EXPECT_GT(audio.duration_seconds(), 0.5);
}

TEST_F(EspeakPlugin, TextAfterFlushIsRefused) {
    Capture capture;
    TtsClient client(espeak(), capture.callbacks());
    client.push_text(1, "Hello.");
    client.flush(1);
    try {
        client.push_text(1, "More text.");
        FAIL() << "push_text after flush was accepted";
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT);
        EXPECT_NE(std::string(e.what()).find("already flushed"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(capture.wait_done(1));
}

TEST_F(EspeakPlugin, PluginConfigSetsSessionDefaults) {
    // A second registry (same process, same espeak-ng) whose configuration
    // makes the speech slow by default.
    const std::string text = "Configured defaults apply to every session.";
    double normal = speak(espeak(), text, {}, 0).duration_seconds();
    HostServices host;
    RegistryOptions options;
    options.settings_for = [](const std::string&) { return nlohmann::json{{"rate", 90}}; };
    PluginRegistry registry(host, options);
    ASSERT_TRUE(PluginLoader(registry).load_file(VOX_TEST_ESPEAK_PLUGIN));
    EXPECT_GT(speak(*registry.find("tts.espeak"), text, {}, 0).duration_seconds(), normal * 1.5);

    HostServices host2;
    RegistryOptions bad;
    bad.settings_for = [](const std::string&) { return nlohmann::json{{"voice", "nobody"}}; };
    PluginRegistry refused(host2, bad);
    EXPECT_FALSE(PluginLoader(refused).load_file(VOX_TEST_ESPEAK_PLUGIN));
    ASSERT_EQ(refused.refused().size(), 1u);
    EXPECT_NE(refused.refused()[0].reason.find("unknown espeak voice 'nobody'"), std::string::npos)
        << refused.refused()[0].reason;
}

}  // namespace
}  // namespace vox::test
