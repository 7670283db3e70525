#include "audio_test_server.hpp"

#include "local_http_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SocketAddress.h>

#include <condition_variable>
#include <deque>
#include <istream>
#include <mutex>
#include <optional>
#include <ostream>

namespace vox::test {

struct AudioTestServer::State {
    std::string api_key;
    mutable std::mutex mutex;
    mutable std::condition_variable changed;  // a request arrived, or stopping
    bool stopping = false;
    Script script;
    std::deque<Script> queued;
    std::vector<Received> received;
    std::size_t pieces_sent = 0;

    // Sleeps unless the server stops first; false when stopping.
    bool pause(std::chrono::milliseconds delay) {
        std::unique_lock lock(mutex);
        if (delay.count() > 0) changed.wait_for(lock, delay, [&] { return stopping; });
        return !stopping;
    }
};

namespace {

using Poco::Net::HTTPResponse;

void send_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& message,
                const std::string& retry_after = "") {
    std::string text = nlohmann::json{{"error",
                                       {{"message", message},
                                        {"type", status == 429 ? "requests" : "invalid_request_error"},
                                        {"param", nullptr},
                                        {"code", nullptr}}}}
                           .dump();
    response.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(status));
    if (!retry_after.empty()) response.set("Retry-After", retry_after);
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(text.size()));
    response.send() << text;
}

std::uint32_t u32(const std::string& bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i)
        value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
    return value;
}
std::uint16_t u16(const std::string& bytes, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                      (static_cast<unsigned char>(bytes[at + 1]) << 8));
}

// Fills the WAV fields of `received` when `file` is a RIFF/WAVE PCM 16-bit mono file.
void parse_wav(const std::string& file, AudioTestServer::Received& received) {
    if (file.size() < 12 || file.compare(0, 4, "RIFF") != 0 || file.compare(8, 4, "WAVE") != 0) return;
    if (u32(file, 4) != file.size() - 8) return;
    bool format_ok = false;
    for (std::size_t at = 12; at + 8 <= file.size();) {
        std::string id = file.substr(at, 4);
        std::size_t size = u32(file, at + 4);
        if (at + 8 + size > file.size()) return;
        if (id == "fmt " && size >= 16) {
            format_ok = u16(file, at + 8) == 1 && u16(file, at + 10) == 1 && u16(file, at + 22) == 16;
            received.wav_sample_rate = u32(file, at + 12);
        } else if (id == "data" && format_ok) {
            for (std::size_t i = 0; i + 1 < size; i += 2)
                received.wav_samples.push_back(static_cast<std::int16_t>(u16(file, at + 8 + i)));
            received.wav_valid = true;
            return;
        }
        at += 8 + size + (size % 2);
    }
}

// The parts of a multipart/form-data body (RFC 7578): text fields and the file.
void parse_form(const std::string& content_type, const std::string& body, AudioTestServer::Received& received) {
    auto at = content_type.find("boundary=");
    if (at == std::string::npos) return;
    std::string boundary = content_type.substr(at + 9);
    if (!boundary.empty() && boundary.front() == '"') boundary = boundary.substr(1, boundary.size() - 2);
    const std::string delimiter = "--" + boundary;
    std::size_t position = body.find(delimiter);
    while (position != std::string::npos) {
        position += delimiter.size();
        if (body.compare(position, 2, "--") == 0) return;  // the closing delimiter
        if (body.compare(position, 2, "\r\n") != 0) return;
        std::size_t headers_end = body.find("\r\n\r\n", position);
        std::size_t next = body.find("\r\n" + delimiter, position);
        if (headers_end == std::string::npos || next == std::string::npos || headers_end > next) return;
        std::string headers = body.substr(position + 2, headers_end - position - 2);
        std::string content = body.substr(headers_end + 4, next - headers_end - 4);
        auto quoted = [&](const std::string& key) -> std::optional<std::string> {
            auto found = headers.find(key + "=\"");
            if (found == std::string::npos) return std::nullopt;
            found += key.size() + 2;
            return headers.substr(found, headers.find('"', found) - found);
        };
        auto name = quoted(" name");
        if (name && *name == "file") {
            received.has_file = true;
            received.file_name = quoted("filename").value_or("");
            parse_wav(content, received);
        } else if (name) {
            received.fields[*name] = content;
        }
        position = next + 2;
    }
}

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(std::shared_ptr<AudioTestServer::State> state) : state_(std::move(state)) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        std::string body;
        {
            char buffer[8192];
            std::istream& in = request.stream();
            while (in.read(buffer, sizeof buffer).gcount() > 0)
                body.append(buffer, static_cast<std::size_t>(in.gcount()));
        }
        AudioTestServer::Received received;
        received.method = request.getMethod();
        received.path = request.getURI();
        received.authorization = request.get("Authorization", "");
        received.content_type = request.getContentType();
        if (received.content_type.rfind("multipart/form-data", 0) == 0) {
            parse_form(received.content_type, body, received);
        } else {
            received.json = nlohmann::json::parse(body, nullptr, false);
            if (received.json.is_discarded()) received.json = nullptr;
        }
        AudioTestServer::Script script;
        {
            std::lock_guard lock(state_->mutex);
            state_->received.push_back(received);
            if (!state_->queued.empty()) {
                script = std::move(state_->queued.front());
                state_->queued.pop_front();
            } else {
                script = state_->script;
            }
        }
        state_->changed.notify_all();
        if (received.authorization != "Bearer " + state_->api_key)
            return send_error(response, 401,
                              "Incorrect API key provided. You can find your API key at "
                              "https://platform.openai.com/account/api-keys.");
        if (received.method == "POST" && received.path == "/v1/audio/transcriptions")
            return transcription(response, received, script);
        if (received.method == "POST" && received.path == "/v1/audio/speech")
            return speech(request, response, received, script);
        send_error(response, 404, "Unknown request URL: " + received.method + " " + received.path);
    }

private:
    void transcription(Poco::Net::HTTPServerResponse& response, const AudioTestServer::Received& received,
                       const AudioTestServer::Script& script) {
        if (!received.has_file) return send_error(response, 400, "1 validation error: file field required");
        if (!received.wav_valid) return send_error(response, 400, "Invalid file format.");
        if (received.fields.count("model") == 0) return send_error(response, 400, "you must provide a model parameter");
        if (!state_->pause(script.first_byte_delay)) return;
        if (script.status != 200) return send_error(response, script.status, script.error_message, script.retry_after);
        std::string text = nlohmann::json{{"text", script.text}}.dump();
        response.setStatus(HTTPResponse::HTTP_OK);
        response.setContentType("application/json");
        response.setContentLength(static_cast<std::streamsize>(text.size()));
        response.send() << text;
    }

    void speech(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                const AudioTestServer::Received& received, const AudioTestServer::Script& script) {
        const auto& json = received.json;
        if (!json.is_object() || !json.contains("model") || !json["model"].is_string())
            return send_error(response, 400, "you must provide a model parameter");
        if (!json.contains("input") || !json["input"].is_string() || json["input"].get<std::string>().empty())
            return send_error(response, 400, "'input' must be a non-empty string");
        if (!json.contains("voice") || !json["voice"].is_string())
            return send_error(response, 400, "'voice' is required");
        if (json.value("response_format", "mp3") != "pcm")
            return send_error(response, 400, "this test server only speaks response_format pcm");
        if (!state_->pause(script.first_byte_delay)) return;
        if (script.status != 200) return send_error(response, script.status, script.error_message, script.retry_after);

        std::string pcm;
        for (std::size_t i = 0; i < script.samples; ++i) {
            auto sample = static_cast<std::uint16_t>(AudioTestServer::speech_sample(i));
            pcm.push_back(static_cast<char>(sample & 0xFF));
            pcm.push_back(static_cast<char>(sample >> 8));
        }
        response.setStatus(HTTPResponse::HTTP_OK);
        response.setContentType("application/octet-stream");
        response.setChunkedTransferEncoding(true);
        std::ostream& out = response.send();
        // Odd-sized pieces, so a sample is split between two of them.
        std::size_t piece = (pcm.size() / static_cast<std::size_t>(script.chunks)) | 1;
        std::size_t offset = 0;
        for (int sent = 0; offset < pcm.size(); ++sent) {
            if (script.drop_after >= 0 && sent == script.drop_after) return drop(request);
            if (sent > 0 && !state_->pause(script.chunk_delay)) return drop(request);
            std::size_t size = sent == script.chunks - 1 ? pcm.size() - offset : std::min(piece, pcm.size() - offset);
            out.write(pcm.data() + offset, static_cast<std::streamsize>(size));
            out.flush();
            offset += size;
            if (!out.good()) return;
            std::lock_guard lock(state_->mutex);
            ++state_->pieces_sent;
        }
    }

    // Ends the connection without finishing the chunked body.
    static void drop(Poco::Net::HTTPServerRequest& request) {
        auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request);
        try {
            impl.socket().shutdown();
        } catch (...) {}
    }

    std::shared_ptr<AudioTestServer::State> state_;
};

}  // namespace

AudioTestServer::AudioTestServer(std::string api_key, ServerTls tls)
    : api_key_(std::move(api_key)), state_(std::make_shared<State>()) {
    state_->api_key = api_key_;
    server_ = std::make_unique<LocalHttpServer>([state = state_] { return new Handler(state); }, tls);
}

AudioTestServer::~AudioTestServer() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
    }
    state_->changed.notify_all();
    server_->stop();
}

std::string AudioTestServer::base_url() const { return server_->url("http", "/v1"); }

void AudioTestServer::set_script(Script script) {
    std::lock_guard lock(state_->mutex);
    state_->script = std::move(script);
}

void AudioTestServer::queue_scripts(std::vector<Script> scripts) {
    std::lock_guard lock(state_->mutex);
    for (auto& script : scripts) state_->queued.push_back(std::move(script));
}

std::vector<AudioTestServer::Received> AudioTestServer::received() const {
    std::lock_guard lock(state_->mutex);
    return state_->received;
}

bool AudioTestServer::wait_requests(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, timeout, [&] { return state_->received.size() >= count; });
}

std::size_t AudioTestServer::pieces_sent() const {
    std::lock_guard lock(state_->mutex);
    return state_->pieces_sent;
}

std::int16_t AudioTestServer::speech_sample(std::size_t index) {
    // A ramp through the whole range with a varying step: byte order or
    // lost/duplicated bytes show up as mismatches.
    return static_cast<std::int16_t>(static_cast<std::int32_t>((index * 2654435761u) % 65536u) - 32768);
}

}  // namespace vox::test
