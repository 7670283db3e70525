#include <vox/core/audio/wav_stream_writer.hpp>

#include <sndfile.h>

#include <string>

namespace vox::audio {

WavStreamWriter::WavStreamWriter(const std::filesystem::path& path, std::uint32_t sample_rate, std::uint32_t channels)
    : path_(path), channels_(channels) {
    std::string what = "cannot write WAV file '" + path.string() + "'";
    if (sample_rate == 0 || channels == 0 || channels > 8)
        throw AudioError(what + ": unsupported format (" + std::to_string(sample_rate) + " Hz, " +
                         std::to_string(channels) + " channels)");
    SF_INFO info{};
    info.samplerate = static_cast<int>(sample_rate);
    info.channels = static_cast<int>(channels);
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    file_ = sf_open(path.c_str(), SFM_WRITE, &info);
    if (file_ == nullptr) throw AudioError(what + ": " + sf_strerror(nullptr));
}

WavStreamWriter::~WavStreamWriter() {
    if (file_ != nullptr) sf_close(file_);
}

void WavStreamWriter::write(std::span<const std::int16_t> samples) {
    std::string what = "cannot write WAV file '" + path_.string() + "'";
    if (file_ == nullptr) throw AudioError(what + ": it is closed");
    if (samples.size() % channels_ != 0) throw AudioError(what + ": a block of partial frames");
    if (samples.empty()) return;
    auto frames = static_cast<sf_count_t>(samples.size() / channels_);
    sf_count_t written = sf_writef_short(file_, samples.data(), frames);
    if (written > 0) frames_ += static_cast<std::uint64_t>(written);
    if (written != frames) {
        const char* reason = sf_strerror(file_);
        throw AudioError(what + ": " + (reason != nullptr && *reason != '\0' ? reason : "short write"));
    }
}

void WavStreamWriter::close() {
    if (file_ == nullptr) return;
    // sf_close writes the final header sizes; a failure there is a failed write.
    int status = sf_close(file_);
    file_ = nullptr;
    if (status != 0) throw AudioError("cannot write WAV file '" + path_.string() + "': " + sf_error_number(status));
}

}  // namespace vox::audio
