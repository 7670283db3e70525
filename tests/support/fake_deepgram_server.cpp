#include "fake_deepgram_server.hpp"

#include "local_http_server.hpp"

#include <Poco/Buffer.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/URI.h>

#include <set>

namespace vox::test {

using Poco::Net::WebSocket;

struct FakeDeepgramServer::Impl {
    std::string api_key;
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    Script script;
    int handshakes = 0;
    int refused = 0;
    bool stopping = false;
    std::vector<Connection> connections;
    std::unique_ptr<LocalHttpServer> server;

    template <class Change>
    void update(Change&& change) {
        std::lock_guard lock(mutex);
        change();
        changed.notify_all();
    }
};

namespace {

// Deepgram's handshake refusal: the status, a dg-error header and a JSON body.
void refuse(Poco::Net::HTTPServerResponse& response, int status, const std::string& code, const std::string& message) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.set("dg-error", message);
    response.setContentType("application/json");
    response.send() << nlohmann::json{{"err_code", code}, {"err_msg", message}, {"request_id", "fake-request"}}.dump();
}

// A "Results" message as Deepgram's documentation shows it.
std::string results(const std::vector<std::string>& words, double start, double duration, bool is_final,
                    bool from_finalize) {
    nlohmann::json word_list = nlohmann::json::array();
    std::string transcript;
    double step = words.empty() ? 0 : duration / static_cast<double>(words.size());
    for (std::size_t i = 0; i < words.size(); ++i) {
        transcript += (i == 0 ? "" : " ") + words[i];
        std::string plain;
        for (char c : words[i])
            if (std::isalnum(static_cast<unsigned char>(c)) != 0)
                plain += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        word_list.push_back({{"word", plain},
                             {"start", start + step * static_cast<double>(i)},
                             {"end", start + step * static_cast<double>(i + 1)},
                             {"confidence", 0.98},
                             {"punctuated_word", words[i]}});
    }
    return nlohmann::json{
        {"type", "Results"},
        {"channel_index", {0, 1}},
        {"duration", duration},
        {"start", start},
        {"is_final", is_final},
        {"speech_final", is_final && !from_finalize},
        {"channel",
         {{"alternatives",
           {{{"transcript", transcript}, {"confidence", words.empty() ? 0.0 : 0.97}, {"words", word_list}}}}}},
        {"metadata",
         {{"request_id", "fake-request"},
          {"model_info", {{"name", "2-general-nova"}, {"version", "2024-01-18.26916"}, {"arch", "nova-2"}}},
          {"model_uuid", "c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c"}}},
        {"from_finalize", from_finalize}}
        .dump();
}

class ListenHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit ListenHandler(FakeDeepgramServer::Impl& impl) : impl_(impl) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        Poco::URI uri(request.getURI());
        FakeDeepgramServer::Connection record;
        for (const auto& [key, value] : uri.getQueryParameters()) record.query[key] = value;
        record.authorization = request.get("Authorization", "");
        FakeDeepgramServer::Script script;
        int refuse_status = 0;
        impl_.update([&] {
            ++impl_.handshakes;
            script = impl_.script;
            if (script.handshake_status != 0 &&
                (script.handshake_failures < 0 || impl_.refused < script.handshake_failures)) {
                ++impl_.refused;
                refuse_status = script.handshake_status;
            }
        });
        if (uri.getPath() != "/v1/listen") return refuse(response, 404, "NOT_FOUND", "unknown path " + uri.getPath());
        if (record.authorization != "Token " + impl_.api_key)
            return refuse(response, 401, "INVALID_AUTH", "Invalid credentials.");
        if (std::string problem = check_query(record.query); !problem.empty())
            return refuse(response, 400, "Bad Request", problem);
        if (refuse_status == 401) return refuse(response, 401, "INVALID_AUTH", "Invalid credentials.");
        if (refuse_status == 429) return refuse(response, 429, "TOO_MANY_REQUESTS", "Too many requests.");
        if (refuse_status != 0) return refuse(response, refuse_status, "INTERNAL", "Internal server error.");

        std::size_t index = 0;
        impl_.update([&] {
            index = impl_.connections.size();
            impl_.connections.push_back(record);
        });
        try {
            WebSocket socket(request, response);
            serve(socket, script, index, std::stoi(record.query["sample_rate"]));
        } catch (const Poco::Exception&) {  // the client went away
        }
        impl_.update([&] { impl_.connections[index].ended = true; });
    }

private:
    static std::string check_query(const std::map<std::string, std::string>& query) {
        const std::map<std::string, std::string> fixed = {{"encoding", "linear16"},    {"channels", "1"},
                                                          {"interim_results", "true"}, {"punctuate", "true"},
                                                          {"smart_format", "true"},    {"utterance_end_ms", "1000"}};
        for (const auto& [key, value] : fixed) {
            auto found = query.find(key);
            if (found == query.end() || found->second != value) return "expected " + key + "=" + value;
        }
        for (const char* key : {"model", "sample_rate", "endpointing", "language"})
            if (query.count(key) == 0 || query.at(key).empty()) return std::string("missing ") + key;
        return {};
    }

    void serve(WebSocket& socket, const FakeDeepgramServer::Script& script, std::size_t index, int rate) {
        socket.setReceiveTimeout(Poco::Timespan(0, 50000));
        std::size_t samples = 0;          // received on this connection
        std::size_t final_samples = 0;    // finalised up to here
        std::size_t interim_samples = 0;  // last interim sent at
        std::size_t utterance = 0;
        int interims = 0;
        const std::size_t interim_every = static_cast<std::size_t>(rate) * script.interim_every_ms / 1000;
        auto seconds = [&](std::size_t n) { return static_cast<double>(n) / rate; };
        auto words = [&](std::size_t count) {
            const auto& all = script.utterances[std::min(utterance, script.utterances.size() - 1)];
            return std::vector<std::string>(all.begin(), all.begin() + static_cast<long>(std::min(count, all.size())));
        };
        auto send = [&](const std::string& text) { socket.sendFrame(text.data(), static_cast<int>(text.size())); };
        auto finalise = [&](bool from_finalize) {
            if (samples <= final_samples) return;
            send(results(words(1000), seconds(final_samples), seconds(samples - final_samples), true, from_finalize));
            final_samples = interim_samples = samples;
            interims = 0;
            ++utterance;
        };
        bool dropping = script.drop_after_bytes > 0 && (index == 0 || script.drop_every_connection);
        bool closing = script.close_after_bytes > 0 && index == 0;
        Poco::Buffer<char> buffer(0);
        for (;;) {
            {
                std::lock_guard lock(impl_.mutex);
                if (impl_.stopping) return;
            }
            int flags = 0;
            int size = 0;
            buffer.resize(0);
            try {
                size = socket.receiveFrame(buffer, flags);
            } catch (const Poco::TimeoutException&) {
                continue;
            }
            int opcode = flags & WebSocket::FRAME_OP_BITMASK;
            if ((size == 0 && flags == 0) || opcode == WebSocket::FRAME_OP_CLOSE) return;
            if (opcode == WebSocket::FRAME_OP_BINARY) {
                std::size_t total = 0;
                impl_.update([&] { total = impl_.connections[index].audio_bytes += static_cast<std::size_t>(size); });
                samples += static_cast<std::size_t>(size) / 2;
                if (dropping && total >= script.drop_after_bytes) return socket.close();  // no close frame
                if (closing && total >= script.close_after_bytes) {
                    socket.shutdown(static_cast<Poco::UInt16>(script.close_code), script.close_reason);
                    return;
                }
                if (script.silent) continue;
                while (interim_every > 0 && samples - interim_samples >= interim_every) {
                    interim_samples += interim_every;
                    ++interims;
                    send(results(words(static_cast<std::size_t>(interims)), seconds(final_samples),
                                 seconds(interim_samples - final_samples), false, false));
                }
                continue;
            }
            if (opcode != WebSocket::FRAME_OP_TEXT) continue;
            auto message =
                nlohmann::json::parse(std::string(buffer.begin(), static_cast<std::size_t>(size)), nullptr, false);
            std::string type = message.is_object() ? message.value("type", "") : "";
            if (type == "KeepAlive") {
                impl_.update([&] { ++impl_.connections[index].keepalives; });
            } else if (type == "Finalize") {
                impl_.update([&] { ++impl_.connections[index].finalizes; });
                if (script.silent) continue;
                if (script.finalize_delay.count() > 0) {
                    std::unique_lock lock(impl_.mutex);
                    impl_.changed.wait_for(lock, script.finalize_delay, [&] { return impl_.stopping; });
                }
                finalise(true);
            } else if (type == "CloseStream") {
                impl_.update([&] { ++impl_.connections[index].close_streams; });
                if (script.silent) continue;
                finalise(false);
                send(nlohmann::json{
                    {"type", "Metadata"},
                    {"transaction_key", "deprecated"},
                    {"request_id", "fake-request"},
                    {"sha256", "0"},
                    {"created", "2026-01-01T00:00:00.000Z"},
                    {"duration", seconds(samples)},
                    {"channels",
                     1}}.dump());
                socket.shutdown(WebSocket::WS_NORMAL_CLOSE);
                impl_.update([&] { impl_.connections[index].closed_normally = true; });
                return;
            }
        }
    }

    FakeDeepgramServer::Impl& impl_;
};

}  // namespace

FakeDeepgramServer::FakeDeepgramServer(std::string api_key, ServerTls tls)
    : api_key_(std::move(api_key)), impl_(std::make_unique<Impl>()) {
    impl_->api_key = api_key_;
    impl_->server = std::make_unique<LocalHttpServer>([impl = impl_.get()] { return new ListenHandler(*impl); }, tls);
}

FakeDeepgramServer::~FakeDeepgramServer() {
    impl_->update([&] { impl_->stopping = true; });
    impl_->server->stop();
    // Handlers poll `stopping` every 50 ms; wait until none runs any more.
    std::unique_lock lock(impl_->mutex);
    impl_->changed.wait_for(lock, std::chrono::seconds(5), [&] {
        for (const auto& connection : impl_->connections)
            if (!connection.ended) return false;
        return true;
    });
}

std::string FakeDeepgramServer::base_url() const { return impl_->server->url("ws", "/v1/listen"); }

void FakeDeepgramServer::set_script(Script script) {
    impl_->update([&] {
        impl_->script = std::move(script);
        impl_->refused = 0;
    });
}

int FakeDeepgramServer::handshakes() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->handshakes;
}

std::vector<FakeDeepgramServer::Connection> FakeDeepgramServer::connections() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->connections;
}

bool FakeDeepgramServer::wait_for(const std::function<bool(const std::vector<Connection>&)>& done,
                                  std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, timeout, [&] { return done(impl_->connections); });
}

}  // namespace vox::test
