#include "transcription_request.hpp"

#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cctype>
#include <cstdio>

namespace vox::openai_audio {
namespace {

void put_u32(std::string& out, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}
void put_u16(std::string& out, std::uint16_t value) {
    out.push_back(static_cast<char>(value & 0xFF));
    out.push_back(static_cast<char>((value >> 8) & 0xFF));
}

// Unique per request, and made of characters that cannot clash with a WAV's
// bytes by accident any more than any other fixed 32-byte string.
std::string make_boundary() {
    static std::atomic<std::uint64_t> counter{0};
    char text[64];
    std::snprintf(text, sizeof text, "----vox-openai-audio-%016llx",
                  static_cast<unsigned long long>(counter.fetch_add(1) * 0x9E3779B97F4A7C15ULL));
    return text;
}

void add_field(std::string& body, const std::string& boundary, const std::string& name, const std::string& value) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
}

}  // namespace

std::string encode_wav(std::span<const std::int16_t> samples, std::uint32_t sample_rate) {
    const auto data_bytes = static_cast<std::uint32_t>(samples.size() * 2);
    std::string wav;
    wav.reserve(44 + data_bytes);
    wav += "RIFF";
    put_u32(wav, 36 + data_bytes);
    wav += "WAVEfmt ";
    put_u32(wav, 16);  // fmt chunk size
    put_u16(wav, 1);   // PCM
    put_u16(wav, 1);   // mono
    put_u32(wav, sample_rate);
    put_u32(wav, sample_rate * 2);  // byte rate
    put_u16(wav, 2);                // block align
    put_u16(wav, 16);               // bits per sample
    wav += "data";
    put_u32(wav, data_bytes);
    for (std::int16_t sample : samples) put_u16(wav, static_cast<std::uint16_t>(sample));  // little-endian
    return wav;
}

plugin_common::HttpRequest transcription_request(const Config& config, std::span<const std::int16_t> samples,
                                                 std::uint32_t sample_rate) {
    std::string boundary = make_boundary();
    std::string body;
    add_field(body, boundary, "model", config.model);
    if (!config.language.empty()) add_field(body, boundary, "language", config.language);
    add_field(body, boundary, "response_format", "json");
    body += "--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"utterance.wav\"\r\n"
            "Content-Type: audio/wav\r\n\r\n";
    body += encode_wav(samples, sample_rate);
    body += "\r\n--" + boundary + "--\r\n";
    return {"/audio/transcriptions", "multipart/form-data; boundary=" + boundary, "application/json", std::move(body)};
}

std::string transcript_text(const std::string& answer) {
    auto document = nlohmann::json::parse(answer, nullptr, false);
    if (document.is_discarded() || !document.is_object() || !document.contains("text") || !document["text"].is_string())
        throw sdk::Error(VOX_ERR_UNAVAILABLE,
                         "stt.openai: the server's answer has no \"text\": " + answer.substr(0, 200));
    std::string text = document["text"].get<std::string>();
    auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && is_space(text.back())) text.pop_back();
    std::size_t first = 0;
    while (first < text.size() && is_space(text[first])) ++first;
    return text.substr(first);
}

}  // namespace vox::openai_audio
