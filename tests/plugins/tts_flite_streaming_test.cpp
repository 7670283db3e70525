// Streaming and barge-in behaviour of tts_flite: audio starts before the text
// is complete, cancel() silences a context at once and stops flite midway,
// and sessions run concurrently without disturbing each other.
#include "flite_test_support.hpp"

#include <prometheus/registry.h>

#include <atomic>
#include <cmath>
#include <thread>

namespace vox::test {
namespace {

using namespace std::chrono_literals;
using FliteStreaming = FliteFixture;

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

TEST_F(FliteStreaming, CompleteSentenceIsSpokenBeforeFlush) {
    Capture capture;
    TtsClient client(flite(), capture.callbacks());
    client.push_text(1, "Hello there. And");  // one complete sentence, one begun
    // No flush yet: the complete sentence must already be audible.
    ASSERT_TRUE(capture.wait_audio(1, 10s)) << "no audio for a complete sentence before flush";
    EXPECT_FALSE(capture.done(1));
    double first_part = capture.audio(1).duration_seconds();
    client.push_text(1, " welcome to the show");
    client.flush(1);
    ASSERT_TRUE(capture.wait_done(1));
    EXPECT_GT(capture.audio(1).duration_seconds(), first_part + 0.5);  // the rest was spoken after flush
}

TEST_F(FliteStreaming, FirstAudioArrivesLongBeforeTheWholeTextIsSynthesised) {
    Capture capture;
    TtsClient client(flite(), capture.callbacks());
    auto start = Clock::now();
    client.push_text(1, long_text(12));
    client.flush(1);
    ASSERT_TRUE(capture.wait_done(1));
    auto first = *capture.first_audio(1) - start;
    auto total = *capture.done_at(1) - start;
    EXPECT_LT(first * 4, total) << "first audio after " << std::chrono::duration<double, std::milli>(first).count()
                                << " ms of " << std::chrono::duration<double, std::milli>(total).count() << " ms";
    // Audio comes in chunks of about 40 ms, not one block per sentence.
    EXPECT_GT(capture.chunks(1), capture.audio(1).duration_seconds() * 10);
}

TEST_F(FliteStreaming, CancelSilencesTheContextAndLeavesTheSessionUsable) {
    Capture capture;
    TtsClient client(flite(), capture.callbacks());
    std::string text = long_text(30);
    client.push_text(1, text);
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
    // Thirty sentences are over a minute of speech; what got out is a fraction.
    EXPECT_LT(audio_at_cancel, 30.0);

    // Text racing the barge-in for the cancelled context is dropped quietly.
    client.push_text(1, "Late token.");
    client.flush(1);
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(capture.chunks(1), chunks_at_cancel);
    EXPECT_FALSE(capture.done(1));
}

// Raw ABI: cancel from inside the audio callback, on flite's own thread, in
// the middle of one long sentence. The plugin counts characters only for
// syntheses that ran to completion, so the counter shows flite was stopped.
// Built before the fixture (a base initialised first) so the host gets it.
struct MetricsHolder {
    std::shared_ptr<prometheus::Registry> metrics_ = std::make_shared<prometheus::Registry>();
};

class FliteStopping : private MetricsHolder, public FliteFixture {
protected:
    FliteStopping() : FliteFixture(HostServices::Options{2, metrics_}) {}
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
    std::set<std::uint64_t> done;
};

TEST_F(FliteStopping, CancelInsideTheCallbackStopsSynthesisInProgress) {
    RawListener listener;
    listener.vtable = &flite().vtable<vox_tts_vtable>();
    vox_tts_callbacks callbacks{sizeof(vox_tts_callbacks),
                                &listener,
                                [](void* user, std::uint64_t context, const vox_audio*) {
                                    auto* l = static_cast<RawListener*>(user);
                                    int n = 0;
                                    {
                                        std::lock_guard lock(l->mutex);
                                        n = ++l->chunks[context];
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
    ASSERT_EQ(listener.vtable->open(flite().plugin_context(), "{}", &callbacks, &listener.session, &err), VOX_OK);

    // One sentence of about 200 characters: several seconds of audio.
    std::string sentence =
        "This single long sentence keeps going on and on, with many words and clauses, so that flite "
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
        EXPECT_EQ(listener.done.count(1), 0u);
        EXPECT_GT(listener.chunks[2], 0);
    }
    listener.vtable->close(listener.session);
    // Only "Short." was synthesised to the end.
    EXPECT_EQ(characters(), static_cast<double>(short_text.size()));
}

TEST_F(FliteStreaming, ClosingWhileSpeakingStopsAllCallbacks) {
    Capture capture;
    std::size_t chunks_at_close = 0;
    {
        TtsClient client(flite(), capture.callbacks());
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

double correlation(const std::vector<std::int16_t>& a, const std::vector<std::int16_t>& b) {
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
        ab += static_cast<double>(a[i]) * b[i];
        aa += static_cast<double>(a[i]) * a[i];
        bb += static_cast<double>(b[i]) * b[i];
    }
    return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}

// Sessions on the same and on different voices, all at once: flite's shared
// voice state must not mix them up, so each result matches a solo run. The
// diphone voices (kal, kal16) are deterministic, so they must match exactly;
// the unit-selection voices excite unvoiced sounds with rand() noise, so two
// runs agree in length and closely in waveform, never bit for bit.
TEST_F(FliteStreaming, ConcurrentSessionsMatchSoloRuns) {
    const std::string text = "Concurrent sessions must not disturb each other. Each one speaks alone.";
    const std::vector<std::string> voices = {"slt", "kal16", "rms", "slt", "kal", "kal16", "awb", "slt"};
    std::map<std::string, audio::AudioBuffer> solo;
    for (const auto& voice : voices)
        if (!solo.count(voice)) solo[voice] = speak(flite(), text, {{"voice", voice}}, 0);

    std::vector<audio::AudioBuffer> results(voices.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < voices.size(); ++i)
        threads.emplace_back([&, i] { results[i] = speak(flite(), text, {{"voice", voices[i]}}, 0); });
    for (auto& thread : threads) thread.join();
    for (std::size_t i = 0; i < voices.size(); ++i) {
        const auto& expected = solo[voices[i]].samples;
        const auto& got = results[i].samples;
        EXPECT_GT(got.size(), 16000u) << voices[i];
        EXPECT_EQ(got.size(), expected.size()) << "session " << i << " (" << voices[i] << ")";
        if (voices[i].rfind("kal", 0) == 0) {
            EXPECT_TRUE(got == expected) << "session " << i << " (" << voices[i] << ")";
        } else {
            EXPECT_GT(correlation(got, expected), 0.85) << "session " << i << " (" << voices[i] << ")";
        }
    }
}

}  // namespace
}  // namespace vox::test
