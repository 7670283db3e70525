#include "websocket_transport.hpp"

#include <nlohmann/json.hpp>

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <cctype>

namespace vox::transport_ws {
namespace {

constexpr int kServerThreads = 4;  // handshakes only: each is over in a few ms

[[noreturn]] void invalid(const std::string& message) { throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, message); }

bool url_safe_id(const std::string& id) {
    return !id.empty() && id.size() <= 200 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '_' || c == '-' || c == '.';
    });
}

// ws://host:port for clients on this machine: a wildcard address becomes loopback.
std::string listen_url_for(const std::string& host, std::uint16_t port) {
    std::string shown = host;
    if (host == "0.0.0.0") shown = "127.0.0.1";
    else if (host == "::" || host == "[::]") shown = "[::1]";
    else if (host.find(':') != std::string::npos && host.front() != '[') shown = "[" + host + "]";
    return "ws://" + shown + ":" + std::to_string(port);
}

ExpectedCaller parse_dial(std::string_view request_json) {
    auto request = nlohmann::json::parse(request_json, nullptr, false);
    if (request.is_discarded() || !request.is_object()) invalid("dial needs a JSON object");
    ExpectedCaller caller;
    auto call_id = request.find("call_id");
    if (call_id == request.end() || !call_id->is_string() || !url_safe_id(call_id->get<std::string>()))
        invalid("dial needs \"call_id\": 1 to 200 letters, digits, '_', '-' or '.'");
    caller.call_id = call_id->get<std::string>();
    auto token = request.find("access_token");
    if (token == request.end() || !token->is_string() || token->get<std::string>().empty() ||
        token->get<std::string>().size() > 512)
        invalid("dial needs \"access_token\": a non-empty string");
    caller.access_token = token->get<std::string>();
    std::int64_t expires_in_ms = 30000;
    if (auto it = request.find("expires_in_ms"); it != request.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 86'400'000)
            invalid("expires_in_ms must be a whole number of ms from 1 to 86400000");
        expires_in_ms = it->get<std::int64_t>();
    }
    caller.expires_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(expires_in_ms);
    if (auto it = request.find("sample_rate"); it != request.end() && !it->is_null()) {
        std::int64_t rate = it->is_number_integer() ? it->get<std::int64_t>() : 0;
        if (rate != 8000 && rate != 16000 && rate != 24000 && rate != 48000)
            throw sdk::Error(VOX_ERR_UNSUPPORTED, "sample_rate must be 8000, 16000, 24000 or 48000");
        caller.sample_rate = static_cast<std::uint32_t>(rate);
    }
    return caller;
}

}  // namespace

WebSocketTransport::WebSocketTransport(sdk::Host host, TransportSettings defaults)
    : host_(host), defaults_(std::move(defaults)) {}

WebSocketTransport::~WebSocketTransport() { stop(); }

void WebSocketTransport::start(std::string_view settings_json, sdk::TransportSink sink) {
    std::lock_guard lock(mutex_);
    if (running_) throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "transport.websocket is already started");
    TransportSettings settings = parse_settings(settings_json, defaults_);

    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(settings.host, settings.port), true, false);  // no SO_REUSEPORT
        socket.listen(128);
    } catch (const Poco::Exception& error) {
        throw sdk::Error(VOX_ERR_UNAVAILABLE, "transport.websocket cannot listen on " + settings.host + ":" +
                                                  std::to_string(settings.port) + ": " + error.displayText());
    }
    const std::uint16_t port = socket.address().port();

    auto params = new Poco::Net::HTTPServerParams;  // reference-counted; the server owns it
    params->setMaxThreads(kServerThreads);
    params->setMaxQueued(256);
    params->setKeepAlive(false);
    params->setTimeout(Poco::Timespan(10, 0));  // a client must send its upgrade request within 10 s
    params->setServerName("vox transport.websocket");

    auto reactor = std::make_shared<Reactor>();
    auto pool = std::make_unique<Poco::ThreadPool>(1, kServerThreads + 1, 60);
    auto server = std::make_unique<Poco::Net::HTTPServer>(new UpgradeHandlerFactory(*this, host_), *pool, socket,
                                                          params);
    reactor->start();
    server->start();

    settings_ = settings;
    sink_ = sink;
    listen_url_ = listen_url_for(settings.host, port);
    reactor_ = std::move(reactor);
    pool_ = std::move(pool);
    server_ = std::move(server);
    running_ = true;
    host_.info("transport.websocket: listening on " + listen_url_ +
               (settings.public_url.empty() ? std::string() : " (public_url " + settings.public_url + ")"));
}

void WebSocketTransport::stop() noexcept {
    std::shared_ptr<Reactor> reactor;
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    {
        std::lock_guard lock(mutex_);
        if (!running_) return;
        running_ = false;
        reactor = std::move(reactor_);
        pool = std::move(pool_);
        server = std::move(server_);
    }
    try {
        server->stopAll(true);  // no new connections; handshakes in progress are aborted
        pool->joinAll();
        server.reset();
        pool.reset();
    } catch (...) {
    }
    reactor->stop();  // closes every open call; no callback after it returns
    {
        std::lock_guard lock(mutex_);
        for (auto& [raw, call] : calls_) stopped_calls_.push_back(call);
        calls_.clear();
    }
    callers_.clear();
    host_.info("transport.websocket: stopped");
}

void WebSocketTransport::dial(std::string_view request_json) {
    ExpectedCaller caller = parse_dial(request_json);
    std::lock_guard lock(mutex_);
    if (!running_) throw sdk::Error(VOX_ERR_UNAVAILABLE, "transport.websocket is not started");
    std::size_t busy = calls_.size() + callers_.waiting(std::chrono::steady_clock::now());
    if (busy >= settings_.max_calls)
        throw sdk::Error(VOX_ERR_UNAVAILABLE,
                         "transport.websocket has max_calls (" + std::to_string(settings_.max_calls) + ") calls");
    callers_.expect(std::move(caller));
}

std::string WebSocketTransport::describe() {
    nlohmann::json described = nlohmann::json::parse(capabilities_json());
    std::lock_guard lock(mutex_);
    described["running"] = running_;
    if (running_) {
        described["listen_url"] = listen_url_;
        if (!settings_.public_url.empty()) described["public_url"] = settings_.public_url;
        described["max_calls"] = settings_.max_calls;
        described["active_calls"] = calls_.size();
        described["waiting_calls"] = callers_.waiting(std::chrono::steady_clock::now());
        described["reactor_cpu_ms"] = reactor_->cpu_us() / 1000;
    }
    return described.dump();
}

ExpectedCallers::Admission WebSocketTransport::admit(const std::string& call_id, const std::string& token,
                                                     ExpectedCaller& admitted) {
    return callers_.admit(call_id, token, std::chrono::steady_clock::now(), admitted);
}

bool WebSocketTransport::has_capacity() {
    std::lock_guard lock(mutex_);
    return running_ && calls_.size() < settings_.max_calls;
}

void WebSocketTransport::adopt(ExpectedCaller caller, const Poco::Net::StreamSocket& socket, std::string leftover) {
    std::shared_ptr<MediaCall> call;
    std::shared_ptr<Reactor> reactor;
    {
        std::lock_guard lock(mutex_);
        if (!running_) return;  // stopping: the socket closes with its last reference
        reactor = reactor_;
        CallEnvironment environment;
        environment.sink = sink_;
        environment.host = host_;
        environment.reactor = reactor;
        environment.idle_timeout = std::chrono::milliseconds(settings_.idle_timeout_ms);
        environment.on_finished = [this](const std::shared_ptr<MediaCall>& finished) { forget(finished); };
        call = std::make_shared<MediaCall>(std::move(environment), std::move(caller), socket, std::move(leftover));
        calls_[call.get()] = call;
    }
    bool posted = reactor->post([this, reactor, call] {
        try {
            reactor->add(call);
        } catch (const std::exception& error) {
            host_.error(std::string("transport.websocket: cannot serve a call: ") + error.what());
            call->on_shutdown();
            forget(call);
            return;
        }
        call->begin(Reactor::Clock::now());
    });
    if (!posted) {
        std::lock_guard lock(mutex_);
        calls_.erase(call.get());
    }
}

void WebSocketTransport::forget(const std::shared_ptr<MediaCall>& call) {
    std::lock_guard lock(mutex_);
    calls_.erase(call.get());
}

}  // namespace vox::transport_ws
