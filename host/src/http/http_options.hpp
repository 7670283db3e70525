// How the HTTP server listens and how many connections it serves at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace vox::host {

struct HttpOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: an ephemeral port (see HttpService::port())
    int max_threads = 128;      // requests served at once (one thread per open connection)
    int max_queued = 256;       // accepted connections waiting for a thread
    bool keep_alive = true;
    std::chrono::milliseconds keep_alive_timeout{10'000};
    std::chrono::milliseconds timeout{60'000};  // receiving a request / sending a response
    std::string software = "voxd";              // the Server header
};

}  // namespace vox::host
