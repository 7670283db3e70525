#include <vox/core/audio/wav.hpp>

#include <sndfile.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

namespace vox::audio {
namespace {

// Owns one SNDFILE* so that every error path closes it.
struct SndFile {
    SNDFILE* file = nullptr;
    ~SndFile() {
        if (file != nullptr) sf_close(file);
    }
};

// libsndfile reads and writes through these callbacks when the "file" is a
// byte buffer; seeks are needed because the WAV header is patched at close.
struct MemoryFile {
    std::span<const std::uint8_t> input;          // when decoding
    std::vector<std::uint8_t>* output = nullptr;  // when encoding
    sf_count_t position = 0;

    sf_count_t size() const {
        return output != nullptr ? static_cast<sf_count_t>(output->size()) : static_cast<sf_count_t>(input.size());
    }
};

sf_count_t memory_length(void* user) { return static_cast<MemoryFile*>(user)->size(); }

sf_count_t memory_seek(sf_count_t offset, int whence, void* user) {
    auto* memory = static_cast<MemoryFile*>(user);
    sf_count_t base = whence == SEEK_CUR ? memory->position : whence == SEEK_END ? memory->size() : 0;
    sf_count_t target = base + offset;
    if (target < 0) return -1;
    memory->position = target;
    return target;
}

sf_count_t memory_read(void* destination, sf_count_t count, void* user) {
    auto* memory = static_cast<MemoryFile*>(user);
    sf_count_t available = std::max<sf_count_t>(0, memory->size() - memory->position);
    sf_count_t n = std::min(count, available);
    if (n <= 0) return 0;
    const std::uint8_t* source = memory->output != nullptr ? memory->output->data() : memory->input.data();
    std::memcpy(destination, source + memory->position, static_cast<std::size_t>(n));
    memory->position += n;
    return n;
}

sf_count_t memory_write(const void* source, sf_count_t count, void* user) {
    auto* memory = static_cast<MemoryFile*>(user);
    if (memory->output == nullptr || count < 0) return 0;
    auto end = static_cast<std::size_t>(memory->position + count);
    if (memory->output->size() < end) memory->output->resize(end);
    std::memcpy(memory->output->data() + memory->position, source, static_cast<std::size_t>(count));
    memory->position += count;
    return count;
}

sf_count_t memory_tell(void* user) { return static_cast<MemoryFile*>(user)->position; }

SF_VIRTUAL_IO memory_io() {
    SF_VIRTUAL_IO io{};
    io.get_filelen = &memory_length;
    io.seek = &memory_seek;
    io.read = &memory_read;
    io.write = &memory_write;
    io.tell = &memory_tell;
    return io;
}

AudioBuffer read_all(SNDFILE* file, const SF_INFO& info, const std::string& what) {
    if (info.channels <= 0 || info.samplerate <= 0)
        throw AudioError(what + ": invalid header (" + std::to_string(info.channels) + " channels, " +
                         std::to_string(info.samplerate) + " Hz)");
    if (info.frames < 0 || info.frames > std::numeric_limits<sf_count_t>::max() / info.channels)
        throw AudioError(what + ": invalid length in header");
    AudioBuffer buffer;
    buffer.sample_rate = static_cast<std::uint32_t>(info.samplerate);
    buffer.channels = static_cast<std::uint32_t>(info.channels);
    buffer.samples.resize(static_cast<std::size_t>(info.frames) * buffer.channels);
    sf_count_t read = sf_readf_short(file, buffer.samples.data(), info.frames);
    if (read < 0) throw AudioError(what + ": " + sf_strerror(file));
    // A header that promises more than the data holds (a writer that died)
    // still yields the samples that are there.
    if (read == 0 && info.frames > 0) throw AudioError(what + ": no audio data (truncated file?)");
    buffer.samples.resize(static_cast<std::size_t>(read) * buffer.channels);
    return buffer;
}

SF_INFO pcm16_wav_info(const AudioView& audio, const std::string& what) {
    if (audio.sample_rate == 0 || audio.sample_rate > 768000)
        throw AudioError(what + ": unsupported sample rate " + std::to_string(audio.sample_rate));
    if (audio.channels == 0 || audio.channels > 16)
        throw AudioError(what + ": unsupported channel count " + std::to_string(audio.channels));
    if (audio.samples.size() % audio.channels != 0)
        throw AudioError(what + ": " + std::to_string(audio.samples.size()) + " samples is not a whole number of " +
                         std::to_string(audio.channels) + "-channel frames");
    SF_INFO info{};
    info.samplerate = static_cast<int>(audio.sample_rate);
    info.channels = static_cast<int>(audio.channels);
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    if (sf_format_check(&info) == 0) throw AudioError(what + ": libsndfile refuses this format");
    return info;
}

void write_all(SNDFILE* file, const AudioView& audio, const std::string& what) {
    auto frames = static_cast<sf_count_t>(audio.frames());
    if (sf_writef_short(file, audio.samples.data(), frames) != frames)
        throw AudioError(what + ": write failed: " + sf_strerror(file));
}

}  // namespace

AudioBuffer read_wav(const std::filesystem::path& path) {
    std::string what = "cannot read audio file '" + path.string() + "'";
    SF_INFO info{};
    SndFile handle{sf_open(path.c_str(), SFM_READ, &info)};
    if (handle.file == nullptr) throw AudioError(what + ": " + sf_strerror(nullptr));
    return read_all(handle.file, info, what);
}

AudioBuffer decode_wav(std::span<const std::uint8_t> bytes) {
    std::string what = "cannot decode audio (" + std::to_string(bytes.size()) + " bytes)";
    MemoryFile memory{bytes, nullptr, 0};
    SF_VIRTUAL_IO io = memory_io();
    SF_INFO info{};
    SndFile handle{sf_open_virtual(&io, SFM_READ, &info, &memory)};
    if (handle.file == nullptr) throw AudioError(what + ": " + sf_strerror(nullptr));
    return read_all(handle.file, info, what);
}

void write_wav(const std::filesystem::path& path, const AudioView& audio) {
    std::string what = "cannot write WAV file '" + path.string() + "'";
    SF_INFO info = pcm16_wav_info(audio, what);
    SndFile handle{sf_open(path.c_str(), SFM_WRITE, &info)};
    if (handle.file == nullptr) throw AudioError(what + ": " + sf_strerror(nullptr));
    write_all(handle.file, audio, what);
    // sf_close writes the final header sizes; a failure there is a failed write.
    int status = sf_close(handle.file);
    handle.file = nullptr;
    if (status != 0) throw AudioError(what + ": " + sf_error_number(status));
}

std::vector<std::uint8_t> encode_wav(const AudioView& audio) {
    std::string what = "cannot encode WAV";
    SF_INFO info = pcm16_wav_info(audio, what);
    std::vector<std::uint8_t> bytes;
    MemoryFile memory{{}, &bytes, 0};
    SF_VIRTUAL_IO io = memory_io();
    SndFile handle{sf_open_virtual(&io, SFM_WRITE, &info, &memory)};
    if (handle.file == nullptr) throw AudioError(what + ": " + sf_strerror(nullptr));
    write_all(handle.file, audio, what);
    int status = sf_close(handle.file);
    handle.file = nullptr;
    if (status != 0) throw AudioError(what + ": " + sf_error_number(status));
    return bytes;
}

}  // namespace vox::audio
