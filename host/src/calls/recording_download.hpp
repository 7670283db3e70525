// Serving a call's recording over HTTP: the whole file (200) or, for a
// browser's player seeking, one byte range of it (206, RFC 9110 section 14).
// The file is streamed from disk in blocks: a four-hour recording is about
// 1 GB and must not be read into memory.
#pragma once

#include "http/http_exchange.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

namespace vox::host {

// What a Range header asks of a file of `size` bytes.
struct ByteRangeRequest {
    enum class Kind {
        whole,          // no Range header, or one to ignore (not bytes, several ranges, malformed)
        partial,        // bytes first..last (inclusive), within the file
        unsatisfiable,  // starts beyond the end: 416
    };
    Kind kind = Kind::whole;
    std::uint64_t first = 0;
    std::uint64_t last = 0;
};

// `header` is the Range header's value (empty when absent). Only a single
// "bytes=" range is honoured; the rest is answered with the whole file, which
// RFC 9110 allows.
ByteRangeRequest parse_byte_range(std::string_view header, std::uint64_t size);

// Sends `file` as audio/wav (Accept-Ranges: bytes; honours Range). Returns
// false, having sent nothing, when the file cannot be opened.
bool send_recording_file(HttpExchange& exchange, const std::filesystem::path& file);

}  // namespace vox::host
