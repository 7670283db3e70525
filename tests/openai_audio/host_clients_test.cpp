// stt.openai and tts.openai as the call pipeline drives them: through the
// host's SttClient and TtsClient (which pick the rate, resample, serialise).
#include "plugin_fixture.hpp"

#include <vox/core/providers/stt_client.hpp>
#include <vox/core/providers/tts_client.hpp>

namespace vox::test {
namespace {

using HostClients = OpenAiAudioPlugin;

TEST_F(HostClients, SttClientGetsOneFinalPerTurnFromTelephonyAudio) {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<SttTranscript> transcripts;
    std::vector<std::string> errors;
    SttClient client(*stt_,
                     {.on_transcript =
                          [&](const SttTranscript& transcript) {
                              std::lock_guard lock(mutex);
                              transcripts.push_back(transcript);
                              changed.notify_all();
                          },
                      .on_error =
                          [&](const ProviderError& error) {
                              std::lock_guard lock(mutex);
                              errors.emplace_back(error.what());
                              changed.notify_all();
                          }},
                     {.input_sample_rate = 8000});
    EXPECT_EQ(client.provider_sample_rate(), 8000u);  // 8 kHz is offered: no resampling
    auto audio = test_audio(8000);
    for (std::size_t at = 0; at < audio.size(); at += 160)
        client.push_audio({std::span<const std::int16_t>(audio).subspan(at, 160), 8000, 1});
    client.flush();
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return !transcripts.empty() || !errors.empty(); }));
    ASSERT_TRUE(errors.empty()) << errors[0];
    EXPECT_EQ(transcripts[0].text, "hello world");
    EXPECT_TRUE(transcripts[0].is_final);
    EXPECT_EQ(transcripts[0].end_ms, 1000u);
    auto received = server_.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].wav_sample_rate, 8000u);
    EXPECT_EQ(received[0].wav_samples, audio);
}

TEST_F(HostClients, TtsClientDeliversResampledAudioThenDone) {
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t frames = 0;
    std::uint32_t rate = 0;
    bool done = false;
    std::string error;
    TtsClient client(*tts_,
                     {.on_audio =
                          [&](std::uint64_t, const audio::AudioView& view) {
                              std::lock_guard lock(mutex);
                              frames += view.frames();
                              rate = view.sample_rate;
                          },
                      .on_word = {},
                      .on_done =
                          [&](std::uint64_t) {
                              std::lock_guard lock(mutex);
                              done = true;
                              changed.notify_all();
                          },
                      .on_error =
                          [&](std::uint64_t, const ProviderError& e) {
                              std::lock_guard lock(mutex);
                              error = e.what();
                              changed.notify_all();
                          }},
                     {.settings = {{"voice", "echo"}}, .output_sample_rate = 16000});
    client.push_text(1, "Thank you for calling. ");
    client.push_text(1, "How can I help?");
    client.flush(1);
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return done || !error.empty(); }));
    ASSERT_TRUE(error.empty()) << error;
    EXPECT_EQ(rate, 16000u);
    // Two sentences of 4800 samples at 24 kHz are 400 ms: 6400 frames at 16 kHz.
    EXPECT_NEAR(static_cast<double>(frames), 6400.0, 64.0);
    auto received = server_.received();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].json.at("voice"), "echo");
}

}  // namespace
}  // namespace vox::test
