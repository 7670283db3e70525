#include <vox/core/audio/wav_repair.hpp>

#include <array>
#include <cstring>
#include <fstream>
#include <limits>
#include <system_error>

namespace vox::audio {
namespace {

std::uint32_t little_endian_32(const unsigned char* bytes) {
    return static_cast<std::uint32_t>(bytes[0]) | (static_cast<std::uint32_t>(bytes[1]) << 8) |
           (static_cast<std::uint32_t>(bytes[2]) << 16) | (static_cast<std::uint32_t>(bytes[3]) << 24);
}

std::array<char, 4> as_little_endian(std::uint32_t value) {
    return {static_cast<char>(value & 0xFF), static_cast<char>((value >> 8) & 0xFF),
            static_cast<char>((value >> 16) & 0xFF), static_cast<char>((value >> 24) & 0xFF)};
}

}  // namespace

std::optional<std::uint64_t> repair_wav_sizes(const std::filesystem::path& path) {
    std::error_code ec;
    const std::uint64_t file_size = std::filesystem::file_size(path, ec);
    if (ec || file_size < 12) return std::nullopt;
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    if (!file) return std::nullopt;

    std::array<unsigned char, 12> riff{};
    if (!file.read(reinterpret_cast<char*>(riff.data()), riff.size())) return std::nullopt;
    if (std::memcmp(riff.data(), "RIFF", 4) != 0 || std::memcmp(riff.data() + 8, "WAVE", 4) != 0) return std::nullopt;

    // Walk the chunks: fmt gives the frame size; data is the audio, to the end of the file.
    std::uint64_t at = 12;
    std::uint32_t frame_bytes = 0;
    while (at + 8 <= file_size) {
        std::array<unsigned char, 8> header{};
        file.seekg(static_cast<std::streamoff>(at));
        if (!file.read(reinterpret_cast<char*>(header.data()), header.size())) return std::nullopt;
        const std::uint32_t size = little_endian_32(header.data() + 4);
        if (std::memcmp(header.data(), "fmt ", 4) == 0) {
            std::array<unsigned char, 16> format{};
            if (size < format.size() || !file.read(reinterpret_cast<char*>(format.data()), format.size()))
                return std::nullopt;
            const std::uint32_t encoding = format[0] | (format[1] << 8);
            frame_bytes = format[12] | (format[13] << 8);                                        // block align
            if ((encoding != 1 && encoding != 0xFFFE) || frame_bytes == 0) return std::nullopt;  // PCM only
        } else if (std::memcmp(header.data(), "data", 4) == 0) {
            if (frame_bytes == 0) return std::nullopt;  // data before fmt: not ours to guess
            const std::uint64_t audio_start = at + 8;
            std::uint64_t frames = (file_size - audio_start) / frame_bytes;
            std::uint64_t data_bytes = frames * frame_bytes;
            if (audio_start + data_bytes - 8 > std::numeric_limits<std::uint32_t>::max()) {
                // A WAV states at most 4 GiB: keep what fits.
                frames = (std::numeric_limits<std::uint32_t>::max() - audio_start) / frame_bytes;
                data_bytes = frames * frame_bytes;
            }
            auto data_size = as_little_endian(static_cast<std::uint32_t>(data_bytes));
            auto riff_size = as_little_endian(static_cast<std::uint32_t>(audio_start + data_bytes - 8));
            file.seekp(static_cast<std::streamoff>(at + 4));
            file.write(data_size.data(), data_size.size());
            file.seekp(4);
            file.write(riff_size.data(), riff_size.size());
            file.flush();
            if (!file) return std::nullopt;
            return frames;
        }
        // Chunks are padded to an even size.
        at += 8 + static_cast<std::uint64_t>(size) + (size & 1U);
    }
    return std::nullopt;
}

}  // namespace vox::audio
