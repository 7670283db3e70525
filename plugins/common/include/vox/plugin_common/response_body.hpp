// The body of an HTTP response read straight from the connection, so that a
// connection dropped in the middle of the answer is an error and not a quiet
// end of stream. (Poco 1.11's chunked stream reports a missing terminating
// chunk as a normal end, which would turn a truncated TTS answer into a
// complete-looking one.) Decodes chunked transfer encoding; with a
// Content-Length checks that all of it arrived; else reads to the close.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <streambuf>
#include <string>
#include <vector>

namespace vox::plugin_common {

class ResponseBody : public std::streambuf {
public:
    // Reads up to `length` raw bytes of the connection; 0 at its end.
    using RawRead = std::function<int(char* buffer, std::streamsize length)>;
    enum class Framing { chunked, content_length, until_close };

    ResponseBody(RawRead read, Framing framing, std::streamsize content_length = 0);

protected:
    int_type underflow() override;

private:
    int raw_get();                      // one byte, or EOF
    std::string raw_line();             // up to "\r\n" (exclusive)
    std::streamsize next_chunk_size();  // reads a chunk-size line; 0 for the last chunk
    [[noreturn]] static void truncated(const std::string& what);

    RawRead read_;
    Framing framing_;
    std::streamsize remaining_;  // in the current chunk, or of the Content-Length
    bool finished_ = false;
    std::vector<char> raw_;  // bytes read ahead from the connection
    std::size_t raw_at_ = 0;
    std::vector<char> buffer_;
};

// Reads raw 16-bit little-endian PCM from `body` to its end, handing each
// piece on as it arrives (an odd trailing byte waits for its other half).
// Stops early, returning false, when `deliver` returns false.
bool stream_pcm16(std::istream& body,
                  const std::function<bool(const std::int16_t* samples, std::size_t frames)>& deliver);

}  // namespace vox::plugin_common
