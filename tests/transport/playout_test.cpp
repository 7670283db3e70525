// The outbound pacing of one call with a hand-driven clock: frames released
// in real time at most 120 ms ahead, played-ms accounting per context, the
// reports, clear, and the bound on what is queued.
#include "playout.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace vox::transport_ws {
namespace {

using namespace std::chrono_literals;

std::vector<std::int16_t> ramp(std::size_t n, std::int16_t start = 1) {
    std::vector<std::int16_t> samples(n);
    std::iota(samples.begin(), samples.end(), start);
    return samples;
}

struct Driver {
    explicit Driver(PlayoutOptions options = {}) : playout(options) {}
    // Advances the clock in 1 ms steps to `until`, pumping; returns frames released per step.
    void run_until(TimePoint until) {
        for (; now <= until; now += 1ms) {
            std::size_t before = frames.size();
            playout.pump(now, frames, reports);
            for (std::size_t i = before; i < frames.size(); i += playout.frame_samples()) sent_at.push_back(now);
        }
    }
    Playout playout;
    TimePoint now = TimePoint{} + 1000s;
    std::vector<std::int16_t> frames;
    std::vector<PlayedReport> reports;
    std::vector<TimePoint> sent_at;
};

TEST(Playout, ReleasesInRealTimeAtMost120msAhead) {
    Driver d;
    const TimePoint start = d.now;
    auto audio = ramp(16000);  // 1 s at 16 kHz
    d.playout.push(7, audio.data(), audio.size());
    d.run_until(start + 1500ms);
    ASSERT_EQ(d.frames.size(), audio.size());
    EXPECT_EQ(d.frames, audio);
    ASSERT_EQ(d.sent_at.size(), 50u);
    for (std::size_t i = 0; i < d.sent_at.size(); ++i) {
        // Frame i plays from start + 20 i ms; it goes out when the client holds
        // less than 120 ms of unplayed audio with it, no earlier and not later.
        auto slot = start + std::chrono::milliseconds(20 * i);
        EXPECT_EQ(d.sent_at[i], std::max(start, slot - 100ms)) << i;
    }
    EXPECT_TRUE(d.playout.idle());
    ASSERT_FALSE(d.reports.empty());
    EXPECT_EQ(d.reports.back().context, 7u);
    EXPECT_EQ(d.reports.back().played_ms, 1000u);
}

TEST(Playout, ReportsAtLeastEvery200msAndOnceAtTheEnd) {
    Driver d;
    auto audio = ramp(16000 * 2);
    d.playout.push(1, audio.data(), audio.size());
    d.run_until(d.now + 3000ms);
    ASSERT_GE(d.reports.size(), 10u);
    std::uint32_t last = 0;
    for (const auto& report : d.reports) {
        EXPECT_GE(report.played_ms, last);
        EXPECT_LE(report.played_ms - last, 200u);
        last = report.played_ms;
    }
    EXPECT_EQ(last, 2000u);
    std::size_t finals = 0;
    for (const auto& report : d.reports) finals += report.played_ms == 2000 ? 1 : 0;
    EXPECT_EQ(finals, 1u);
}

TEST(Playout, PartialFrameWaitsForMoreUnlessTheClientRunsDry) {
    Driver d;
    auto first = ramp(16000 / 10 + 100);  // 106.25 ms: five frames and a bit
    d.playout.push(1, first.data(), first.size());
    d.run_until(d.now + 20ms);
    EXPECT_EQ(d.frames.size(), 5u * 320);  // the partial sixth waits
    auto more = ramp(220, 5000);
    d.playout.push(1, more.data(), more.size());  // completes the sixth frame exactly
    d.run_until(d.now + 10ms);
    EXPECT_EQ(d.frames.size(), 6u * 320);
    EXPECT_EQ(d.frames[5 * 320 + 99], first.back());
    EXPECT_EQ(d.frames[5 * 320 + 100], 5000);
    // A lone partial frame goes out padded once the client is about to run dry.
    auto tail = ramp(100);
    d.playout.push(1, tail.data(), tail.size());
    d.run_until(d.now + 300ms);
    ASSERT_EQ(d.frames.size(), 7u * 320);
    EXPECT_EQ(d.frames[6 * 320 + 99], 100);
    EXPECT_EQ(d.frames[6 * 320 + 100], 0);
}

TEST(Playout, ClearDropsQueuedAudioAndTellsWhatWasPlayed) {
    Driver d;
    const TimePoint start = d.now;
    auto audio = ramp(16000 * 2);
    d.playout.push(3, audio.data(), audio.size());
    d.run_until(start + 505ms);
    std::uint32_t played = d.playout.clear(3, d.now);
    EXPECT_NEAR(played, 505, 2);
    EXPECT_TRUE(d.playout.idle());
    std::size_t sent = d.frames.size();
    d.reports.clear();
    d.run_until(d.now + 500ms);
    EXPECT_EQ(d.frames.size(), sent);
    EXPECT_TRUE(d.reports.empty());
    // A newer context starts at once.
    auto next = ramp(3200);
    d.playout.push(4, next.data(), next.size());
    d.run_until(d.now + 1ms);
    EXPECT_EQ(d.frames.size(), sent + 6 * 320);
}

TEST(Playout, ClearKeepsNewerContexts) {
    Driver d;
    auto a = ramp(3200);
    auto b = ramp(3200, 100);
    d.playout.push(1, a.data(), a.size());
    d.playout.push(2, b.data(), b.size());
    d.playout.clear(1, d.now);
    d.run_until(d.now + 400ms);
    EXPECT_EQ(d.frames, b);
    EXPECT_EQ(d.reports.back().context, 2u);
    EXPECT_EQ(d.reports.back().played_ms, 200u);
}

TEST(Playout, DropsTheOldestBeyondTheBound) {
    PlayoutOptions options;
    options.max_queued = 1s;
    Driver d(options);
    auto audio = ramp(16000 + 1600, 0);
    EXPECT_EQ(d.playout.push(1, audio.data(), audio.size()), 100u);
    EXPECT_EQ(d.playout.queued_samples(), 16000u);
    d.run_until(d.now + 1ms);
    EXPECT_EQ(d.frames.front(), 1600);  // the first 100 ms are gone
}

TEST(Playout, NextDueFollowsThePlayHead) {
    Driver d;
    EXPECT_EQ(d.playout.next_due(), TimePoint::max());
    auto audio = ramp(16000);
    d.playout.push(1, audio.data(), audio.size());
    EXPECT_LE(d.playout.next_due(), d.now);
    d.playout.pump(d.now, d.frames, d.reports);
    EXPECT_EQ(d.frames.size(), 6u * 320);
    EXPECT_EQ(d.playout.next_due(), d.now + 20ms);
}

}  // namespace
}  // namespace vox::transport_ws
