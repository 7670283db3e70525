// Tests of the real stt_pocketsphinx plugin, loaded from the build tree the
// way voxd loads it, through the host's SttClient. Speech comes from the
// tts_flite plugin (voice slt, 16 kHz) and the same speech resampled to 8 kHz.
#include "pocketsphinx_test_support.hpp"

#include <cstdio>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace vox::test {
namespace {

const char* const kSentence = "Please book a table for two people tomorrow evening at seven";
const char* const kLongSentence =
    "Thank you for calling the city library. Our opening hours are from nine in the morning until six in the "
    "evening, Monday to Friday, and the children's reading room is open on Saturday mornings.";

TEST_F(PocketsphinxTest, DescribesItself) {
    EXPECT_EQ(stt_->kind, ProviderKind::stt);
    EXPECT_EQ(stt_->capabilities.at("streaming"), true);
    EXPECT_EQ(stt_->capabilities.at("sample_rates"), nlohmann::json::array({8000, 16000}));
    EXPECT_EQ(stt_->capabilities.at("languages"), nlohmann::json::array({"en-US"}));
    EXPECT_EQ(stt_->capabilities.at("grammars"), nlohmann::json::array({"yes_no", "digits", "choice", "date"}));
    EXPECT_EQ(stt_->settings_schema.at("type"), "object");
    EXPECT_TRUE(stt_->settings_schema.at("properties").contains("language"));
}

TEST_F(PocketsphinxTest, RecognisesSpeechAt16kHz) {
    audio::AudioBuffer speech = speak(kSentence, 16000);
    double open_ms = 0;
    double rtf = 0;
    SttTranscript final_transcript = recognise(speech, &open_ms, &rtf);
    double overlap = word_overlap(kSentence, final_transcript.text);
    std::printf("[16 kHz] heard \"%s\": overlap %.2f, open %.0f ms, real-time factor %.2f, confidence %.3f\n",
                final_transcript.text.c_str(), overlap, open_ms, rtf, static_cast<double>(final_transcript.confidence));
    EXPECT_GE(overlap, 0.6) << final_transcript.text;
    EXPECT_LT(final_transcript.start_ms, final_transcript.end_ms);
    EXPECT_LE(final_transcript.end_ms, static_cast<std::uint32_t>(speech.duration_seconds() * 1000) + 20);
    EXPECT_TRUE(final_transcript.confidence == -1.0F ||
                (final_transcript.confidence >= 0.0F && final_transcript.confidence <= 1.0F));
}

TEST_F(PocketsphinxTest, RecognisesTelephoneSpeechAt8kHz) {
    // The model is 16 kHz: 8 kHz audio loses everything above 4 kHz, and
    // recognition varies more from sentence to sentence, so the average over
    // a few sentences is what is asserted.
    const std::vector<std::string> sentences = {kSentence,
                                                "I would like to change my appointment to next Monday morning",
                                                "The weather will be sunny and warm in the afternoon"};
    double total = 0;
    for (const auto& sentence : sentences) {
        audio::AudioBuffer speech = speak(sentence, 8000);
        double rtf = 0;
        SttTranscript final_transcript = recognise(speech, nullptr, &rtf);
        double overlap = word_overlap(sentence, final_transcript.text);
        std::printf("[8 kHz] heard \"%s\": overlap %.2f, real-time factor %.2f\n", final_transcript.text.c_str(),
                    overlap, rtf);
        total += overlap;
    }
    double average = total / static_cast<double>(sentences.size());
    std::printf("[8 kHz] average overlap %.2f\n", average);
    EXPECT_GE(average, 0.45);
}

TEST_F(PocketsphinxTest, ClientResamplesOtherRates) {
    audio::AudioBuffer speech = speak(kSentence, 22050);
    Results results;
    SttClient client(*stt_, results.callbacks(), {{}, 22050});
    EXPECT_EQ(client.provider_sample_rate(), 16000U);
    push_chunks(client, speech);
    client.flush();
    ASSERT_TRUE(results.wait_finals(1));
    EXPECT_GE(word_overlap(kSentence, results.finals_copy().front().text), 0.6);
    EXPECT_EQ(SttClient::choose_sample_rate(*stt_, 8000), 8000U);
    EXPECT_EQ(SttClient::choose_sample_rate(*stt_, 11025), 16000U);
    EXPECT_EQ(SttClient::choose_sample_rate(*stt_, 48000), 16000U);
}

TEST_F(PocketsphinxTest, PartialTranscriptsArriveBeforeTheFinal) {
    audio::AudioBuffer speech = speak(kLongSentence, 16000);
    Results results;
    SttClient client(*stt_, results.callbacks(), {{}, 16000});
    push_chunks(client, speech);
    // Partials come while the queued audio is decoded, before any flush.
    {
        std::unique_lock lock(results.mutex);
        ASSERT_TRUE(results.changed.wait_for(lock, 60s, [&] { return !results.partials.empty(); }));
        EXPECT_TRUE(results.finals.empty());
    }
    client.flush();
    ASSERT_TRUE(results.wait_finals(1));
    std::lock_guard lock(results.mutex);
    EXPECT_GE(results.partials.size(), 2U);
    for (std::size_t i = 1; i < results.partials.size(); ++i)
        EXPECT_NE(results.partials[i].text, results.partials[i - 1].text) << "a partial repeats the previous one";
    EXPECT_LT(*results.first_partial, results.final_times.front());
    EXPECT_GE(word_overlap(kLongSentence, results.finals.front().text), 0.5) << results.finals.front().text;
}

TEST_F(PocketsphinxTest, TwoUtterancesSeparatedByFlushGiveTwoFinals) {
    audio::AudioBuffer first = speak("Good morning, I would like to speak to the manager", 16000);
    audio::AudioBuffer second = speak("Thank you very much, goodbye", 16000);
    Results results;
    SttClient client(*stt_, results.callbacks(), {{}, 16000});
    push_chunks(client, first);
    client.flush();
    push_chunks(client, second);
    client.flush();
    ASSERT_TRUE(results.wait_finals(2));
    auto finals = results.finals_copy();
    ASSERT_EQ(finals.size(), 2U);
    EXPECT_GE(word_overlap("Good morning, I would like to speak to the manager", finals[0].text), 0.5)
        << finals[0].text;
    EXPECT_GE(word_overlap("Thank you very much, goodbye", finals[1].text), 0.5) << finals[1].text;
    // Times count from the first audio pushed: the second starts after the first.
    auto first_ms = static_cast<std::uint32_t>(first.duration_seconds() * 1000);
    EXPECT_GE(finals[1].start_ms, first_ms);
    EXPECT_GT(finals[1].end_ms, finals[1].start_ms);
}

TEST_F(PocketsphinxTest, CancelDropsTheUtterance) {
    audio::AudioBuffer dropped = speak(kLongSentence, 16000);
    audio::AudioBuffer kept = speak(kSentence, 16000);
    Results results;
    SttClient client(*stt_, results.callbacks(), {{}, 16000});
    push_chunks(client, dropped);
    client.cancel();
    std::size_t partials_at_cancel = 0;
    {
        std::lock_guard lock(results.mutex);
        partials_at_cancel = results.partials.size();
    }
    std::this_thread::sleep_for(500ms);
    {
        std::lock_guard lock(results.mutex);
        EXPECT_EQ(results.partials.size(), partials_at_cancel) << "a partial arrived after cancel()";
        EXPECT_TRUE(results.finals.empty());
    }
    push_chunks(client, kept);
    client.flush();
    ASSERT_TRUE(results.wait_finals(1));
    std::this_thread::sleep_for(300ms);
    auto finals = results.finals_copy();
    ASSERT_EQ(finals.size(), 1U);
    EXPECT_GE(word_overlap(kSentence, finals[0].text), 0.5) << finals[0].text;
    EXPECT_LT(word_overlap(kLongSentence, finals[0].text), 0.2) << "cancelled speech leaked: " << finals[0].text;
}

TEST_F(PocketsphinxTest, SilenceGivesNoWords) {
    audio::AudioBuffer silence;
    silence.sample_rate = 16000;
    silence.samples.assign(32000, 0);
    Results results;
    SttClient client(*stt_, results.callbacks(), {{}, 16000});
    push_chunks(client, silence);
    client.flush();
    results.wait_finals(1, 10s);
    for (const auto& final_transcript : results.finals_copy())
        EXPECT_EQ(final_transcript.text, "") << "silence was heard as words";
    std::lock_guard lock(results.mutex);
    EXPECT_TRUE(results.errors.empty());
}

TEST_F(PocketsphinxTest, RefusesBadSettingsAndRates) {
    // Garbage JSON can only come through the raw ABI (the client sends an object).
    const auto& vtable = stt_->vtable<vox_stt_vtable>();
    vox_stt_callbacks callbacks{sizeof(vox_stt_callbacks), nullptr, nullptr, nullptr};
    vox_stt_session* session = nullptr;
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    EXPECT_EQ(vtable.open(stt_->plugin_context(), "{not json", 16000, &callbacks, &session, &err),
              VOX_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(err.message).find("not valid JSON"), std::string::npos) << err.message;
    EXPECT_EQ(session, nullptr);

    err = vox_error{sizeof(vox_error), VOX_OK, {}};
    EXPECT_EQ(vtable.open(stt_->plugin_context(), "{}", 44100, &callbacks, &session, &err), VOX_ERR_UNSUPPORTED);
    EXPECT_NE(std::string(err.message).find("44100"), std::string::npos) << err.message;

    Results results;
    try {
        SttClient client(*stt_, results.callbacks(), {{{"language", "fr-FR"}}, 16000});
        ADD_FAILURE() << "fr-FR was accepted";
    } catch (const ProviderError& e) {
        EXPECT_NE(std::string(e.what()).find("fr-FR"), std::string::npos) << e.what();
    }
    try {
        SttClient client(*stt_, results.callbacks(), {{{"model", "big"}}, 16000});
        ADD_FAILURE() << "an unknown setting was accepted";
    } catch (const ProviderError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown setting"), std::string::npos) << e.what();
    }
    SttClient ok(*stt_, results.callbacks(), {{{"language", "en-US"}}, 8000});
    EXPECT_THROW(ok.push_audio({std::span<const std::int16_t>(), 16000, 1}), std::invalid_argument);
}

TEST_F(PocketsphinxTest, SecondSessionOpensQuickly) {
    Results results;
    auto first_start = Clock::now();
    { SttClient first(*stt_, results.callbacks(), {{}, 16000}); }
    auto reopen_start = Clock::now();
    SttClient again(*stt_, results.callbacks(), {{}, 16000});
    SttClient concurrent(*stt_, results.callbacks(), {{}, 8000});  // needs a second decoder
    auto end = Clock::now();
    double reopen_ms = std::chrono::duration<double, std::milli>(reopen_start - first_start).count();
    double both_ms = std::chrono::duration<double, std::milli>(end - reopen_start).count();
    std::printf("[open] first %.1f ms (decoder loaded at plugin init), reused + new decoder %.1f ms\n", reopen_ms,
                both_ms);
    EXPECT_LT(reopen_ms, 100.0);
}

TEST_F(PocketsphinxTest, ConcurrentSessionsDecodeIndependently) {
    const std::string other = "I would like to change my appointment to next Monday morning";
    audio::AudioBuffer a = speak(kSentence, 16000);
    audio::AudioBuffer b = speak(other, 8000);
    Results ra;
    Results rb;
    SttClient first(*stt_, ra.callbacks(), {{}, 16000});
    SttClient second(*stt_, rb.callbacks(), {{}, 8000});
    std::thread feeder([&] {
        push_chunks(second, b);
        second.flush();
    });
    push_chunks(first, a);
    first.flush();
    feeder.join();
    ASSERT_TRUE(ra.wait_finals(1));
    ASSERT_TRUE(rb.wait_finals(1));
    EXPECT_GE(word_overlap(kSentence, ra.finals_copy().front().text), 0.6) << ra.finals_copy().front().text;
    EXPECT_GE(word_overlap(other, rb.finals_copy().front().text), 0.4) << rb.finals_copy().front().text;
}

TEST_F(PocketsphinxTest, ClientRefusesAProviderOfAnotherKind) {
    Results results;
    EXPECT_THROW(SttClient(*registry_.find("tts.flite"), results.callbacks(), {{}, 16000}), ProviderError);
}

// Nothing but the entry point may be visible: no pocketsphinx or std:: symbol
// of this plugin can then clash with another plugin's or the host's.
TEST(PocketsphinxPluginFile, ExportsOnlyTheEntryPoint) {
    std::string command = std::string("nm -D --defined-only '") + VOX_TEST_POCKETSPHINX_PLUGIN + "'";
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

}  // namespace
}  // namespace vox::test
