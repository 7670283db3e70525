// The cloud plugins' strict response body and sentence splitter, tested
// directly: a complete answer ends cleanly, a truncated one is an error.
#include <vox/plugin_common/response_body.hpp>
#include <vox/plugin_common/sentence_splitter.hpp>

#include <Poco/Net/NetException.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace vox::plugin_common {
namespace {

// A connection that yields `wire` in pieces of at most `piece` bytes, then ends.
ResponseBody::RawRead connection(std::string wire, std::size_t piece = 3) {
    auto at = std::make_shared<std::size_t>(0);
    return [wire = std::move(wire), piece, at](char* buffer, std::streamsize length) {
        std::size_t n = std::min({piece, static_cast<std::size_t>(length), wire.size() - *at});
        std::memcpy(buffer, wire.data() + *at, n);
        *at += n;
        return static_cast<int>(n);
    };
}

std::string read_all(ResponseBody& body) {
    std::istream in(&body);
    in.exceptions(std::ios::badbit);
    std::string text;
    char buffer[4];
    while (in.read(buffer, sizeof buffer).gcount() > 0) text.append(buffer, static_cast<std::size_t>(in.gcount()));
    return text;
}

TEST(ResponseBody, DecodesACompleteChunkedAnswer) {
    ResponseBody body(connection("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n"), ResponseBody::Framing::chunked);
    EXPECT_EQ(read_all(body), "hello, world");
}

TEST(ResponseBody, AChunkedAnswerWithoutItsLastChunkIsAnError) {
    ResponseBody between(connection("5\r\nhello\r\n"), ResponseBody::Framing::chunked);
    EXPECT_THROW(read_all(between), Poco::Net::MessageException);
    ResponseBody inside(connection("5\r\nhel"), ResponseBody::Framing::chunked);
    EXPECT_THROW(read_all(inside), Poco::Net::MessageException);
}

TEST(ResponseBody, ChecksTheContentLength) {
    ResponseBody complete(connection("abcdef"), ResponseBody::Framing::content_length, 6);
    EXPECT_EQ(read_all(complete), "abcdef");
    ResponseBody short_body(connection("abc"), ResponseBody::Framing::content_length, 6);
    EXPECT_THROW(read_all(short_body), Poco::Net::MessageException);
}

TEST(ResponseBody, WithoutFramingReadsToTheClose) {
    ResponseBody body(connection("to the end"), ResponseBody::Framing::until_close);
    EXPECT_EQ(read_all(body), "to the end");
}

TEST(ResponseBody, Pcm16PiecesKeepAnOddByteForTheNextPiece) {
    // Pieces of 3 bytes: every piece ends in the middle of a sample.
    ResponseBody body(connection(std::string("\x01\x00\x02\x00\xff\xff\x00\x80", 8)),
                      ResponseBody::Framing::until_close);
    std::istream in(&body);
    std::vector<std::int16_t> samples;
    EXPECT_TRUE(stream_pcm16(in, [&](const std::int16_t* piece, std::size_t frames) {
        samples.insert(samples.end(), piece, piece + frames);
        return true;
    }));
    EXPECT_EQ(samples, (std::vector<std::int16_t>{1, 2, -1, -32768}));
}

TEST(ResponseBody, Pcm16StopsWhenTheReceiverSaysSo) {
    ResponseBody body(connection(std::string("\x01\x00\x02\x00\x03\x00", 6), 2), ResponseBody::Framing::until_close);
    std::istream in(&body);
    int calls = 0;
    EXPECT_FALSE(stream_pcm16(in, [&](const std::int16_t*, std::size_t) { return ++calls < 2; }));
    EXPECT_EQ(calls, 2);
}

TEST(SentenceSplitter, CutsAtSentenceEndsButNotAtAbbreviationsOrNumbers) {
    SentenceSplitter splitter;
    EXPECT_TRUE(splitter.push("Dr. Smith paid 3.5 dollars").empty());
    auto sentences = splitter.push(". Then he left! Why");
    ASSERT_EQ(sentences.size(), 2u);
    EXPECT_EQ(sentences[0], "Dr. Smith paid 3.5 dollars.");
    EXPECT_EQ(sentences[1], "Then he left!");
    EXPECT_EQ(splitter.finish(), "Why");
    EXPECT_FALSE(has_speech(" ... "));
    EXPECT_TRUE(has_speech("Ja."));
}

}  // namespace
}  // namespace vox::plugin_common
