// The built dashboard (web/dist), served at / for GET and HEAD requests no
// route took, outside the API's paths: an existing file with its Content-Type
// and caching (hashed /assets/* for a year, immutable; everything else
// no-cache), index.html for any other path without an extension (the
// dashboard's own routes, such as /agents/agent_x/flow), and a 404 problem for
// a missing file. Paths that try to leave the root (.., encoded slashes, empty
// segments, symlinks that point outside) are 404s. Without a built dashboard,
// pages get a short HTML note on how to build it. No API key: the dashboard's
// code is public, its data comes from /api with the user's key.
#pragma once

#include "http/http_exchange.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace vox::host {

class StaticFiles {
public:
    // `root`: the directory holding index.html (find_web_root); nullopt: none built.
    explicit StaticFiles(std::optional<std::filesystem::path> root) : root_(std::move(root)) {}

    // Answers a GET/HEAD the router did not take. Returns false, answering
    // nothing, for other methods and for the API's paths (is_api_path).
    bool serve(HttpExchange& exchange) const;

    const std::optional<std::filesystem::path>& root() const { return root_; }

    // /api, /ws and below, and /healthz, /metrics, /openapi.json: never the dashboard's.
    static bool is_api_path(std::string_view path);

private:
    // The regular file under the root that `decoded_path` names, or nullopt
    // (none, or the path tries to leave the root).
    std::optional<std::filesystem::path> resolve(const std::string& decoded_path) const;
    void send_file(HttpExchange& exchange, const std::filesystem::path& file, std::string_view cache_control) const;
    void send_index(HttpExchange& exchange) const;

    std::optional<std::filesystem::path> root_;  // canonical (find_web_root)
};

}  // namespace vox::host
