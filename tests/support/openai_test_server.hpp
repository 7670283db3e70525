// A local OpenAI-compatible server for tests, written from the OpenAI API
// reference: POST /v1/chat/completions (streamed as server-sent events when
// "stream": true) and GET /v1/models, on 127.0.0.1 and an ephemeral port.
// It checks the bearer key and the request body's shape, plays a scripted
// answer with configurable delays, and records what it received.
//
//   vox::test::OpenAiTestServer server;         // key "sk-test-0123456789"
//   server.set_script({.chunks = OpenAiTestServer::content_chunks({"Hel", "lo"})});
//   // point the client at server.base_url() with server.api_key()
#pragma once

#include "test_tls.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace vox::test {

class LocalHttpServer;

class OpenAiTestServer {
public:
    using Clock = std::chrono::steady_clock;

    // What the next chat completion requests get.
    struct Script {
        int status = 200;  // != 200: an error response {"error":{...}}
        std::string error_message = "scripted failure";
        std::string error_type = "server_error";
        std::vector<std::string> chunks{};              // JSON of each chat.completion.chunk (see the helpers)
        std::chrono::milliseconds first_byte_delay{0};  // before the response headers
        std::chrono::milliseconds chunk_delay{0};       // before each chunk
        bool send_done = true;                          // "data: [DONE]" at the end
        int drop_after = -1;                            // >= 0: close the connection after that many chunks
        int stall_after = -1;                           // >= 0: after that many chunks, wait `stall` before the next
        std::chrono::milliseconds stall{0};
    };

    struct Received {
        std::string method;
        std::string path;
        std::string authorization;
        nlohmann::json body;  // null when not JSON
    };

    // With `tls` enabled it serves https:// instead.
    explicit OpenAiTestServer(std::string api_key = "sk-test-0123456789", ServerTls tls = {});
    ~OpenAiTestServer();
    OpenAiTestServer(const OpenAiTestServer&) = delete;
    OpenAiTestServer& operator=(const OpenAiTestServer&) = delete;

    std::uint16_t port() const;
    std::string base_url() const;  // "http://127.0.0.1:<port>/v1"
    const std::string& api_key() const { return api_key_; }

    void set_script(Script script);
    // Scripts for the next requests, one each in order; then set_script's again.
    void queue_scripts(std::vector<Script> scripts);
    void set_models(std::vector<std::string> models, int status = 200);

    std::vector<Received> received() const;
    std::size_t model_requests() const;
    // When the last chunk of the latest stream was written (if any).
    std::optional<Clock::time_point> last_chunk_sent() const;
    // True once a streaming handler noticed that its client went away.
    bool client_disconnected() const;

    // Whether `request` is voxd's post-call analysis of a call (its system
    // prompt is the analysis instructions), not a turn of the call.
    static bool is_post_call_analysis(const Received& request);

    // Chunk builders, shaped like OpenAI's.
    static std::vector<std::string> content_chunks(const std::vector<std::string>& pieces,
                                                   const std::string& finish_reason = "stop");
    static std::string chunk(const nlohmann::json& delta, const nlohmann::json& finish_reason = nullptr);
    // A tool call split into fragments: the first carries id and name, the
    // arguments arrive in `argument_pieces`.
    static std::vector<std::string> tool_call_chunks(int index, const std::string& id, const std::string& name,
                                                     const std::vector<std::string>& argument_pieces);

    struct State;  // shared with the request handlers

private:
    std::string api_key_;
    std::shared_ptr<State> state_;
    std::unique_ptr<LocalHttpServer> server_;
};

}  // namespace vox::test
