// A local OpenAI-compatible audio server for tests, written from the OpenAI
// API reference: POST /v1/audio/transcriptions (multipart/form-data: file,
// model, language, response_format → {"text": ...}) and POST
// /v1/audio/speech (JSON → raw 24 kHz 16-bit mono PCM with response_format
// "pcm", streamed in chunks), on 127.0.0.1 and an ephemeral port. It checks
// the bearer key, parses the multipart form and the WAV file in it, plays
// scripted answers (errors, delays, dropped connections) and records what it
// received.
#pragma once

#include "test_tls.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vox::test {

class LocalHttpServer;

class AudioTestServer {
public:
    // What the next requests get.
    struct Script {
        int status = 200;  // != 200: an OpenAI-shaped error {"error":{...}}
        std::string error_message = "scripted failure";
        std::string retry_after{};                      // Retry-After header of an error, when set
        std::chrono::milliseconds first_byte_delay{0};  // before the response headers
        std::string text = "hello world";               // transcriptions: the answer's text
        std::size_t samples = 4800;                     // speech: samples per request (24 kHz)
        int chunks = 4;                                 // speech: body pieces (odd byte counts on purpose)
        std::chrono::milliseconds chunk_delay{0};       // speech: before each piece after the first
        int drop_after = -1;                            // speech: >= 0, close the connection after that many pieces
    };

    struct Received {
        std::string method;
        std::string path;
        std::string authorization;
        std::string content_type;
        nlohmann::json json;                        // speech: the JSON body (null otherwise)
        std::map<std::string, std::string> fields;  // transcriptions: the form's text fields
        bool has_file = false;                      // a "file" part was present
        std::string file_name;
        bool wav_valid = false;  // "file" is a RIFF/WAVE PCM 16-bit mono file
        std::uint32_t wav_sample_rate = 0;
        std::vector<std::int16_t> wav_samples;
    };

    // With `tls` enabled it serves https:// instead.
    explicit AudioTestServer(std::string api_key = "sk-test-audio-0123456789", ServerTls tls = {});
    ~AudioTestServer();
    AudioTestServer(const AudioTestServer&) = delete;
    AudioTestServer& operator=(const AudioTestServer&) = delete;

    std::string base_url() const;  // "http://127.0.0.1:<port>/v1"
    const std::string& api_key() const { return api_key_; }

    void set_script(Script script);
    // Scripts for the next requests, one each in order; then set_script's again.
    void queue_scripts(std::vector<Script> scripts);

    std::vector<Received> received() const;
    // Waits until `count` requests have arrived; false on timeout.
    bool wait_requests(std::size_t count, std::chrono::milliseconds timeout) const;
    // Speech pieces written to clients so far (all requests).
    std::size_t pieces_sent() const;

    // The PCM the speech endpoint answers: sample i of every answer.
    static std::int16_t speech_sample(std::size_t index);

    struct State;

private:
    std::string api_key_;
    std::shared_ptr<State> state_;
    std::unique_ptr<LocalHttpServer> server_;
};

}  // namespace vox::test
