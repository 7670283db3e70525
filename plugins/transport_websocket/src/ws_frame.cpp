#include "ws_frame.hpp"

namespace vox::transport_ws {
namespace {

constexpr std::uint8_t kFin = 0x80;
constexpr std::uint8_t kRsv = 0x70;
constexpr std::uint8_t kMask = 0x80;

bool is_control(std::uint8_t opcode) { return (opcode & 0x8) != 0; }
bool is_known(std::uint8_t opcode) {
    return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

FrameDecoder::Result failure(std::uint16_t code, std::string why) {
    FrameDecoder::Result result;
    result.status = FrameDecoder::Status::error;
    result.close_code = code;
    result.error = std::move(why);
    return result;
}

}  // namespace

FrameDecoder::Result FrameDecoder::next() {
    for (;;) {
        const std::size_t available = buffer_.size() - offset_;
        if (available < 2) {
            compact();
            return {};
        }
        const auto* head = reinterpret_cast<const std::uint8_t*>(buffer_.data() + offset_);
        const bool fin = (head[0] & kFin) != 0;
        const std::uint8_t opcode = head[0] & 0x0F;
        if ((head[0] & kRsv) != 0) return failure(close_code::protocol_error, "reserved bits set (no extension agreed)");
        if (!is_known(opcode)) return failure(close_code::protocol_error, "unknown opcode " + std::to_string(opcode));
        if ((head[1] & kMask) == 0) return failure(close_code::protocol_error, "client frames must be masked");

        std::size_t header = 2;
        std::uint64_t length = head[1] & 0x7F;
        if (length == 126) {
            header = 4;
            if (available < header) return {};
            length = (std::uint64_t{head[2]} << 8) | head[3];
        } else if (length == 127) {
            header = 10;
            if (available < header) return {};
            length = 0;
            for (int i = 2; i < 10; ++i) length = (length << 8) | head[i];
            if ((length >> 63) != 0) return failure(close_code::protocol_error, "frame length out of range");
        }
        if (is_control(opcode)) {
            if (!fin) return failure(close_code::protocol_error, "fragmented control frame");
            if (length > 125) return failure(close_code::protocol_error, "control frame longer than 125 bytes");
        } else {
            if (opcode == 0 && !in_message_) return failure(close_code::protocol_error, "continuation without a message");
            if (opcode != 0 && in_message_) return failure(close_code::protocol_error, "new message inside a fragmented one");
            const std::uint64_t total = (in_message_ ? message_.size() : 0) + length;
            if (total > max_message_)
                return failure(close_code::too_big, "message of " + std::to_string(total) + " bytes exceeds " +
                                                        std::to_string(max_message_));
        }
        header += 4;  // the masking key
        if (available < header + length) {
            compact();
            return {};
        }

        const std::uint8_t* key = head + header - 4;
        std::string payload(buffer_.data() + offset_ + header, static_cast<std::size_t>(length));
        for (std::size_t i = 0; i < payload.size(); ++i)
            payload[i] = static_cast<char>(static_cast<std::uint8_t>(payload[i]) ^ key[i % 4]);
        offset_ += header + static_cast<std::size_t>(length);

        if (is_control(opcode)) {
            Result result;
            result.status = Status::message;
            result.message = {static_cast<Opcode>(opcode), std::move(payload)};
            return result;
        }
        if (opcode != 0) {
            message_opcode_ = static_cast<Opcode>(opcode);
            message_.clear();
        }
        if (fin) {
            Result result;
            result.status = Status::message;
            if (in_message_ || opcode == 0) {
                message_ += payload;
                result.message = {message_opcode_, std::move(message_)};
                message_.clear();
            } else {
                result.message = {message_opcode_, std::move(payload)};
            }
            in_message_ = false;
            return result;
        }
        message_ += payload;
        in_message_ = true;
    }
}

void FrameDecoder::compact() {
    if (offset_ == 0) return;
    buffer_.erase(0, offset_);
    offset_ = 0;
}

std::string encode_frame(Opcode opcode, std::string_view payload) {
    std::string frame;
    frame.reserve(payload.size() + 10);
    frame.push_back(static_cast<char>(kFin | static_cast<std::uint8_t>(opcode)));
    const std::size_t length = payload.size();
    if (length < 126) {
        frame.push_back(static_cast<char>(length));
    } else if (length <= 0xFFFF) {
        frame.push_back(static_cast<char>(126));
        frame.push_back(static_cast<char>((length >> 8) & 0xFF));
        frame.push_back(static_cast<char>(length & 0xFF));
    } else {
        frame.push_back(static_cast<char>(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.push_back(static_cast<char>((static_cast<std::uint64_t>(length) >> shift) & 0xFF));
    }
    frame.append(payload);
    return frame;
}

std::string encode_close(std::uint16_t code, std::string_view reason) {
    std::string payload;
    payload.push_back(static_cast<char>((code >> 8) & 0xFF));
    payload.push_back(static_cast<char>(code & 0xFF));
    payload.append(reason.substr(0, 120));
    return encode_frame(Opcode::close, payload);
}

std::uint16_t close_code_of(std::string_view payload) {
    if (payload.size() < 2) return close_code::no_status;
    return static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                      static_cast<std::uint8_t>(payload[1]));
}

bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        const auto c = static_cast<std::uint8_t>(text[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t extra = 0;
        std::uint32_t code = 0;
        std::uint32_t min = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            code = c & 0x1F;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            code = c & 0x0F;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            code = c & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            if (i + k >= n) return false;
            const auto next = static_cast<std::uint8_t>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            code = (code << 6) | (next & 0x3F);
        }
        if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
        i += extra + 1;
    }
    return true;
}

}  // namespace vox::transport_ws
