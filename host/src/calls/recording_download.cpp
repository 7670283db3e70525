#include "calls/recording_download.hpp"

#include "http/problem_error.hpp"

#include <array>
#include <charconv>
#include <fstream>
#include <ostream>
#include <string>
#include <system_error>

namespace vox::host {
namespace {

constexpr std::size_t kBlockBytes = 64 * 1024;

std::optional<std::uint64_t> whole_number(std::string_view text) {
    std::uint64_t value = 0;
    if (text.empty()) return std::nullopt;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

}  // namespace

ByteRangeRequest parse_byte_range(std::string_view header, std::uint64_t size) {
    using Kind = ByteRangeRequest::Kind;
    header = trimmed(header);
    constexpr std::string_view kUnit = "bytes=";
    if (header.substr(0, kUnit.size()) != kUnit) return {};
    std::string_view spec = trimmed(header.substr(kUnit.size()));
    if (spec.find(',') != std::string_view::npos) return {};  // several ranges: the whole file instead
    auto dash = spec.find('-');
    if (dash == std::string_view::npos) return {};
    std::string_view first_text = trimmed(spec.substr(0, dash));
    std::string_view last_text = trimmed(spec.substr(dash + 1));
    if (first_text.empty()) {  // "-N": the last N bytes
        auto suffix = whole_number(last_text);
        if (!suffix) return {};
        if (*suffix == 0 || size == 0) return {Kind::unsatisfiable, 0, 0};
        std::uint64_t length = std::min(*suffix, size);
        return {Kind::partial, size - length, size - 1};
    }
    auto first = whole_number(first_text);
    if (!first) return {};
    std::optional<std::uint64_t> last;
    if (!last_text.empty()) {
        last = whole_number(last_text);
        if (!last || *last < *first) return {};  // invalid: ignored, per RFC 9110
    }
    if (*first >= size) return {Kind::unsatisfiable, 0, 0};
    return {Kind::partial, *first, std::min(last.value_or(size - 1), size - 1)};
}

bool send_recording_file(HttpExchange& exchange, const std::filesystem::path& file) {
    std::error_code ec;
    std::uint64_t size = std::filesystem::file_size(file, ec);
    if (ec) return false;
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;

    auto& request = exchange.request();
    ByteRangeRequest range = parse_byte_range(request.get("Range", ""), size);
    if (range.kind == ByteRangeRequest::Kind::unsatisfiable)
        throw ProblemError(Problem{416,
                                   "range_not_satisfiable",
                                   "Range not satisfiable",
                                   "the recording has " + std::to_string(size) + " bytes",
                                   {{"size", size}}},
                           {{"Content-Range", "bytes */" + std::to_string(size)}});

    auto& response = exchange.response();
    std::uint64_t first = 0;
    std::uint64_t length = size;
    int status = 200;
    if (range.kind == ByteRangeRequest::Kind::partial) {
        status = 206;
        first = range.first;
        length = range.last - range.first + 1;
        response.set("Content-Range", "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" +
                                          std::to_string(size));
    }
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("audio/wav");
    response.set("Accept-Ranges", "bytes");
    response.setContentLength64(static_cast<Poco::Int64>(length));
    exchange.mark_sent(status);
    std::ostream& out = response.send();
    if (request.getMethod() == "HEAD") return true;
    in.seekg(static_cast<std::streamoff>(first));
    std::array<char, kBlockBytes> block{};
    while (length > 0 && in && out) {
        auto want = static_cast<std::streamsize>(std::min<std::uint64_t>(length, block.size()));
        in.read(block.data(), want);
        std::streamsize got = in.gcount();
        if (got <= 0) break;  // the file shrank under us: the client sees a short body
        out.write(block.data(), got);
        length -= static_cast<std::uint64_t>(got);
    }
    return true;
}

}  // namespace vox::host
