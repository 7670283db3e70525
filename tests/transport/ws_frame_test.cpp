// The media socket's WebSocket framing on its own: masked client frames in
// pieces, fragmented messages with control frames in between, the limits and
// protocol errors, and the server's frames.
#include "ws_frame.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vox::transport_ws {
namespace {

// A client frame as a browser sends it: masked with `key`.
std::string client_frame(std::uint8_t first_byte, const std::string& payload, bool masked = true,
                         const char key[4] = "abcd") {
    std::string frame;
    frame.push_back(static_cast<char>(first_byte));
    const std::uint8_t mask_bit = masked ? 0x80 : 0x00;
    if (payload.size() < 126) {
        frame.push_back(static_cast<char>(mask_bit | payload.size()));
    } else if (payload.size() <= 0xFFFF) {
        frame.push_back(static_cast<char>(mask_bit | 126));
        frame.push_back(static_cast<char>(payload.size() >> 8));
        frame.push_back(static_cast<char>(payload.size() & 0xFF));
    } else {
        frame.push_back(static_cast<char>(mask_bit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.push_back(static_cast<char>((static_cast<std::uint64_t>(payload.size()) >> shift) & 0xFF));
    }
    if (!masked) return frame + payload;
    frame.append(key, 4);
    for (std::size_t i = 0; i < payload.size(); ++i) frame.push_back(static_cast<char>(payload[i] ^ key[i % 4]));
    return frame;
}

TEST(WsFrame, DecodesMaskedFramesFedByteByByte) {
    FrameDecoder decoder(64 * 1024);
    std::string bytes = client_frame(0x81, R"({"type":"dtmf","digit":"5"})") + client_frame(0x82, std::string(640, 'x'));
    std::vector<Message> messages;
    for (char c : bytes) {
        decoder.feed(&c, 1);
        for (auto result = decoder.next(); result.status == FrameDecoder::Status::message; result = decoder.next())
            messages.push_back(result.message);
    }
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].opcode, Opcode::text);
    EXPECT_EQ(messages[0].payload, R"({"type":"dtmf","digit":"5"})");
    EXPECT_EQ(messages[1].opcode, Opcode::binary);
    EXPECT_EQ(messages[1].payload, std::string(640, 'x'));
    EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(WsFrame, JoinsFragmentsWithControlFramesBetween) {
    FrameDecoder decoder(64 * 1024);
    std::string bytes = client_frame(0x01, "hel") + client_frame(0x89, "ping!") + client_frame(0x00, "lo ") +
                        client_frame(0x80, "world");
    decoder.feed(bytes.data(), bytes.size());
    auto first = decoder.next();
    ASSERT_EQ(first.status, FrameDecoder::Status::message);
    EXPECT_EQ(first.message.opcode, Opcode::ping);
    EXPECT_EQ(first.message.payload, "ping!");
    auto second = decoder.next();
    ASSERT_EQ(second.status, FrameDecoder::Status::message);
    EXPECT_EQ(second.message.opcode, Opcode::text);
    EXPECT_EQ(second.message.payload, "hello world");
    EXPECT_EQ(decoder.next().status, FrameDecoder::Status::need_more);
}

TEST(WsFrame, LengthForms) {
    FrameDecoder decoder(200 * 1024);
    for (std::size_t size : {0u, 125u, 126u, 65535u, 65536u, 100000u}) {
        std::string bytes = client_frame(0x82, std::string(size, 'z'));
        decoder.feed(bytes.data(), bytes.size());
        auto result = decoder.next();
        ASSERT_EQ(result.status, FrameDecoder::Status::message) << size;
        EXPECT_EQ(result.message.payload.size(), size);
    }
}

TEST(WsFrame, RefusesWhatBreaksTheProtocol) {
    struct Case {
        std::string bytes;
        std::uint16_t code;
    };
    const Case cases[] = {
        {client_frame(0x82, "abc", false), close_code::protocol_error},            // unmasked
        {client_frame(0xC2, "abc"), close_code::protocol_error},                   // RSV1 without an extension
        {client_frame(0x83, "abc"), close_code::protocol_error},                   // unknown opcode
        {client_frame(0x09, "abc"), close_code::protocol_error},                   // fragmented ping
        {client_frame(0x89, std::string(126, 'p')), close_code::protocol_error},   // control frame too long
        {client_frame(0x80, "abc"), close_code::protocol_error},                   // continuation of nothing
        {client_frame(0x01, "a") + client_frame(0x81, "b"), close_code::protocol_error},  // message in a message
        {client_frame(0x82, std::string(1025, 'x')), close_code::too_big},
        {client_frame(0x02, std::string(600, 'x')) + client_frame(0x80, std::string(600, 'x')), close_code::too_big},
    };
    for (const auto& test : cases) {
        FrameDecoder decoder(1024);
        decoder.feed(test.bytes.data(), test.bytes.size());
        auto result = decoder.next();
        while (result.status == FrameDecoder::Status::message) result = decoder.next();
        EXPECT_EQ(result.status, FrameDecoder::Status::error);
        EXPECT_EQ(result.close_code, test.code) << result.error;
    }
}

TEST(WsFrame, TooBigIsRefusedBeforeThePayloadArrives) {
    FrameDecoder decoder(64 * 1024);
    std::string header = client_frame(0x82, std::string(1 << 20, 'x')).substr(0, 14);
    decoder.feed(header.data(), header.size());
    auto result = decoder.next();
    EXPECT_EQ(result.status, FrameDecoder::Status::error);
    EXPECT_EQ(result.close_code, close_code::too_big);
}

TEST(WsFrame, EncodesServerFrames) {
    std::string small = encode_frame(Opcode::text, "hi");
    EXPECT_EQ(small, std::string("\x81\x02hi", 4));
    std::string medium = encode_frame(Opcode::binary, std::string(640, 'a'));
    ASSERT_EQ(medium.size(), 644u);
    EXPECT_EQ(static_cast<unsigned char>(medium[0]), 0x82);
    EXPECT_EQ(static_cast<unsigned char>(medium[1]), 126);
    EXPECT_EQ((static_cast<unsigned char>(medium[2]) << 8) | static_cast<unsigned char>(medium[3]), 640);
    std::string large = encode_frame(Opcode::binary, std::string(70000, 'a'));
    EXPECT_EQ(static_cast<unsigned char>(large[1]), 127);
    EXPECT_EQ(large.size(), 70000u + 10);
    std::string close = encode_close(1000, "bye");
    EXPECT_EQ(close, std::string("\x88\x05\x03\xE8" "bye", 7));
    EXPECT_EQ(close_code_of(close.substr(2)), 1000);
    EXPECT_EQ(close_code_of(""), close_code::no_status);
}

TEST(WsFrame, Utf8Validation) {
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
    EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xFF"));
}

}  // namespace
}  // namespace vox::transport_ws
