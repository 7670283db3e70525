#include "http/static_files.hpp"

#include "http/content_types.hpp"
#include "http/problem_error.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

namespace vox::host {
namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

// Shown at / (and the app's routes) when no dashboard is built.
constexpr std::string_view kNoDashboardPage = R"(<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Vox: dashboard not built</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The Vox dashboard is not built</h1>
<p>voxd is running and its API is at <a href="/openapi.json">/openapi.json</a>, but it found no built dashboard to
serve here.</p>
<p>Build it from the source tree with <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code> (or start
everything with <code>scripts/run</code>), then reload this page. To serve a dashboard built elsewhere, set
<code>web_root</code> in the <code>[http]</code> section of voxd.ini.</p>
</body>
</html>
)";

bool has_extension(std::string_view path) {
    auto slash = path.rfind('/');
    std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
    auto dot = last.rfind('.');
    return dot != std::string_view::npos && dot > 0 && dot + 1 < last.size();
}

// Every segment a plain name: no "..", ".", empty segment ("//etc/passwd"),
// backslash or NUL. One trailing slash is allowed ("/settings/").
bool is_plain_path(std::string_view decoded) {
    if (decoded.empty() || decoded.front() != '/') return false;
    if (decoded.size() > 1 && decoded.back() == '/') decoded.remove_suffix(1);
    if (decoded.find('\0') != std::string_view::npos || decoded.find('\\') != std::string_view::npos) return false;
    if (decoded == "/") return true;
    std::size_t start = 1;
    while (start <= decoded.size()) {
        auto end = decoded.find('/', start);
        if (end == std::string_view::npos) end = decoded.size();
        auto segment = decoded.substr(start, end - start);
        if (segment.empty() || segment == "." || segment == "..") return false;
        start = end + 1;
    }
    return true;
}

[[noreturn]] void not_found(const HttpExchange& exchange) { throw ProblemError(not_found_problem(exchange.path())); }

}  // namespace

bool StaticFiles::is_api_path(std::string_view path) {
    static constexpr std::array<std::string_view, 3> kExact{"/healthz", "/metrics", "/openapi.json"};
    for (auto exact : kExact)
        if (path == exact || (path.starts_with(exact) && path[exact.size()] == '/')) return true;
    return path == "/api" || path == "/ws" || path.starts_with("/api/") || path.starts_with("/ws/");
}

bool StaticFiles::serve(HttpExchange& exchange) const {
    if (exchange.method() != "GET" && exchange.method() != "HEAD") return false;
    std::string decoded;
    try {
        Poco::URI::decode(exchange.path(), decoded);
    } catch (const Poco::Exception&) {
        return false;  // malformed percent-encoding: the usual 404
    }
    // Decoded, so that %2F%2E%2E cannot slip past the checks below.
    if (is_api_path(exchange.path()) || is_api_path(decoded)) return false;

    if (!is_plain_path(decoded)) not_found(exchange);  // traversal attempts name nothing here

    if (auto file = resolve(decoded)) {
        bool hashed = decoded.starts_with("/assets/");
        bool index = *file == *root_ / "index.html";
        send_file(exchange, *file, hashed && !index ? kImmutable : kRevalidate);
        return true;
    }
    // A missing file (or one we refuse to show) is a 404; a client-side route is the app.
    if (has_extension(decoded)) not_found(exchange);
    send_index(exchange);
    return true;
}

std::optional<std::filesystem::path> StaticFiles::resolve(const std::string& decoded_path) const {
    if (!root_ || !is_plain_path(decoded_path)) return std::nullopt;
    std::filesystem::path relative;
    std::istringstream segments(decoded_path.substr(1));
    std::string segment;
    while (std::getline(segments, segment, '/'))
        if (!segment.empty()) relative /= segment;
    if (relative.empty()) return std::nullopt;  // "/" is the app, not a file
    // A symlink may point anywhere: what counts is where it lands.
    std::error_code ec;
    auto file = std::filesystem::canonical(*root_ / relative, ec);
    if (ec || !std::filesystem::is_regular_file(file, ec)) return std::nullopt;
    auto [root_end, file_at] = std::mismatch(root_->begin(), root_->end(), file.begin(), file.end());
    if (root_end != root_->end()) return std::nullopt;
    return file;
}

void StaticFiles::send_file(HttpExchange& exchange, const std::filesystem::path& file,
                            std::string_view cache_control) const {
    std::ifstream in(file, std::ios::binary);
    if (!in) not_found(exchange);  // removed since resolve(): as if it never was
    std::ostringstream body;
    body << in.rdbuf();
    exchange.response().set("Cache-Control", std::string(cache_control));
    exchange.response().set("X-Content-Type-Options", "nosniff");
    exchange.send_text(200, content_type_for(file), body.str());
}

void StaticFiles::send_index(HttpExchange& exchange) const {
    if (root_) {
        send_file(exchange, *root_ / "index.html", kRevalidate);
        return;
    }
    exchange.response().set("Cache-Control", std::string(kRevalidate));
    exchange.send_text(200, "text/html; charset=utf-8", kNoDashboardPage);
}

}  // namespace vox::host
