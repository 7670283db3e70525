// The recording of a call: the timeline that lines the caller's and the
// agent's audio up (placement, silence between responses, barge-in cuts,
// bounded memory), CallRecording's WAV file (complete header, no file without
// audio, failures that leave the call alone) and the Range requests the
// download honours.
#include "calls/call_recording.hpp"

#include "calls/recording_download.hpp"

#include <vox/core/audio/wav.hpp>
#include <vox/core/call/recording_timeline.hpp>

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace vox::host {
namespace {

using call::RecordingTimeline;

constexpr std::uint32_t kRate = 1000;  // 1 frame per ms: positions read as milliseconds

std::vector<std::int16_t> constant(std::size_t frames, std::int16_t value) {
    return std::vector<std::int16_t>(frames, value);
}

// Everything a timeline wrote, split into its two channels.
struct Tracks {
    std::vector<std::int16_t> caller;
    std::vector<std::int16_t> agent;

    RecordingTimeline::Sink sink() {
        return [this](std::span<const std::int16_t> stereo) {
            ASSERT_EQ(stereo.size() % 2, 0u);
            for (std::size_t i = 0; i < stereo.size(); i += 2) {
                caller.push_back(stereo[i]);
                agent.push_back(stereo[i + 1]);
            }
        };
    }
};

// A directory of its own under the system's temporary directory, removed at the end.
class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("vox_recording_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

TEST(RecordingTimelineTest, TheCallersAudioIsWrittenAtOnceBesideSilence) {
    Tracks tracks;
    RecordingTimeline timeline(kRate, tracks.sink());
    timeline.caller_audio(constant(20, 7));
    EXPECT_EQ(timeline.position(), 20u);
    EXPECT_EQ(tracks.caller, constant(20, 7));
    EXPECT_EQ(tracks.agent, constant(20, 0));
}

TEST(RecordingTimelineTest, AgentAudioStartsWhenItIsSentAndWaitsForTheCallersTrack) {
    Tracks tracks;
    RecordingTimeline timeline(kRate, tracks.sink());
    timeline.caller_audio(constant(100, 1));
    // A whole response arrives at once (TTS is faster than real time): it plays from position 100 on.
    EXPECT_EQ(timeline.agent_audio(1, constant(50, 9)), 0u);
    EXPECT_TRUE(tracks.agent == constant(100, 0)) << "nothing is written ahead of the caller's track";
    EXPECT_EQ(timeline.pending_agent_frames(), 50u);
    timeline.caller_audio(constant(30, 1));
    timeline.caller_audio(constant(40, 1));
    ASSERT_EQ(tracks.agent.size(), 170u);
    std::vector<std::int16_t> expected = constant(100, 0);
    std::vector<std::int16_t> response = constant(50, 9);
    expected.insert(expected.end(), response.begin(), response.end());
    std::vector<std::int16_t> after = constant(20, 0);
    expected.insert(expected.end(), after.begin(), after.end());
    EXPECT_EQ(tracks.agent, expected) << "the response at 100..150, silence after it";
    EXPECT_EQ(tracks.caller, constant(170, 1));
    EXPECT_EQ(timeline.pending_agent_frames(), 0u);
}

TEST(RecordingTimelineTest, ResponsesSentBackToBackQueueOneAfterTheOtherAndGapsAreSilence) {
    Tracks tracks;
    RecordingTimeline timeline(kRate, tracks.sink());
    timeline.agent_audio(1, constant(30, 1));
    timeline.agent_audio(2, constant(20, 2));  // queued behind the first, as the transport plays it
    timeline.caller_audio(constant(80, 0));
    timeline.agent_audio(3, constant(10, 3));  // sent at 80: plays at 80
    timeline.caller_audio(constant(20, 0));
    ASSERT_EQ(tracks.agent.size(), 100u);
    for (std::size_t i = 0; i < 100; ++i) {
        std::int16_t want = i < 30 ? 1 : i < 50 ? 2 : i < 80 ? 0 : i < 90 ? 3 : 0;
        ASSERT_EQ(tracks.agent[i], want) << "at " << i;
    }
}

TEST(RecordingTimelineTest, ABargeInCutsTheResponseWhereTheTransportStoppedIt) {
    Tracks tracks;
    RecordingTimeline timeline(kRate, tracks.sink());
    timeline.agent_audio(5, constant(1000, 4));  // a one-second answer
    timeline.caller_audio(constant(300, 0));
    timeline.caller_audio(constant(100, 6));  // the caller talks over it
    timeline.agent_cleared(5, 400);           // the transport played 400 ms of it
    EXPECT_EQ(timeline.pending_agent_frames(), 0u);
    timeline.caller_audio(constant(500, 6));
    ASSERT_EQ(tracks.agent.size(), 900u);
    for (std::size_t i = 0; i < 900; ++i) ASSERT_EQ(tracks.agent[i], i < 400 ? 4 : 0) << "at " << i;
}

TEST(RecordingTimelineTest, APlayedShareShorterThanWhatWasWrittenCutsAtTheCurrentPosition) {
    Tracks tracks;
    RecordingTimeline timeline(kRate, tracks.sink());
    timeline.agent_audio(1, constant(500, 4));
    timeline.caller_audio(constant(200, 0));
    timeline.agent_cleared(1, 50);  // the transport started late: written audio stays, the rest goes
    timeline.caller_audio(constant(100, 0));
    ASSERT_EQ(tracks.agent.size(), 300u);
    for (std::size_t i = 0; i < 300; ++i) ASSERT_EQ(tracks.agent[i], i < 200 ? 4 : 0) << "at " << i;
}

TEST(RecordingTimelineTest, AudioQueuedAfterACutResponseMovesUpAndAResumedResponseContinues) {
    Tracks tracks;
    RecordingTimeline timeline(kRate, tracks.sink());
    timeline.agent_audio(1, constant(100, 1));
    timeline.agent_audio(1, constant(100, 1));  // the same response in two blocks
    timeline.agent_audio(2, constant(50, 2));
    timeline.caller_audio(constant(40, 0));
    timeline.agent_cleared(1, 60);  // response 1 stops at 60; response 2 follows at once
    EXPECT_EQ(timeline.pending_agent_frames(), 20u + 50u);
    timeline.caller_audio(constant(100, 0));
    // Paused for a backchannel then resumed under a new context from 60 ms in: after the gap.
    timeline.agent_audio(3, constant(30, 3));
    timeline.caller_audio(constant(40, 0));
    ASSERT_EQ(tracks.agent.size(), 180u);
    for (std::size_t i = 0; i < 180; ++i) {
        std::int16_t want = i < 60 ? 1 : i < 110 ? 2 : i < 140 ? 0 : i < 170 ? 3 : 0;
        ASSERT_EQ(tracks.agent[i], want) << "at " << i;
    }
}

TEST(RecordingTimelineTest, ClearingAnotherContextOrAPlayedOutOneTakesNothing) {
    Tracks tracks;
    RecordingTimeline timeline(kRate, tracks.sink());
    timeline.agent_audio(1, constant(50, 1));
    timeline.caller_audio(constant(60, 0));
    timeline.agent_audio(2, constant(50, 2));
    timeline.agent_cleared(7, 0);   // unknown
    timeline.agent_cleared(1, 50);  // played out in full
    EXPECT_EQ(timeline.pending_agent_frames(), 50u);
}

TEST(RecordingTimelineTest, AgentAudioAheadOfTheCallerIsBounded) {
    Tracks tracks;
    RecordingTimeline timeline(kRate, tracks.sink(), 100);
    EXPECT_EQ(timeline.agent_audio(1, constant(80, 1)), 0u);
    EXPECT_EQ(timeline.agent_audio(1, constant(80, 1)), 60u);
    EXPECT_EQ(timeline.pending_agent_frames(), 100u);
    timeline.caller_audio(constant(50, 0));
    EXPECT_EQ(timeline.agent_audio(1, constant(80, 1)), 30u);
}

TEST(RecordingTimelineTest, ALongCallKeepsOnlyWhatIsDue) {
    std::size_t written = 0;
    RecordingTimeline timeline(16000, [&](std::span<const std::int16_t> stereo) { written += stereo.size() / 2; });
    std::vector<std::int16_t> frame(320, 100);
    std::vector<std::int16_t> answer(16000 * 3, 200);
    for (int second = 0; second < 600; ++second) {  // ten minutes, a 3 s answer every 10 s
        if (second % 10 == 0) timeline.agent_audio(static_cast<std::uint64_t>(second + 1), answer);
        if (second % 10 == 1) timeline.agent_cleared(static_cast<std::uint64_t>(second), 500);
        for (int i = 0; i < 50; ++i) timeline.caller_audio(frame);
        ASSERT_LE(timeline.pending_agent_frames(), answer.size());
    }
    EXPECT_EQ(written, 600u * 16000u);
    EXPECT_EQ(timeline.pending_agent_frames(), 0u);
}

TEST(CallRecordingTest, WritesAStereoWavWithTheCallerLeftAndTheAgentRight) {
    TempDir dir;
    CallRecording recording(dir.path() / "recordings", "call_abc", 8000);
    std::vector<std::int16_t> speech(160, 1000);
    std::vector<std::int16_t> answer(400, -2000);
    recording.caller_audio(audio::AudioView{speech, 8000, 1});
    recording.agent_audio(1, audio::AudioView{answer, 8000, 1});
    for (int i = 0; i < 4; ++i) recording.caller_audio(audio::AudioView{std::vector<std::int16_t>(160, 0), 8000, 1});
    EXPECT_TRUE(std::filesystem::exists(recording.path())) << "written as the call goes";
    EXPECT_TRUE(recording.finish());
    EXPECT_TRUE(recording.finish()) << "idempotent";
    EXPECT_EQ(recording.path(), dir.path() / "recordings" / "call_abc.wav");
    EXPECT_EQ(recording_url("call_abc"), "/api/calls/call_abc/recording");

    auto wav = audio::read_wav(recording.path());
    EXPECT_EQ(wav.sample_rate, 8000u);
    ASSERT_EQ(wav.channels, 2u);
    ASSERT_EQ(wav.frames(), 800u) << "the header's sizes are right once finished";
    for (std::size_t i = 0; i < 800; ++i) {
        ASSERT_EQ(wav.samples[2 * i], i < 160 ? 1000 : 0) << "caller at " << i;
        ASSERT_EQ(wav.samples[2 * i + 1], i >= 160 && i < 560 ? -2000 : 0) << "agent at " << i;
    }
}

TEST(CallRecordingTest, NoAudioNoFile) {
    TempDir dir;
    CallRecording recording(dir.path(), "call_silent", 16000);
    EXPECT_FALSE(recording.finish());
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "call_silent.wav"));
}

TEST(CallRecordingTest, AnUnwritableDirectoryLeavesNoRecordingAndThrowsNothing) {
    TempDir dir;
    std::ofstream(dir.path() / "a_file") << "not a directory";
    CallRecording recording(dir.path() / "a_file" / "recordings", "call_x", 16000);
    std::vector<std::int16_t> frame(320, 5);
    recording.caller_audio(audio::AudioView{frame, 16000, 1});
    recording.agent_audio(1, audio::AudioView{frame, 16000, 1});
    recording.caller_audio(audio::AudioView{frame, 16000, 1});
    EXPECT_FALSE(recording.finish());
}

TEST(CallRecordingTest, AFullDiskEndsTheRecordingAndRemovesTheFile) {
    if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
    TempDir dir;
    std::filesystem::create_symlink("/dev/full", dir.path() / "call_full.wav");  // every write: ENOSPC
    CallRecording recording(dir.path(), "call_full", 16000);
    std::vector<std::int16_t> frame(320, 5);
    for (int i = 0; i < 100; ++i) recording.caller_audio(audio::AudioView{frame, 16000, 1});
    EXPECT_FALSE(recording.finish());
    EXPECT_FALSE(std::filesystem::is_symlink(dir.path() / "call_full.wav")) << "the partial recording is removed";
}

TEST(CallRecordingTest, AudioAtAnotherRateIsLeftOut) {
    TempDir dir;
    CallRecording recording(dir.path(), "call_rate", 16000);
    std::vector<std::int16_t> frame(160, 5);
    recording.caller_audio(audio::AudioView{frame, 8000, 1});
    EXPECT_FALSE(recording.finish());
}

TEST(CallRecordingTest, AudioAfterTheEndIsIgnored) {
    TempDir dir;
    CallRecording recording(dir.path(), "call_end", 8000);
    std::vector<std::int16_t> frame(160, 5);
    recording.caller_audio(audio::AudioView{frame, 8000, 1});
    ASSERT_TRUE(recording.finish());
    recording.caller_audio(audio::AudioView{frame, 8000, 1});
    EXPECT_EQ(audio::read_wav(recording.path()).frames(), 160u);
}

TEST(ByteRangeTest, SingleRangesAreHonouredAndTheRestServesTheWholeFile) {
    using Kind = ByteRangeRequest::Kind;
    auto range = parse_byte_range("bytes=0-99", 1000);
    EXPECT_EQ(range.kind, Kind::partial);
    EXPECT_EQ(range.first, 0u);
    EXPECT_EQ(range.last, 99u);
    range = parse_byte_range("bytes=900-", 1000);
    EXPECT_EQ(range.kind, Kind::partial);
    EXPECT_EQ(range.first, 900u);
    EXPECT_EQ(range.last, 999u);
    range = parse_byte_range("bytes=990-5000", 1000);
    EXPECT_EQ(range.last, 999u) << "clamped to the end";
    range = parse_byte_range("bytes=-10", 1000);
    EXPECT_EQ(range.kind, Kind::partial);
    EXPECT_EQ(range.first, 990u);
    EXPECT_EQ(range.last, 999u);
    range = parse_byte_range("bytes=-5000", 1000);
    EXPECT_EQ(range.first, 0u);
    EXPECT_EQ(parse_byte_range("bytes=1000-", 1000).kind, Kind::unsatisfiable);
    EXPECT_EQ(parse_byte_range("bytes=-0", 1000).kind, Kind::unsatisfiable);
    for (const char* ignored : {"", "bytes=5-2", "bytes=0-1,5-6", "items=0-1", "bytes=a-b", "bytes=", "bytes=-"})
        EXPECT_EQ(parse_byte_range(ignored, 1000).kind, Kind::whole) << ignored;
}

}  // namespace
}  // namespace vox::host
