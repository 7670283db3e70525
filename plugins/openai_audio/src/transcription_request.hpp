// The HTTP request of one transcription: the utterance's PCM as a WAV file in
// a multipart/form-data body, as POST /audio/transcriptions takes it.
#pragma once

#include "config.hpp"

#include <vox/plugin_common/http_client.hpp>

#include <cstdint>
#include <span>
#include <string>

namespace vox::openai_audio {

// A RIFF/WAVE file (PCM, 16-bit, mono) of `samples` at `sample_rate`.
std::string encode_wav(std::span<const std::int16_t> samples, std::uint32_t sample_rate);

// POST /audio/transcriptions with fields file, model, language (when set) and
// response_format=json.
plugin_common::HttpRequest transcription_request(const Config& config, std::span<const std::int16_t> samples,
                                                 std::uint32_t sample_rate);

// The text of a {"text": ...} answer, trimmed (whisper.cpp adds spaces and a
// newline). Throws sdk::Error(VOX_ERR_UNAVAILABLE) for any other answer.
std::string transcript_text(const std::string& answer);

}  // namespace vox::openai_audio
