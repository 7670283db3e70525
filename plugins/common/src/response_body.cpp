#include <vox/plugin_common/response_body.hpp>

#include <Poco/Net/NetException.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace vox::plugin_common {
namespace {

constexpr std::size_t kBufferSize = 8192;
constexpr std::size_t kLongestChunkLine = 1024;

}  // namespace

ResponseBody::ResponseBody(RawRead read, Framing framing, std::streamsize content_length)
    : read_(std::move(read)),
      framing_(framing),
      remaining_(framing == Framing::content_length ? content_length : 0),
      buffer_(kBufferSize) {
    setg(buffer_.data(), buffer_.data(), buffer_.data());
}

void ResponseBody::truncated(const std::string& what) {
    throw Poco::Net::MessageException("the connection closed " + what);
}

int ResponseBody::raw_get() {
    if (raw_at_ == raw_.size()) {
        raw_.resize(kBufferSize);
        int got = read_(raw_.data(), static_cast<std::streamsize>(raw_.size()));
        raw_.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
        raw_at_ = 0;
        if (raw_.empty()) return traits_type::eof();
    }
    return static_cast<unsigned char>(raw_[raw_at_++]);
}

std::string ResponseBody::raw_line() {
    std::string line;
    for (int c = raw_get(); c != '\n'; c = raw_get()) {
        if (c == traits_type::eof()) truncated("before the end of the chunked answer");
        if (line.size() > kLongestChunkLine) throw Poco::Net::MessageException("malformed chunked encoding");
        line.push_back(static_cast<char>(c));
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::streamsize ResponseBody::next_chunk_size() {
    std::string line = raw_line();
    if (line.empty()) line = raw_line();                  // the CRLF that ends the previous chunk's data
    std::string digits = line.substr(0, line.find(';'));  // chunk extensions are ignored
    while (!digits.empty() && std::isspace(static_cast<unsigned char>(digits.back())) != 0) digits.pop_back();
    char* end = nullptr;
    long long size = std::strtoll(digits.c_str(), &end, 16);
    if (digits.empty() || end == nullptr || *end != '\0' || size < 0)
        throw Poco::Net::MessageException("malformed chunked encoding");
    return static_cast<std::streamsize>(size);
}

ResponseBody::int_type ResponseBody::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (finished_) return traits_type::eof();
    if (framing_ == Framing::chunked && remaining_ == 0) {
        remaining_ = next_chunk_size();
        if (remaining_ == 0) {
            // The last chunk: skip the trailer fields up to the empty line.
            while (!raw_line().empty()) {}
            finished_ = true;
            return traits_type::eof();
        }
    }
    if (framing_ == Framing::content_length && remaining_ == 0) {
        finished_ = true;
        return traits_type::eof();
    }
    std::size_t wanted = buffer_.size();
    if (framing_ != Framing::until_close) wanted = std::min(wanted, static_cast<std::size_t>(remaining_));
    std::size_t got = 0;
    if (raw_at_ < raw_.size()) {
        got = std::min(wanted, raw_.size() - raw_at_);
        std::memcpy(buffer_.data(), raw_.data() + raw_at_, got);
        raw_at_ += got;
    } else {
        int read = read_(buffer_.data(), static_cast<std::streamsize>(wanted));
        got = read > 0 ? static_cast<std::size_t>(read) : 0;
    }
    if (got == 0) {
        if (framing_ != Framing::until_close) truncated("in the middle of the answer");
        finished_ = true;
        return traits_type::eof();
    }
    if (framing_ != Framing::until_close) remaining_ -= static_cast<std::streamsize>(got);
    setg(buffer_.data(), buffer_.data(), buffer_.data() + got);
    return traits_type::to_int_type(*gptr());
}

bool stream_pcm16(std::istream& body,
                  const std::function<bool(const std::int16_t* samples, std::size_t frames)>& deliver) {
    std::vector<char> bytes(8192);
    std::size_t carried = 0;
    std::vector<std::int16_t> samples;
    while (body.peek() != std::char_traits<char>::eof()) {
        auto got = body.readsome(bytes.data() + carried, static_cast<std::streamsize>(bytes.size() - carried));
        std::size_t available = carried + static_cast<std::size_t>(got);
        std::size_t frames = available / 2;
        samples.resize(frames);
        for (std::size_t i = 0; i < frames; ++i)
            samples[i] = static_cast<std::int16_t>(static_cast<std::uint16_t>(
                static_cast<unsigned char>(bytes[2 * i]) | (static_cast<unsigned char>(bytes[2 * i + 1]) << 8)));
        carried = available % 2;
        if (carried != 0) bytes[0] = bytes[available - 1];
        if (frames == 0) continue;
        if (!deliver(samples.data(), frames)) return false;
    }
    return true;
}

}  // namespace vox::plugin_common
