// Streaming and barge-in behaviour of tts_espeak: audio starts before the
// text is complete, cancel() silences a context at once and stops espeak-ng
// mid-sentence, and sessions sharing the process-global engine do not
// disturb each other.
#include "espeak_test_support.hpp"

#include <prometheus/registry.h>

#include <atomic>
#include <thread>

namespace vox::test {
namespace {

using namespace std::chrono_literals;
using EspeakStreaming = EspeakFixture;

std::string long_text(int sentences) {
    static const char* const kSentences[] = {"Thank you for calling the support line.",
                                             "I can help you with billing, orders and deliveries.",
                                             "Please tell me your account number when you are ready.",
                                             "While you look for it, here is some news about our service.",
                                             "We now deliver on weekends in most cities.",
                                             "Orders placed before noon ship the same day."};
    std::string text;
    for (int i = 0; i < sentences; ++i) text += std::string(kSentences[i % 6]) + " ";
    return text;
}

TEST_F(EspeakStreaming, CompleteSentenceIsSpokenBeforeFlush) {
    Capture capture;
    TtsClient client(espeak(), capture.callbacks());
    client.push_text(1, "Hello there. And");  // one complete sentence, one begun
    ASSERT_TRUE(capture.wait_audio(1, 10s)) << "no audio for a complete sentence before flush";
    EXPECT_FALSE(capture.done(1));
    double first_part = capture.audio(1).duration_seconds();
    client.push_text(1, " welcome to the show");
    client.flush(1);
    ASSERT_TRUE(capture.wait_done(1));
    EXPECT_GT(capture.audio(1).duration_seconds(), first_part + 0.5);  // the rest was spoken after flush
}

TEST_F(EspeakStreaming, FirstAudioArrivesLongBeforeTheWholeTextIsSynthesised) {
    Capture capture;
    TtsClient client(espeak(), capture.callbacks(), {{}, 16000});
    auto start = Clock::now();
    client.push_text(1, long_text(24));
    client.flush(1);
    ASSERT_TRUE(capture.wait_done(1));
    double first = ms_since(start, *capture.first_audio(1));
    double total = ms_since(start, *capture.done_at(1));
    double audio_s = capture.audio(1).duration_seconds();
    std::printf("[ espeak   ] first audio after %.2f ms; %.1f s of speech synthesised in %.1f ms (%.0fx real time)\n",
                first, audio_s, total, audio_s * 1000 / total);
    EXPECT_LT(first * 4, total) << "first audio after " << first << " ms of " << total << " ms";
    EXPECT_LT(first, 250.0);
    // Audio comes in chunks of about 40 ms, not one block per sentence.
    EXPECT_GT(capture.chunks(1), audio_s * 10);
}

TEST_F(EspeakStreaming, CancelSilencesTheContextAndLeavesTheSessionUsable) {
    Capture capture;
    TtsClient client(espeak(), capture.callbacks());
    client.push_text(1, long_text(30));
    client.flush(1);
    ASSERT_TRUE(capture.wait_audio(1));
    client.cancel(1);
    std::size_t chunks_at_cancel = capture.chunks(1);
    double audio_at_cancel = capture.audio(1).duration_seconds();

    // Sessions work in order, so once context 2 is done nothing of 1 is pending.
    client.push_text(2, "Sorry, go ahead.");
    client.flush(2);
    ASSERT_TRUE(capture.wait_done(2));
    EXPECT_GT(capture.audio(2).duration_seconds(), 0.5);
    EXPECT_EQ(capture.chunks(1), chunks_at_cancel);
    EXPECT_FALSE(capture.done(1));
    EXPECT_FALSE(capture.error(1));
    // Thirty sentences are about two minutes of speech; what got out is a fraction.
    EXPECT_LT(audio_at_cancel, 60.0);

    // Text racing the barge-in for the cancelled context is dropped quietly.
    client.push_text(1, "Late token.");
    client.flush(1);
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(capture.chunks(1), chunks_at_cancel);
    EXPECT_FALSE(capture.done(1));
}

// Raw ABI: cancel from inside the audio callback, on the synthesising
// thread, in the middle of one long sentence. The plugin counts characters
// only for syntheses that ran to completion, so the counter shows espeak-ng
// abandoned the sentence (its synth callback returned 1).
struct MetricsHolder {
    std::shared_ptr<prometheus::Registry> metrics_ = std::make_shared<prometheus::Registry>();
};

class EspeakStopping : private MetricsHolder, public EspeakFixture {
protected:
    EspeakStopping() : EspeakFixture(HostServices::Options{2, metrics_}) {}
    double characters() const {
        for (const auto& family : metrics_->Collect())
            if (family.name == "vox_plugin_synthesized_characters_total")
                for (const auto& metric : family.metric) return metric.counter.value;
        return 0;
    }
};

struct RawListener {
    const vox_tts_vtable* vtable = nullptr;
    vox_tts_session* session = nullptr;
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::uint64_t, int> chunks;
    std::map<std::uint64_t, std::size_t> frames;
    std::set<std::uint64_t> done;
};

TEST_F(EspeakStopping, CancelInsideTheCallbackStopsSynthesisInProgress) {
    RawListener listener;
    listener.vtable = &espeak().vtable<vox_tts_vtable>();
    vox_tts_callbacks callbacks{sizeof(vox_tts_callbacks),
                                &listener,
                                [](void* user, std::uint64_t context, const vox_audio* audio) {
                                    auto* l = static_cast<RawListener*>(user);
                                    int n = 0;
                                    {
                                        std::lock_guard lock(l->mutex);
                                        n = ++l->chunks[context];
                                        l->frames[context] += audio->frames;
                                    }
                                    if (context == 1 && n == 1) l->vtable->cancel(l->session, 1);
                                },
                                nullptr,
                                [](void* user, std::uint64_t context) {
                                    auto* l = static_cast<RawListener*>(user);
                                    std::lock_guard lock(l->mutex);
                                    l->done.insert(context);
                                    l->changed.notify_all();
                                },
                                nullptr};
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    ASSERT_EQ(listener.vtable->open(espeak().plugin_context(), "{}", &callbacks, &listener.session, &err), VOX_OK);

    // One sentence of about 200 characters: about ten seconds of audio.
    std::string sentence =
        "This single long sentence keeps going on and on, with many words and clauses, so that espeak "
        "needs a good while to produce it, and it only ends here";
    std::string short_text = "Short.";
    ASSERT_EQ(listener.vtable->push_text(listener.session, 1, sentence.data(), sentence.size(), &err), VOX_OK);
    ASSERT_EQ(listener.vtable->flush(listener.session, 1, &err), VOX_OK);
    ASSERT_EQ(listener.vtable->push_text(listener.session, 2, short_text.data(), short_text.size(), &err), VOX_OK);
    ASSERT_EQ(listener.vtable->flush(listener.session, 2, &err), VOX_OK);
    {
        std::unique_lock lock(listener.mutex);
        ASSERT_TRUE(listener.changed.wait_for(lock, 30s, [&] { return listener.done.count(2) != 0; }));
        EXPECT_EQ(listener.chunks[1], 1);  // only the chunk during which cancel was called
        EXPECT_LT(listener.frames[1], 22050u / 5);
        EXPECT_EQ(listener.done.count(1), 0u);
        EXPECT_GT(listener.chunks[2], 0);
    }
    listener.vtable->close(listener.session);
    // Only "Short." was synthesised to the end.
    EXPECT_EQ(characters(), static_cast<double>(short_text.size()));
}

TEST_F(EspeakStreaming, ClosingWhileSpeakingStopsAllCallbacks) {
    Capture capture;
    std::size_t chunks_at_close = 0;
    {
        TtsClient client(espeak(), capture.callbacks());
        client.push_text(1, long_text(20));
        client.flush(1);
        ASSERT_TRUE(capture.wait_audio(1));
        client.close();
        chunks_at_close = capture.chunks(1);
        EXPECT_FALSE(client.is_open());
        EXPECT_THROW(client.push_text(1, "more"), ProviderError);
    }
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(capture.chunks(1), chunks_at_close);
    EXPECT_FALSE(capture.done(1));
}

// Zero crossings per second: follows the voice's pitch and brightness.
double crossing_rate(const audio::AudioBuffer& audio) {
    std::size_t crossings = 0;
    for (std::size_t i = 1; i < audio.samples.size(); ++i)
        if ((audio.samples[i - 1] < 0) != (audio.samples[i] < 0)) ++crossings;
    return static_cast<double>(crossings) / audio.duration_seconds();
}

// espeak-ng is one process-wide engine whose voice, rate and pitch every
// synthesis sets: sessions with different voices and prosody, all at once,
// must each sound as they do alone. espeak-ng is not bit-exact from run to
// run (random flutter and noise), so "as alone" is: the same length (the
// rate and language) and the same zero-crossing rate (the voice and pitch),
// within the run-to-run spread, which is far below what a mix-up would do.
TEST_F(EspeakStreaming, ConcurrentSessionsMatchSoloRuns) {
    const std::string text = "Concurrent sessions must not disturb each other. Each one speaks alone.";
    const std::vector<nlohmann::json> settings = {
        {{"voice", "en-us+klatt"}},          {{"voice", "en-us+f3"}, {"pitch", 90}}, {{"voice", "de"}},
        {{"voice", "en-gb"}, {"rate", 250}}, {{"voice", "en-us"}, {"pitch", 10}},    {{"voice", "fr"}, {"rate", 120}},
    };
    std::vector<audio::AudioBuffer> solo;
    for (const auto& s : settings) solo.push_back(speak(espeak(), text, s, 0));

    std::vector<audio::AudioBuffer> results(settings.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < settings.size(); ++i)
        threads.emplace_back([&, i] { results[i] = speak(espeak(), text, settings[i], 0); });
    for (auto& thread : threads) thread.join();
    for (std::size_t i = 0; i < settings.size(); ++i) {
        double length = results[i].duration_seconds();
        double expected_length = solo[i].duration_seconds();
        double crossings = crossing_rate(results[i]);
        double expected_crossings = crossing_rate(solo[i]);
        EXPECT_GT(length, 2.0) << settings[i];
        EXPECT_NEAR(length, expected_length, expected_length * 0.03) << "session " << i << " " << settings[i];
        EXPECT_NEAR(crossings, expected_crossings, expected_crossings * 0.06) << "session " << i << " " << settings[i];
    }
    // ... and those differences are real: the settings are told apart.
    EXPECT_GT(crossing_rate(solo[1]), crossing_rate(solo[4]) * 1.1);          // high female vs low male
    EXPECT_GT(solo[5].duration_seconds(), solo[3].duration_seconds() * 1.5);  // 120 vs 250 words per minute
}

}  // namespace
}  // namespace vox::test
