#include "audio_test_support.hpp"

#include <vox/core/audio/wav.hpp>

#include <fstream>

namespace vox::test {
namespace {

using audio::AudioBuffer;
using audio::AudioError;

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const AudioError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no AudioError";
    return {};
}

TEST(AudioWav, MonoAndStereoRoundTripThroughFiles) {
    for (std::uint32_t channels : {1u, 2u}) {
        AudioBuffer original{sine(22050, 440, 0.5, 12000, channels), 22050, channels};
        std::string path = scratch(std::to_string(channels) + ".wav");
        audio::write_wav(path, original.view());
        AudioBuffer read = audio::read_wav(path);
        EXPECT_EQ(read.sample_rate, 22050u);
        EXPECT_EQ(read.channels, channels);
        EXPECT_EQ(read.samples, original.samples);
        // 16-bit PCM WAV: 44-byte header, 2 bytes per sample.
        EXPECT_EQ(std::filesystem::file_size(path), 44 + original.samples.size() * 2);
    }
}

TEST(AudioWav, EncodesAndDecodesInMemory) {
    AudioBuffer original{sine(8000, 300, 0.25), 8000, 1};
    std::vector<std::uint8_t> bytes = audio::encode_wav(original.view());
    ASSERT_GT(bytes.size(), 44u);
    EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 4), "RIFF");
    EXPECT_EQ(std::string(bytes.begin() + 8, bytes.begin() + 12), "WAVE");
    AudioBuffer decoded = audio::decode_wav(bytes);
    EXPECT_EQ(decoded.sample_rate, 8000u);
    EXPECT_EQ(decoded.samples, original.samples);
}

TEST(AudioWav, BadFilesGiveErrorsNamingTheFileAndReason) {
    std::string missing = scratch("missing.wav");
    std::string message = error_of([&] { audio::read_wav(missing); });
    EXPECT_NE(message.find(missing), std::string::npos) << message;

    std::string text = scratch("text.wav");
    std::ofstream(text) << "this is not audio at all, just some text to fill the header fields\n";
    message = error_of([&] { audio::read_wav(text); });
    EXPECT_NE(message.find(text), std::string::npos) << message;
    EXPECT_NE(message.find("ormat"), std::string::npos) << message;  // libsndfile: "Format not recognised."

    std::string empty = scratch("empty.wav");
    std::ofstream{empty};
    EXPECT_NE(error_of([&] { audio::read_wav(empty); }).find(empty), std::string::npos);

    std::vector<std::uint8_t> garbage(100, 0x55);
    EXPECT_NE(error_of([&] { audio::decode_wav(garbage); }).find("cannot decode audio"), std::string::npos);
}

TEST(AudioWav, TruncatedFileYieldsTheSamplesPresent) {
    AudioBuffer original{sine(16000, 440, 1.0), 16000, 1};
    std::string path = scratch("cut.wav");
    audio::write_wav(path, original.view());
    std::filesystem::resize_file(path, 44 + 8000 * 2);  // half the data, header unchanged
    AudioBuffer read = audio::read_wav(path);
    EXPECT_EQ(read.samples.size(), 8000u);
    EXPECT_TRUE(std::equal(read.samples.begin(), read.samples.end(), original.samples.begin()));
}

TEST(AudioWav, RefusesToWriteNonsense) {
    std::vector<std::int16_t> samples(99, 1);
    EXPECT_NE(error_of([&] {
                  audio::write_wav(scratch("a.wav"), {samples, 0, 1});
              }).find("sample rate 0"),
              std::string::npos);
    EXPECT_NE(error_of([&] {
                  audio::write_wav(scratch("b.wav"), {samples, 16000, 0});
              }).find("channel count 0"),
              std::string::npos);
    EXPECT_NE(error_of([&] {
                  audio::write_wav(scratch("c.wav"), {samples, 16000, 2});
              }).find("whole number"),
              std::string::npos);
    std::string nowhere = scratch("no/such/dir/d.wav");
    EXPECT_NE(error_of([&] { audio::write_wav(nowhere, {samples, 16000, 1}); }).find(nowhere), std::string::npos);
}

}  // namespace
}  // namespace vox::test
