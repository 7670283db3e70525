// POST /api/test/tts with the real tts.flite plugin: an agent's voice as a
// PCM16 mono WAV at the voice's own rate, fields overriding the agent's, and
// the refusals (unknown agent, a voice or provider not offered, too much text).
#include "api_server.hpp"

#include <vox/core/audio/wav.hpp>

namespace vox::apitest {
namespace {

audio::AudioBuffer wav_of(const Reply& reply) {
    std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(reply.body.data()), reply.body.size());
    return audio::decode_wav(bytes);
}

class TtsPreviewTest : public ApiTest {};

TEST_P(TtsPreviewTest, SpeaksWithTheAgentsVoiceAtItsOwnRate) {
    std::string agent = create_agent(Json{{"name", "Kal"}, {"voice", "kal"}})["id"];
    auto reply = api->post("/api/test/tts", {{"agent_id", agent}, {"text", "Your table is booked for seven."}});
    ASSERT_EQ(reply.status, 200) << reply.describe();
    EXPECT_EQ(reply.media_type(), "audio/wav");
    auto speech = wav_of(reply);
    EXPECT_EQ(speech.channels, 1u);
    EXPECT_EQ(speech.sample_rate, 8000u) << "kal speaks at 8 kHz";
    EXPECT_GT(speech.duration_seconds(), 1.0);
    EXPECT_LT(speech.duration_seconds(), 10.0);

    // An unsaved form: another voice for the same agent, at that voice's rate.
    auto other = api->post("/api/test/tts", {{"agent_id", agent}, {"voice", "slt"}, {"text", "Hello."}});
    ASSERT_EQ(other.status, 200) << other.describe();
    auto slt = wav_of(other);
    EXPECT_EQ(slt.sample_rate, 16000u);
    EXPECT_LT(slt.duration_seconds(), speech.duration_seconds()) << "a shorter text, a shorter answer";
}

TEST_P(TtsPreviewTest, WithoutAnAgentTheDefaultsAndTheSampleSentenceAreUsed) {
    auto reply = api->post("/api/test/tts", Json::object());
    ASSERT_EQ(reply.status, 200) << reply.describe();
    auto speech = wav_of(reply);
    EXPECT_EQ(speech.channels, 1u);
    EXPECT_GT(speech.duration_seconds(), 1.0);
    EXPECT_EQ(api->post("/api/test/tts", {{"tts_provider", "flite"}, {"voice", "awb"}}).status, 200);
}

TEST_P(TtsPreviewTest, ABadVoiceOrProviderIs422WithWhatIsAllowed) {
    std::string agent = create_agent("Voice check")["id"];
    auto bad_voice = api->post("/api/test/tts", {{"agent_id", agent}, {"voice", "hal9000"}});
    ASSERT_PROBLEM(bad_voice, 422, "validation_failed");
    Json voice_error = error_for(bad_voice, "/voice");
    ASSERT_TRUE(voice_error.is_object()) << bad_voice.body;
    EXPECT_TRUE(voice_error["allowed"].is_array());
    EXPECT_NE(std::find(voice_error["allowed"].begin(), voice_error["allowed"].end(), "slt"),
              voice_error["allowed"].end());

    auto bad_provider = api->post("/api/test/tts", {{"tts_provider", "nosuchtts"}});
    ASSERT_PROBLEM(bad_provider, 422, "validation_failed");
    Json provider_error = error_for(bad_provider, "/tts_provider");
    ASSERT_TRUE(provider_error.is_object()) << bad_provider.body;
    EXPECT_NE(std::find(provider_error["allowed"].begin(), provider_error["allowed"].end(), "flite"),
              provider_error["allowed"].end());

    EXPECT_PROBLEM(api->post("/api/test/tts", {{"language", "fr-FR"}}), 422, "validation_failed");
    EXPECT_PROBLEM(api->post("/api/test/tts", {{"tts_speed", 9}}), 422, "validation_failed");
    EXPECT_PROBLEM(api->post("/api/test/tts", {{"volume", 1}}), 422, "validation_failed");
}

TEST_P(TtsPreviewTest, AnUnknownAgentIs404) {
    auto reply = api->post("/api/test/tts", {{"agent_id", "agent_madeup0000000000000000"}});
    EXPECT_PROBLEM(reply, 404, "agent_not_found");
}

TEST_P(TtsPreviewTest, TextIsLimitedTo500Characters) {
    EXPECT_EQ(api->post("/api/test/tts", {{"text", std::string(500, 'a')}}).status, 200);
    auto reply = api->post("/api/test/tts", {{"text", std::string(501, 'a')}});
    ASSERT_PROBLEM(reply, 422, "validation_failed");
    EXPECT_TRUE(error_for(reply, "/text").is_object()) << reply.body;
    EXPECT_PROBLEM(api->post("/api/test/tts", {{"text", ""}}), 422, "validation_failed");
}

TEST_P(TtsPreviewTest, NeedsAnApiKey) {
    EXPECT_PROBLEM(voxd->client("").post("/api/test/tts", Json::object()), 401, "missing_api_key");
}

INSTANTIATE_TEST_SUITE_P(Backends, TtsPreviewTest, ::testing::Values(TestBackend::sqlite), backend_label);

}  // namespace
}  // namespace vox::apitest
