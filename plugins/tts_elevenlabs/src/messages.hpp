// ElevenLabs' stream-input messages: what the client sends (the opening
// message with voice settings, text chunks, the end of input) and what the
// server answers (base64 PCM audio with per-character alignment, isFinal,
// errors), plus word timings assembled from the character alignment.
#pragma once

#include "config.hpp"

#include <vox/plugin.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vox::elevenlabs {

// {"text": " ", "voice_settings": {...}}: the first message (the key travels in the handshake header).
std::string opening_message(const Config& config);
// {"text": "<chunk> "}: ElevenLabs wants every chunk to end with a space.
// With `flush` ("flush": true) the server speaks what it has buffered now
// instead of waiting for more text (its chunk_length_schedule).
std::string text_message(std::string_view text, bool flush = false);
// True when `text` ends a sentence (. ! ? and the like, maybe followed by
// quotes or spaces): the point where the buffered text is worth speaking at once.
bool ends_sentence(std::string_view text);
// {"text": ""}: no more text; the server speaks the rest, sends isFinal and closes.
std::string end_of_input_message();
// The body of POST /v1/text-to-speech/{voice}/stream.
std::string http_stream_body(const Config& config, std::string_view text);

struct ServerMessage {
    std::vector<std::int16_t> audio;  // decoded 16-bit little-endian PCM
    // Per character: the character and its start / duration in ms, relative to this chunk's audio.
    std::vector<std::string> chars;
    std::vector<std::uint32_t> char_start_ms;
    std::vector<std::uint32_t> char_duration_ms;
    bool is_final = false;
    std::optional<std::pair<vox_status, std::string>> error;
};

// Throws sdk::Error (VOX_ERR_UNAVAILABLE) for a message that is no JSON object or has bad audio.
ServerMessage parse_server_message(std::string_view json);

// The status for an error the server reports in a message or a close frame ("quota_exceeded", ...).
vox_status status_for_error(std::string_view error_text);

std::vector<unsigned char> decode_base64(std::string_view text);  // throws sdk::Error on bad input

struct Word {
    std::string text;
    std::uint32_t start_ms = 0;
    std::uint32_t end_ms = 0;
};

// Joins characters into words across chunks; times are made absolute by the
// offset (ms of audio before the chunk) given with each chunk.
class WordTracker {
public:
    std::vector<Word> add(const ServerMessage& message, std::uint32_t offset_ms);
    std::optional<Word> finish();  // the last word, if one is open

private:
    std::optional<Word> current_;
};

}  // namespace vox::elevenlabs
