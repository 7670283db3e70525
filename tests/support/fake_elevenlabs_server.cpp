#include "fake_elevenlabs_server.hpp"

#include "local_http_server.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <sstream>

namespace vox::test {

using Poco::Net::WebSocket;

struct FakeElevenLabsServer::Impl {
    std::string api_key;
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    Script script;
    Record record;
    std::unique_ptr<LocalHttpServer> server;

    template <class Change>
    void update(Change&& change) {
        std::lock_guard lock(mutex);
        change();
        changed.notify_all();
    }
};

namespace {

std::string pcm_bytes(std::size_t first, std::size_t count) {
    std::string bytes;
    for (std::size_t i = first; i < first + count; ++i) {
        auto value = static_cast<std::uint16_t>(FakeElevenLabsServer::sample(i));
        bytes.push_back(static_cast<char>(value & 0xff));
        bytes.push_back(static_cast<char>(value >> 8));
    }
    return bytes;
}

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

void refuse(Poco::Net::HTTPServerResponse& response, int status, const std::string& detail_status,
            const std::string& message) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.send() << nlohmann::json{{"detail", {{"status", detail_status}, {"message", message}}}}.dump();
}

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(FakeElevenLabsServer::Impl& impl) : impl_(impl) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        Poco::URI uri(request.getURI());
        std::string path = uri.getPath();
        FakeElevenLabsServer::Script script;
        impl_.update([&] {
            script = impl_.script;
            impl_.record.paths.push_back(request.getURI());
        });
        if (request.get("xi-api-key", "") != impl_.api_key)
            return refuse(response, 401, "invalid_api_key", "Invalid API key");
        if (path == "/v1/voices") {
            impl_.update([&] { ++impl_.record.voices_requests; });
            response.setContentType("application/json");
            response.send()
                << nlohmann::json{{"voices",
                                   {{{"voice_id", "v-custom-1"}, {"name", "Clone"}, {"labels", {{"language", "de"}}}},
                                    {{"voice_id", "21m00Tcm4TlvDq8ikWAM"},
                                     {"name", "Rachel"},
                                     {"labels", nlohmann::json::object()}}}}}
                       .dump();
            return;
        }
        bool stream_input = path.size() > 13 && path.substr(path.size() - 13) == "/stream-input";
        if (stream_input && request.find("Upgrade") != request.end()) return websocket(request, response, script);
        if (path.size() > 7 && path.substr(path.size() - 7) == "/stream" && request.getMethod() == "POST")
            return stream(request, response, script);
        refuse(response, 404, "not_found", "unknown path " + path);
    }

private:
    void stream(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                const FakeElevenLabsServer::Script& script) {
        std::string body;
        Poco::StreamCopier::copyToString(request.stream(), body);
        auto json = nlohmann::json::parse(body, nullptr, false);
        std::string text = json.is_object() ? json.value("text", "") : "";
        impl_.update([&] {
            ++impl_.record.http_requests;
            impl_.record.texts.push_back(text);
        });
        if (script.http_status != 0)
            return refuse(response, script.http_status, script.http_detail.empty() ? "error" : script.http_detail,
                          "scripted failure");
        if (!json.is_object() || !json.contains("model_id") || !json.contains("voice_settings"))
            return refuse(response, 422, "invalid", "model_id and voice_settings expected");
        response.setContentType("audio/pcm");
        response.setChunkedTransferEncoding(true);
        response.send() << pcm_bytes(0, text.size() * FakeElevenLabsServer::kSamplesPerChar) << std::flush;
    }

    void websocket(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   const FakeElevenLabsServer::Script& script) {
        impl_.update([&] { ++impl_.record.handshakes; });
        if (script.ws_status != 0) {
            response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(script.ws_status));
            response.setContentLength(0);
            response.send();
            return;
        }
        try {
            WebSocket socket(request, response);
            serve(socket, script);
        } catch (const Poco::Exception&) {  // the client went away
        }
        impl_.update([&] { ++impl_.record.connections_ended; });
    }

    void serve(WebSocket& socket, const FakeElevenLabsServer::Script& script) {
        socket.setReceiveTimeout(Poco::Timespan(10, 0));
        Poco::Buffer<char> buffer(0);
        bool first = true;
        std::size_t sent = 0;  // samples on this connection
        for (;;) {
            int flags = 0;
            buffer.resize(0);
            int size = socket.receiveFrame(buffer, flags);
            int opcode = flags & WebSocket::FRAME_OP_BITMASK;
            if ((size == 0 && flags == 0) || opcode == WebSocket::FRAME_OP_CLOSE) return;
            if (opcode != WebSocket::FRAME_OP_TEXT) continue;
            std::string payload(buffer.begin(), static_cast<std::size_t>(size));
            auto message = nlohmann::json::parse(payload, nullptr, false);
            impl_.update([&] {
                if (payload.find(impl_.api_key) != std::string::npos) impl_.record.key_seen_in_message = true;
            });
            if (!message.is_object() || !message.contains("text")) return;
            std::string text = message["text"].get<std::string>();
            if (first) {
                first = false;
                impl_.update([&] { impl_.record.openings.push_back(message); });
                if (!script.error_after_opening.empty()) {
                    std::string error = nlohmann::json{
                        {"message", "scripted error"},
                        {"error", script.error_after_opening},
                        {"code", 1008}}.dump();
                    socket.sendFrame(error.data(), static_cast<int>(error.size()));
                    socket.shutdown(WebSocket::WS_POLICY_VIOLATION, script.error_after_opening);
                    return drain(socket, buffer);
                }
                if (!script.close_after_opening.empty()) {
                    socket.shutdown(WebSocket::WS_POLICY_VIOLATION, script.close_after_opening);
                    return drain(socket, buffer);
                }
                continue;
            }
            if (text.empty()) {
                impl_.update([&] { ++impl_.record.end_of_input; });
                std::string final = nlohmann::json{{"audio", nullptr}, {"isFinal", true}}.dump();
                socket.sendFrame(final.data(), static_cast<int>(final.size()));
                socket.shutdown();
                return;
            }
            impl_.update([&] {
                impl_.record.texts.push_back(text);
                impl_.record.flushes.push_back(message.value("flush", false));
            });
            nlohmann::json alignment{{"chars", nlohmann::json::array()},
                                     {"charStartTimesMs", nlohmann::json::array()},
                                     {"charsDurationsMs", nlohmann::json::array()}};
            for (std::size_t i = 0; i < text.size(); ++i) {
                alignment["chars"].push_back(std::string(1, text[i]));
                alignment["charStartTimesMs"].push_back(i * 10);
                alignment["charsDurationsMs"].push_back(10);
            }
            std::size_t count = text.size() * FakeElevenLabsServer::kSamplesPerChar;
            std::string answer = nlohmann::json{
                {"audio", base64(pcm_bytes(sent, count))},
                {"isFinal", nullptr},
                {"normalizedAlignment", alignment},
                {"alignment",
                 alignment}}.dump();
            sent += count;
            socket.sendFrame(answer.data(), static_cast<int>(answer.size()));
            if (script.drop_after_first_audio) {
                socket.impl()->shutdown();  // no close frame: a dropped connection
                return;
            }
        }
    }

    // The closing handshake as a WebSocket server does it: after its close
    // frame, it reads (and ignores) until the client's close frame or the end.
    static void drain(WebSocket& socket, Poco::Buffer<char>& buffer) {
        for (;;) {
            int flags = 0;
            buffer.resize(0);
            int size = socket.receiveFrame(buffer, flags);
            if ((size == 0 && flags == 0) || (flags & WebSocket::FRAME_OP_BITMASK) == WebSocket::FRAME_OP_CLOSE) return;
        }
    }

    FakeElevenLabsServer::Impl& impl_;
};

}  // namespace

FakeElevenLabsServer::FakeElevenLabsServer(std::string api_key, ServerTls tls)
    : api_key_(std::move(api_key)), impl_(std::make_unique<Impl>()) {
    impl_->api_key = api_key_;
    // The only fake that never set a queue limit: Poco's default stays.
    impl_->server = std::make_unique<LocalHttpServer>([impl = impl_.get()] { return new Handler(*impl); }, tls,
                                                      LocalHttpServer::Options{.max_queued = std::nullopt});
}

FakeElevenLabsServer::~FakeElevenLabsServer() { impl_->server->stop(); }

std::string FakeElevenLabsServer::base_url() const { return impl_->server->url("http"); }

void FakeElevenLabsServer::set_script(Script script) {
    impl_->update([&] { impl_->script = std::move(script); });
}

FakeElevenLabsServer::Record FakeElevenLabsServer::record() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->record;
}

bool FakeElevenLabsServer::wait_for(const std::function<bool(const Record&)>& done,
                                    std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, timeout, [&] { return done(impl_->record); });
}

}  // namespace vox::test
