#include "fake_llm_server.hpp"

#include "local_http_server.hpp"

#include <Poco/Buffer.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>

#include <condition_variable>
#include <map>
#include <mutex>

namespace vox::test {

using nlohmann::json;
using Poco::Net::WebSocket;
using Clock = std::chrono::steady_clock;

int FakeLlmServer::Connection::count(const std::string& interaction_type) const {
    return static_cast<int>(of(interaction_type).size());
}

std::vector<json> FakeLlmServer::Connection::of(const std::string& interaction_type) const {
    std::vector<json> found;
    for (const auto& message : received)
        if (message.value("interaction_type", "") == interaction_type) found.push_back(message);
    return found;
}

struct FakeLlmServer::Impl {
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

// One response being streamed: the pieces still to send.
struct Stream {
    std::vector<std::string> pieces;
    std::size_t next = 0;
    Clock::time_point due;
    bool drop_after_first = false;
    std::chrono::milliseconds delay{0};
};

std::string last_user_message(const json& request) {
    std::string text;
    for (const auto& turn : request.value("transcript", json::array()))
        if (turn.value("role", "") == "user") text = turn.value("content", "");
    return text;
}

class LlmHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit LlmHandler(FakeLlmServer::Impl& impl) : impl_(impl) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        FakeLlmServer::Connection record;
        record.authorization = request.get("Authorization", "");
        FakeLlmServer::Script script;
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
        if (record.authorization != "Bearer " + impl_.api_key) refuse_status = 401;
        if (refuse_status != 0) {
            response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(refuse_status));
            response.setContentLength(0);
            response.send();
            return;
        }
        std::size_t index = 0;
        impl_.update([&] {
            index = impl_.connections.size();
            impl_.connections.push_back(record);
        });
        try {
            WebSocket socket(request, response);
            serve(socket, index);
        } catch (const Poco::Exception&) {  // the client went away
        }
        impl_.update([&] { impl_.connections[index].ended = true; });
    }

private:
    void serve(WebSocket& socket, std::size_t index) {
        socket.setReceiveTimeout(Poco::Timespan(0, 5000));
        std::map<std::uint64_t, Stream> streams;
        auto send = [&](const json& message) {
            std::string text = message.dump();
            socket.sendFrame(text.data(), static_cast<int>(text.size()));
        };
        Poco::Buffer<char> buffer(0);
        for (;;) {
            {
                std::lock_guard lock(impl_.mutex);
                if (impl_.stopping) return;
            }
            int flags = 0;
            int size = -1;
            buffer.resize(0);
            try {
                size = socket.receiveFrame(buffer, flags);
            } catch (const Poco::TimeoutException&) {}
            if (size >= 0) {
                int opcode = flags & WebSocket::FRAME_OP_BITMASK;
                if ((size == 0 && flags == 0) || opcode == WebSocket::FRAME_OP_CLOSE) return;
                if (opcode != WebSocket::FRAME_OP_TEXT) continue;
                auto message = json::parse(std::string(buffer.begin(), static_cast<std::size_t>(size)));
                impl_.update([&] { impl_.connections[index].received.push_back(message); });
                std::string type = message.value("interaction_type", "");
                if (type == "ping_pong") {
                    send({{"response_type", "ping_pong"}, {"timestamp", message.at("timestamp")}});
                } else if (type == "cancel") {
                    streams.erase(message.at("response_id").get<std::uint64_t>());
                } else if (type == "response_required") {
                    auto id = message.at("response_id").get<std::uint64_t>();
                    std::string prompt = last_user_message(message);
                    if (prompt == "silent") continue;
                    if (prompt == "error") {
                        send({{"response_type", "error"},
                              {"response_id", id},
                              {"code", "rate_limited"},
                              {"message", "quota exceeded"}});
                    } else if (prompt == "tool") {
                        send({{"response_type", "tool_call"},
                              {"response_id", id},
                              {"tool_call_id", "call_1"},
                              {"name", "book_table"},
                              {"arguments", R"({"people":2})"}});
                        send({{"response_type", "response"},
                              {"response_id", id},
                              {"content", ""},
                              {"content_complete", true},
                              {"finish_reason", "tool_calls"}});
                    } else {
                        FakeLlmServer::Script now;  // the script as it is at this request
                        impl_.update([&] { now = impl_.script; });
                        streams[id] = {now.pieces, 0, Clock::now() + now.piece_delay, prompt == "drop",
                                       now.piece_delay};
                    }
                }
            }
            // Due pieces, at most one per stream per turn (interleaves generations).
            for (auto it = streams.begin(); it != streams.end();) {
                auto& [id, stream] = *it;
                if (Clock::now() < stream.due) {
                    ++it;
                    continue;
                }
                bool last = stream.next + 1 >= stream.pieces.size();
                send({{"response_type", "response"},
                      {"response_id", id},
                      {"content", stream.pieces.at(stream.next++)},
                      {"content_complete", false}});
                if (stream.drop_after_first) return socket.close();  // no close frame
                if (last) {
                    send({{"response_type", "response"},
                          {"response_id", id},
                          {"content", ""},
                          {"content_complete", true}});
                    it = streams.erase(it);
                    continue;
                }
                stream.due = Clock::now() + stream.delay;
                ++it;
            }
        }
    }

    FakeLlmServer::Impl& impl_;
};

}  // namespace

FakeLlmServer::FakeLlmServer(std::string api_key, ServerTls tls)
    : api_key_(std::move(api_key)), impl_(std::make_unique<Impl>()) {
    impl_->api_key = api_key_;
    impl_->server = std::make_unique<LocalHttpServer>([impl = impl_.get()] { return new LlmHandler(*impl); }, tls);
}

FakeLlmServer::~FakeLlmServer() {
    impl_->update([&] { impl_->stopping = true; });
    impl_->server->stop();
    // Handlers poll `stopping` every 5 ms; wait until none runs any more.
    std::unique_lock lock(impl_->mutex);
    impl_->changed.wait_for(lock, std::chrono::seconds(5), [&] {
        for (const auto& connection : impl_->connections)
            if (!connection.ended) return false;
        return true;
    });
}

std::string FakeLlmServer::url() const { return impl_->server->url("ws", "/llm"); }

void FakeLlmServer::set_script(Script script) {
    impl_->update([&] {
        impl_->script = std::move(script);
        impl_->refused = 0;
    });
}

int FakeLlmServer::handshakes() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->handshakes;
}

std::vector<FakeLlmServer::Connection> FakeLlmServer::connections() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->connections;
}

bool FakeLlmServer::wait_for(const std::function<bool(const std::vector<Connection>&)>& done,
                             std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, timeout, [&] { return done(impl_->connections); });
}

}  // namespace vox::test
