// Keeping the recordings directory in order: the recording a crash left is
// mended (its header's sizes) and named; old recordings are deleted when
// calls.recordings_max_age_days says so.
#include "calls/recording_maintenance.hpp"

#include "calls/call_recording.hpp"

#include <vox/core/audio/wav.hpp>
#include <vox/core/audio/wav_repair.hpp>
#include <vox/core/audio/wav_stream_writer.hpp>

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <vector>

namespace vox::host {
namespace {

using namespace std::chrono_literals;

// The little-endian 32-bit number at `offset` of the file.
std::uint32_t header_field(const std::filesystem::path& path, std::streamoff offset) {
    std::ifstream file(path, std::ios::binary);
    file.seekg(offset);
    unsigned char bytes[4] = {};
    file.read(reinterpret_cast<char*>(bytes), 4);
    return bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (static_cast<std::uint32_t>(bytes[3]) << 24);
}

class RecordingMaintenanceTest : public ::testing::Test {
protected:
    void SetUp() override {
        static std::atomic<int> counter{0};
        dir_ = std::filesystem::temp_directory_path() /
               ("vox_recording_maintenance_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    // A stereo recording as a crash leaves it: the audio is on disk, the
    // header's sizes were never written. Made by copying the file while its
    // writer still has it open.
    std::filesystem::path crashed_recording(const std::string& call_id, std::size_t frames, bool partial_frame) {
        std::vector<std::int16_t> stereo;
        for (std::size_t i = 0; i < frames; ++i) {
            stereo.push_back(static_cast<std::int16_t>(i));
            stereo.push_back(static_cast<std::int16_t>(-static_cast<int>(i)));
        }
        auto open_path = dir_ / "open.wav";
        audio::WavStreamWriter writer(open_path, 8000, 2);
        writer.write(stereo);
        auto path = recording_path(dir_, call_id);
        std::filesystem::copy_file(open_path, path, std::filesystem::copy_options::overwrite_existing);
        writer.close();
        std::filesystem::remove(open_path);
        if (partial_frame) std::ofstream(path, std::ios::binary | std::ios::app).write("\x01\x02", 2);
        return path;
    }

    std::filesystem::path dir_;
};

TEST_F(RecordingMaintenanceTest, ACrashedRecordingIsMendedAndNamed) {
    auto path = crashed_recording("call_crashed1", 4000, /*partial_frame=*/true);
    // As the crash left it, the header states no audio (libsndfile reads on to the end anyway; browsers'
    // players do not). The writer's header is the plain 44-byte one: sizes at 4 (RIFF) and 40 (data).
    EXPECT_EQ(header_field(path, 40), 0U);
    EXPECT_EQ(header_field(path, 4), 8U);
    auto url = recover_recording(dir_, "call_crashed1");
    ASSERT_TRUE(url);
    EXPECT_EQ(*url, recording_url("call_crashed1"));
    auto mended = audio::read_wav(path);
    EXPECT_EQ(mended.sample_rate, 8000U);
    EXPECT_EQ(mended.channels, 2U);
    ASSERT_EQ(mended.samples.size(), 8000U) << "every whole frame, the partial one left out";
    EXPECT_EQ(mended.samples[2 * 3999], 3999);
    EXPECT_EQ(mended.samples[2 * 3999 + 1], -3999);
    EXPECT_EQ(header_field(path, 40), 16000U);
    EXPECT_EQ(header_field(path, 4), 36U + 16000U);
    // Mending again changes nothing.
    EXPECT_EQ(audio::repair_wav_sizes(path), std::optional<std::uint64_t>(4000));
}

TEST_F(RecordingMaintenanceTest, NothingToMendIsNoRecording) {
    EXPECT_FALSE(recover_recording(dir_, "call_none"));
    EXPECT_FALSE(recover_recording("", "call_none"));
    crashed_recording("call_empty", 0, false);
    EXPECT_FALSE(recover_recording(dir_, "call_empty")) << "a header without audio";
    std::ofstream(recording_path(dir_, "call_text")) << "not a wav file at all";
    EXPECT_FALSE(recover_recording(dir_, "call_text"));
    EXPECT_EQ(std::filesystem::file_size(recording_path(dir_, "call_text")), 21U) << "left as it was";
}

TEST_F(RecordingMaintenanceTest, OldRecordingsAreDeletedAndNothingElse) {
    auto old_one = crashed_recording("call_old", 10, false);
    auto new_one = crashed_recording("call_new", 10, false);
    auto other = dir_ / "notes.wav";
    std::ofstream(other) << "x";
    auto now = std::filesystem::file_time_type::clock::now();
    std::filesystem::last_write_time(old_one, now - 49h);
    std::filesystem::last_write_time(other, now - 100h);
    EXPECT_EQ(prune_recordings(dir_, 48h, now), 1U);
    EXPECT_FALSE(std::filesystem::exists(old_one));
    EXPECT_TRUE(std::filesystem::exists(new_one));
    EXPECT_TRUE(std::filesystem::exists(other)) << "not a recording voxd wrote";
    EXPECT_EQ(prune_recordings(dir_ / "missing", 48h, now), 0U);
}

}  // namespace
}  // namespace vox::host
