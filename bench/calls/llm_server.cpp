// bench_llm_server: the local OpenAI-protocol server of the tests
// (tests/support) as a program, for the call benchmarks: streams a fixed
// answer with a fixed time to first token, so the LLM's share of a turn is
// known and the rest is Vox.
//
//   bench_llm_server --port-file F [--ttft-ms 100] [--answer TEXT]
// Prints nothing; writes its port to F; runs until SIGTERM/SIGINT.
#include "openai_test_server.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

namespace {
volatile std::sig_atomic_t stop_requested = 0;
void on_signal(int) { stop_requested = 1; }
}  // namespace

int main(int argc, char** argv) {
    std::string port_file;
    int ttft_ms = 100;
    std::string answer = "We open at nine tomorrow morning. Is there anything else I can help you with?";
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string arg = argv[i];
        if (arg == "--port-file") port_file = argv[i + 1];
        else if (arg == "--ttft-ms") ttft_ms = std::stoi(argv[i + 1]);
        else if (arg == "--answer") answer = argv[i + 1];
        else {
            std::cerr << "usage: bench_llm_server --port-file F [--ttft-ms N] [--answer TEXT]\n";
            return 64;
        }
    }
    if (port_file.empty()) {
        std::cerr << "bench_llm_server: --port-file is required\n";
        return 64;
    }
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);

    vox::test::OpenAiTestServer server("sk-bench-0123456789");
    // Tokens of a few words each, 10 ms apart after the first, like a fast hosted model.
    std::vector<std::string> pieces;
    std::istringstream words(answer);
    std::string piece;
    int count = 0;
    for (std::string word; words >> word;) {
        piece += word + " ";
        if (++count % 2 == 0) {
            pieces.push_back(piece);
            piece.clear();
        }
    }
    if (!piece.empty()) pieces.push_back(piece);
    server.set_script({.chunks = vox::test::OpenAiTestServer::content_chunks(pieces),
                       .first_byte_delay = std::chrono::milliseconds(std::max(0, ttft_ms - 10)),  // + the first chunk delay
                       .chunk_delay = std::chrono::milliseconds(10)});
    server.set_models({"bench-model"});
    {
        std::ofstream out(port_file + ".tmp");
        out << server.port() << "\n";
    }
    std::rename((port_file + ".tmp").c_str(), port_file.c_str());
    while (stop_requested == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return 0;
}
