// Deepgram's live-streaming messages, as documented for /v1/listen: what the
// client sends (Finalize, KeepAlive, CloseStream as text frames) and what it
// receives (Results, Metadata, UtteranceEnd, SpeechStarted; errors as close
// frames "<code> + NET-0001"-style payloads or handshake HTTP statuses).
#pragma once

#include <vox/plugin.h>

#include <optional>
#include <string>
#include <string_view>

namespace vox::deepgram {

inline constexpr std::string_view kFinalize = R"({"type":"Finalize"})";
inline constexpr std::string_view kKeepAlive = R"({"type":"KeepAlive"})";
inline constexpr std::string_view kCloseStream = R"({"type":"CloseStream"})";

// A "Results" message: one transcript of channel 0's first alternative.
struct Result {
    std::string transcript;
    bool is_final = false;       // the segment will not change any more
    bool speech_final = false;   // Deepgram's endpointing saw a pause after it
    bool from_finalize = false;  // the answer to a Finalize message
    double start_s = 0;          // on the connection's audio timeline
    double duration_s = 0;
    double confidence = -1;
};

// Results → the Result; other known types (Metadata, UtteranceEnd,
// SpeechStarted) and anything unparseable → nullopt.
std::optional<Result> parse_result(std::string_view text);

// Why the server closed the stream: from the close frame's payload
// (status code, big-endian, then a UTF-8 reason such as "NET-0001").
struct CloseReason {
    int code = 1005;  // "no status" when the frame had none
    std::string reason;
    // Worth reconnecting (a network or server hiccup), rather than a refusal
    // of this stream that a new connection would get again.
    bool transient = true;
    vox_status status = VOX_ERR_UNAVAILABLE;
    std::string message;  // for the operator: what happened, in words
};
CloseReason parse_close(std::string_view payload);

// Handshake refused with an HTTP status: the status code for voxd and
// whether another attempt may succeed.
struct HandshakeFailure {
    vox_status status = VOX_ERR_UNAVAILABLE;
    bool transient = false;
    std::string message;
};
HandshakeFailure classify_handshake(int http_status, const std::string& reason, const std::string& dg_error);

}  // namespace vox::deepgram
