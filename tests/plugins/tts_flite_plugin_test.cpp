// The tts_flite plugin as the host sees it: registration, capabilities,
// settings, audio format and errors.
#include "flite_test_support.hpp"

#include <vox/core/audio/level.hpp>

#include <set>

namespace vox::test {
namespace {

using FlitePlugin = FliteFixture;

const std::set<std::string> kVoices = {"slt", "rms", "awb", "kal16", "kal"};

TEST_F(FlitePlugin, RegistersProviderTtsFlite) {
    EXPECT_EQ(flite().kind, ProviderKind::tts);
    EXPECT_EQ(flite().plugin->name, "flite");
    EXPECT_TRUE(registry_.refused().empty());
    EXPECT_FALSE(flite().description.empty());
}

// Nothing but the entry point may be visible: no flite or std:: symbol of
// this plugin can then clash with another plugin's or the host's.
TEST(FlitePluginFile, ExportsOnlyTheEntryPoint) {
    std::string command = std::string("nm -D --defined-only '") + VOX_TEST_FLITE_PLUGIN + "'";
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

TEST_F(FlitePlugin, CapabilitiesListEveryVoiceWithItsRate) {
    const nlohmann::json& caps = flite().capabilities;
    EXPECT_EQ(caps.at("streaming"), true);
    EXPECT_EQ(caps.at("languages"), nlohmann::json({"en-US"}));
    EXPECT_EQ(caps.at("sample_rates"), nlohmann::json({8000, 16000}));
    std::set<std::string> ids;
    for (const auto& voice : caps.at("voices")) {
        ids.insert(voice.at("id").get<std::string>());
        EXPECT_FALSE(voice.at("name").get<std::string>().empty());
        EXPECT_TRUE(voice.at("gender") == "male" || voice.at("gender") == "female") << voice;
        EXPECT_EQ(voice.at("language"), "en-US");
        std::uint32_t expected = voice.at("id") == "kal" ? 8000 : 16000;
        EXPECT_EQ(voice.at("sample_rate"), expected) << voice;
    }
    EXPECT_EQ(ids, kVoices);
    EXPECT_TRUE(ids.count(caps.at("default_voice").get<std::string>()));
}

TEST_F(FlitePlugin, SettingsSchemaDescribesVoiceAndSpeed) {
    const nlohmann::json& schema = flite().settings_schema;
    EXPECT_EQ(schema.at("type"), "object");
    EXPECT_EQ(schema.at("additionalProperties"), false);
    auto voices = schema.at("properties").at("voice").at("enum").get<std::set<std::string>>();
    EXPECT_EQ(voices, kVoices);
    EXPECT_EQ(schema.at("properties").at("speed").at("minimum"), 0.5);
    EXPECT_EQ(schema.at("properties").at("speed").at("maximum"), 2.0);
}

// Each voice really speaks at the rate its capabilities declare, with energy.
TEST_F(FlitePlugin, EveryVoiceSpeaksAtItsDeclaredRate) {
    for (const auto& voice : flite().capabilities.at("voices")) {
        std::string id = voice.at("id");
        audio::AudioBuffer audio = speak(flite(), "Testing one two three.", {{"voice", id}}, 0);
        EXPECT_EQ(audio.sample_rate, voice.at("sample_rate").get<std::uint32_t>()) << id;
        EXPECT_EQ(audio.channels, 1u) << id;
        EXPECT_GT(audio.duration_seconds(), 0.6) << id;
        EXPECT_LT(audio.duration_seconds(), 4.0) << id;
        EXPECT_GT(audio::rms_dbfs(audio.samples), -35.0) << id;
    }
}

TEST_F(FlitePlugin, DeliversSixteenKilohertzThroughTheClient) {
    audio::AudioBuffer slt = speak(flite(), "Hello world, this is a test.", {{"voice", "slt"}}, 16000);
    EXPECT_EQ(slt.sample_rate, 16000u);
    EXPECT_GT(slt.duration_seconds(), 1.0);
    EXPECT_GT(audio::rms_dbfs(slt.samples), -35.0);

    // kal speaks at 8 kHz: the client resamples it, keeping its duration.
    audio::AudioBuffer native = speak(flite(), "Hello world, this is a test.", {{"voice", "kal"}}, 0);
    audio::AudioBuffer kal = speak(flite(), "Hello world, this is a test.", {{"voice", "kal"}}, 16000);
    ASSERT_EQ(native.sample_rate, 8000u);
    EXPECT_EQ(kal.sample_rate, 16000u);
    EXPECT_NEAR(kal.duration_seconds(), native.duration_seconds(), 0.01);
    EXPECT_NEAR(audio::rms_dbfs(kal.samples), audio::rms_dbfs(native.samples), 1.0);
}

TEST_F(FlitePlugin, ReportsWordTimingsInOrder) {
    std::vector<Word> words;
    audio::AudioBuffer audio = speak(flite(), "Hello world. Good morning everyone.", {}, 0, &words);
    ASSERT_EQ(words.size(), 5u);
    EXPECT_EQ(words[0].text, "hello");
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
    EXPECT_GT(words[2].start_ms, words[1].end_ms);
}

TEST_F(FlitePlugin, SpeedChangesDuration) {
    const std::string text = "The quick brown fox jumps over the lazy dog.";
    double slow = speak(flite(), text, {{"speed", 0.5}}, 0).duration_seconds();
    double normal = speak(flite(), text, {}, 0).duration_seconds();
    double fast = speak(flite(), text, {{"speed", 2.0}}, 0).duration_seconds();
    EXPECT_GT(slow, normal * 1.5);
    EXPECT_LT(fast, normal * 0.7);
}

TEST_F(FlitePlugin, UnknownVoiceIsAClearError) {
    Capture capture;
    TtsOptions options;
    options.settings = {{"voice", "nobody"}};
    try {
        TtsClient client(flite(), capture.callbacks(), options);
        FAIL() << "opened a session with an unknown voice";
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.code(), VOX_ERR_UNSUPPORTED);
        EXPECT_EQ(e.provider_key(), "tts.flite");
        std::string message = e.what();
        EXPECT_NE(message.find("unknown flite voice 'nobody'"), std::string::npos) << message;
        EXPECT_NE(message.find("slt"), std::string::npos) << message;  // says what exists
    }
}

TEST_F(FlitePlugin, BadSettingsAreRejectedWithTheReason) {
    auto open_error = [&](const nlohmann::json& settings) -> std::string {
        Capture capture;
        TtsOptions options;
        options.settings = settings;
        try {
            TtsClient client(flite(), capture.callbacks(), options);
        } catch (const ProviderError& e) {
            EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT) << e.what();
            return e.what();
        }
        ADD_FAILURE() << "accepted " << settings;
        return {};
    };
    EXPECT_NE(open_error({{"speed", 5}}).find("\"speed\" must be from 0.5 to 2"), std::string::npos);
    EXPECT_NE(open_error({{"speed", "fast"}}).find("\"speed\" must be a number"), std::string::npos);
    EXPECT_NE(open_error({{"voice", 7}}).find("\"voice\" must be a string"), std::string::npos);
    EXPECT_NE(open_error({{"volume", 1}}).find("unknown setting \"volume\""), std::string::npos);
}

// Below the client: malformed JSON straight through the ABI.
TEST_F(FlitePlugin, MalformedSettingsJsonIsInvalidArgument) {
    const auto& vtable = flite().vtable<vox_tts_vtable>();
    vox_tts_callbacks callbacks{sizeof(vox_tts_callbacks), nullptr, nullptr, nullptr, nullptr, nullptr};
    vox_tts_session* session = nullptr;
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    EXPECT_EQ(vtable.open(flite().plugin_context(), "{\"voice\": ", &callbacks, &session, &err),
              VOX_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(session, nullptr);
    EXPECT_NE(std::string(err.message).find("not valid JSON"), std::string::npos) << err.message;
    EXPECT_EQ(vtable.open(flite().plugin_context(), "[1,2]", &callbacks, &session, &err), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(err.message).find("must be a JSON object"), std::string::npos) << err.message;
}

TEST_F(FlitePlugin, EmptyContextIsDoneWithoutAudio) {
    Capture capture;
    TtsClient client(flite(), capture.callbacks());
    client.push_text(3, "  ... ");
    client.flush(3);
    ASSERT_TRUE(capture.wait_done(3));
    EXPECT_TRUE(capture.done(3));
    EXPECT_EQ(capture.chunks(3), 0u);
}

TEST_F(FlitePlugin, TextAfterFlushIsRefused) {
    Capture capture;
    TtsClient client(flite(), capture.callbacks());
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

TEST_F(FlitePlugin, ContextsOfOneSessionStaySeparate) {
    Capture capture;
    TtsClient client(flite(), capture.callbacks(), {{}, 16000});
    client.push_text(1, "First utterance, fairly short.");
    client.push_text(2, "The second utterance is quite a lot longer than the first one, by design.");
    client.flush(2);
    client.flush(1);
    ASSERT_TRUE(capture.wait_done(1));
    ASSERT_TRUE(capture.wait_done(2));
    EXPECT_GT(capture.audio(2).duration_seconds(), capture.audio(1).duration_seconds() * 1.5);
}

TEST_F(FlitePlugin, PluginConfigSetsSessionDefaults) {
    // A second registry whose configuration makes kal the default voice.
    HostServices host;
    RegistryOptions options;
    options.settings_for = [](const std::string&) { return nlohmann::json{{"voice", "kal"}}; };
    PluginRegistry registry(host, options);
    ASSERT_TRUE(PluginLoader(registry).load_file(VOX_TEST_FLITE_PLUGIN));
    audio::AudioBuffer audio = speak(*registry.find("tts.flite"), "Hello.", {}, 0);
    EXPECT_EQ(audio.sample_rate, 8000u);  // kal's rate: the configured default was used

    HostServices host2;
    RegistryOptions bad;
    bad.settings_for = [](const std::string&) { return nlohmann::json{{"voice", "nobody"}}; };
    PluginRegistry refused(host2, bad);
    EXPECT_FALSE(PluginLoader(refused).load_file(VOX_TEST_FLITE_PLUGIN));
    ASSERT_EQ(refused.refused().size(), 1u);
    EXPECT_NE(refused.refused()[0].reason.find("unknown flite voice 'nobody'"), std::string::npos)
        << refused.refused()[0].reason;
}

}  // namespace
}  // namespace vox::test
