// WebSocket framing (RFC 6455) for the media socket's server side: an
// incremental decoder of the client's frames (masked, possibly fragmented,
// interleaved with control frames) into whole messages, and encoders for the
// server's frames (unmasked). No I/O: the reactor feeds bytes in and writes
// the encoded bytes out, so a partial frame never blocks a thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vox::transport_ws {

enum class Opcode : std::uint8_t { continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA };

// Close codes the server uses (docs/protocol.md 2.3).
namespace close_code {
constexpr std::uint16_t normal = 1000;
constexpr std::uint16_t protocol_error = 1002;
constexpr std::uint16_t not_acceptable = 1003;  // a text frame that is not UTF-8
constexpr std::uint16_t no_status = 1005;       // received only: a close frame without a code
constexpr std::uint16_t too_big = 1009;
constexpr std::uint16_t internal_error = 1011;
}  // namespace close_code

// A whole message (text or binary, fragments joined) or one control frame.
struct Message {
    Opcode opcode = Opcode::binary;
    std::string payload;  // unmasked
};

class FrameDecoder {
public:
    enum class Status { message, need_more, error };
    struct Result {
        Status status = Status::need_more;
        Message message;          // when status == message
        std::uint16_t close_code = 0;  // when status == error: the code to close with
        std::string error;             // when status == error: why
    };

    // `max_message` bounds a frame's payload and a fragmented message's total.
    explicit FrameDecoder(std::size_t max_message) : max_message_(max_message) {}

    void feed(const char* data, std::size_t length) { buffer_.append(data, length); }
    // The next complete message or control frame, need_more, or an error
    // after which the connection is to be closed with `close_code`.
    Result next();
    std::size_t buffered() const { return buffer_.size() - offset_; }

private:
    void compact();

    std::size_t max_message_;
    std::string buffer_;
    std::size_t offset_ = 0;
    bool in_message_ = false;  // a fragmented message is being assembled
    Opcode message_opcode_ = Opcode::binary;
    std::string message_;
};

// One unfragmented server frame (FIN set, unmasked).
std::string encode_frame(Opcode opcode, std::string_view payload);
// A close frame with a status code and a short reason.
std::string encode_close(std::uint16_t code, std::string_view reason = {});
// The status code in a received close frame's payload (1005 when there is none).
std::uint16_t close_code_of(std::string_view payload);

bool is_valid_utf8(std::string_view text);

}  // namespace vox::transport_ws
