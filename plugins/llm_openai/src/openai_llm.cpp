#include "openai_llm.hpp"

#include "stream_parser.hpp"

#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/tls.hpp>
#include <vox/sdk/error.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <nlohmann/json.hpp>

#include <sys/socket.h>

#include <atomic>
#include <istream>
#include <mutex>
#include <ostream>
#include <thread>

namespace vox::openai {

struct OpenAiLlm::Generation {
    std::uint64_t id = 0;
    sdk::LlmSink sink;
    std::string body;
    std::thread thread;
    std::atomic<bool> cancelled{false};
    std::atomic<bool> ended{false};
    std::mutex socket_mutex;
    Poco::Net::HTTPClientSession* session = nullptr;  // while the request runs

    void done(const char* reason) {
        if (!ended.exchange(true)) sink.done(reason);
    }
    void error(vox_status code, const std::string& message) {
        if (!ended.exchange(true)) sink.error(code, message);
    }
    // Wakes a blocked read: shutdown (not close) leaves the descriptor valid
    // for the reading thread, which then sees end of stream.
    void interrupt() {
        std::lock_guard lock(socket_mutex);
        if (session == nullptr) return;
        try {
            auto fd = session->socket().impl()->sockfd();
            if (fd != POCO_INVALID_SOCKET) ::shutdown(fd, SHUT_RDWR);
        } catch (...) {
        }
    }
};

namespace {

using Clock = std::chrono::steady_clock;

Poco::Timespan span(std::chrono::milliseconds ms) { return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000); }

// The key must never reach a log or an error message.
using plugin_common::redact;

// The connection (and the TLS handshake) happens when the request is sent, on this thread.
std::unique_ptr<Poco::Net::HTTPClientSession> open_session(const Poco::URI& uri, const Config& config) {
    plugin_common::begin_tls_handshake();
    if (uri.getScheme() == "https")
        return std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                               plugin_common::tls_context(uri.getHost(), config.ca_file));
    return std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
}

vox_status status_for_http(int status) {
    if (status == 401 || status == 403) return VOX_ERR_AUTH;
    if (status == 429) return VOX_ERR_RATE_LIMITED;
    if (status == 408 || status == 504) return VOX_ERR_TIMEOUT;
    if (status == 404) return VOX_ERR_NOT_FOUND;
    if (status == 400 || status == 413 || status == 422) return VOX_ERR_INVALID_ARGUMENT;
    return VOX_ERR_UNAVAILABLE;
}

// "HTTP 401: <the server's message>" from an error response body.
std::string http_error_message(int status, const std::string& reason, std::istream& body) {
    std::string text;
    char buffer[4096];
    while (text.size() < 65536 && body.read(buffer, sizeof buffer).gcount() > 0)
        text.append(buffer, static_cast<std::size_t>(body.gcount()));
    std::string message;
    auto document = nlohmann::json::parse(text, nullptr, false);
    if (!document.is_discarded() && document.is_object()) {
        auto error = document.find("error");
        if (error != document.end() && error->is_object()) message = error->value("message", "");
        else if (error != document.end() && error->is_string()) message = error->get<std::string>();
        else message = document.value("message", "");
    }
    if (message.empty()) message = text.substr(0, 300);
    std::string result = "HTTP " + std::to_string(status) + " " + reason;
    if (!message.empty()) result += ": " + message;
    return result;
}

// Runs `body` and turns network failures into sdk::Error with a status.
template <class Body>
void mapped(const std::string& what, const Config& config, Body&& body) {
    const std::string& key = config.api_key;
    try {
        body();
    } catch (const sdk::Error&) {
        throw;
    } catch (const Poco::TimeoutException& e) {
        throw sdk::Error(VOX_ERR_TIMEOUT, redact(what + ": timed out (" + e.displayText() + ")", key));
    } catch (const Poco::Exception& e) {
        // A refused certificate says why (no trusted CA, another host's name).
        std::string refused = plugin_common::certificate_failure(Poco::URI(config.base_url).getHost());
        throw sdk::Error(VOX_ERR_UNAVAILABLE, redact(what + ": " + (refused.empty() ? e.displayText() : refused), key));
    } catch (const std::exception& e) {
        throw sdk::Error(VOX_ERR_UNAVAILABLE, redact(what + ": " + e.what(), key));
    }
}

Poco::URI endpoint(const Config& config, const std::string& path) {
    Poco::URI uri(config.base_url);
    std::string prefix = uri.getPath();
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    uri.setPath(prefix + path);
    return uri;
}

void prepare(Poco::Net::HTTPRequest& request, const Config& config) {
    request.set("User-Agent", "vox-llm-openai/1.0");
    if (!config.api_key.empty()) request.set("Authorization", "Bearer " + config.api_key);
    if (!config.organization.empty()) request.set("OpenAI-Organization", config.organization);
}

}  // namespace

OpenAiLlm::OpenAiLlm(Config config) : config_(std::move(config)) {}

OpenAiLlm::~OpenAiLlm() {
    std::map<std::uint64_t, std::shared_ptr<Generation>> running;
    std::vector<std::shared_ptr<Generation>> finished;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        running.swap(generations_);
        finished.swap(finished_);
    }
    for (auto& [id, generation] : running) {
        generation->cancelled = true;
        generation->interrupt();
    }
    for (auto& [id, generation] : running)
        if (generation->thread.joinable()) generation->thread.join();
    for (auto& generation : finished)
        if (generation->thread.joinable()) generation->thread.join();
}

void OpenAiLlm::reap() {
    std::vector<std::shared_ptr<Generation>> finished;
    {
        std::lock_guard lock(mutex_);
        for (auto it = finished_.begin(); it != finished_.end();) {
            // A generation's own thread (starting another from a callback) cannot join itself.
            if ((*it)->thread.get_id() == std::this_thread::get_id()) {
                ++it;
                continue;
            }
            finished.push_back(std::move(*it));
            it = finished_.erase(it);
        }
    }
    for (auto& generation : finished)
        if (generation->thread.joinable()) generation->thread.join();
}

void OpenAiLlm::start(std::string_view request_json, sdk::LlmSink sink) {
    reap();
    auto request = nlohmann::json::parse(request_json, nullptr, false);
    if (request.is_discarded() || !request.is_object())
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "the request is not a JSON object");
    auto messages = request.find("messages");
    if (messages == request.end() || !messages->is_array() || messages->empty())
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "the request needs a non-empty \"messages\" array");
    if (!request.contains("model") || request["model"].is_null() ||
        (request["model"].is_string() && request["model"].get<std::string>().empty())) {
        if (config_.model.empty())
            throw sdk::Error(VOX_ERR_INVALID_ARGUMENT,
                             "no model: name one in the request (\"model\") or set llm.openai's \"model\" setting");
        request["model"] = config_.model;
    }
    if (!request["model"].is_string()) throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "\"model\" must be a string");
    if (auto tools = request.find("tools"); tools != request.end() && (tools->is_null() || (tools->is_array() && tools->empty())))
        request.erase("tools");  // some servers refuse an empty list
    if (config_.temperature && !request.contains("temperature")) request["temperature"] = *config_.temperature;
    request["stream"] = true;

    auto generation = std::make_shared<Generation>();
    generation->id = sink.generation();
    generation->sink = sink;
    generation->body = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::lock_guard lock(mutex_);
    if (stopping_) throw sdk::Error(VOX_ERR_UNAVAILABLE, "llm.openai is shutting down");
    if (generations_.count(generation->id) != 0)
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "generation " + std::to_string(generation->id) + " is already running");
    generations_[generation->id] = generation;
    try {
        generation->thread = std::thread([this, generation] { run(generation); });
    } catch (const std::system_error& e) {
        generations_.erase(generation->id);
        throw sdk::Error(VOX_ERR_UNAVAILABLE, std::string("cannot start a thread: ") + e.what());
    }
}

void OpenAiLlm::cancel(std::uint64_t generation_id) noexcept {
    std::shared_ptr<Generation> generation;
    {
        std::lock_guard lock(mutex_);
        auto found = generations_.find(generation_id);
        if (found == generations_.end()) return;
        generation = found->second;
    }
    generation->cancelled = true;
    generation->interrupt();
}

void OpenAiLlm::run(const std::shared_ptr<Generation>& generation) {
    Generation& g = *generation;
    const std::string& key = config_.api_key;
    try {
        Poco::URI uri = endpoint(config_, "/chat/completions");
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        std::istream* body = nullptr;
        Poco::Net::HTTPResponse response;
        mapped("cannot reach " + config_.base_url, config_, [&] {
            session = open_session(uri, config_);
            session->setTimeout(span(config_.connect_timeout), span(config_.first_byte_timeout),
                                span(config_.first_byte_timeout));
            {
                std::lock_guard lock(g.socket_mutex);
                g.session = session.get();
            }
            if (g.cancelled) return;
            Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathEtc(),
                                           Poco::Net::HTTPMessage::HTTP_1_1);
            prepare(request, config_);
            request.setContentType("application/json");
            request.set("Accept", "text/event-stream");
            request.setContentLength(static_cast<std::streamsize>(g.body.size()));
            session->sendRequest(request) << g.body << std::flush;
        });
        if (!g.cancelled) {
            mapped("no response from " + config_.base_url, config_, [&] { body = &session->receiveResponse(response); });
        }
        if (!g.cancelled && response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
            std::string message;
            mapped("reading the error from " + config_.base_url, config_, [&] {
                message = http_error_message(response.getStatus(), response.getReason(), *body);
            });
            throw sdk::Error(status_for_http(response.getStatus()), redact(message, key));
        }
        bool tool_calls = false;
        StreamParser parser({[&](std::string_view text) {
                                 if (!g.cancelled) g.sink.token(text);
                             },
                             [&](const ToolCall& call) {
                                 tool_calls = true;
                                 if (!g.cancelled) g.sink.tool_call(call.id, call.name, call.arguments);
                             }});
        if (!g.cancelled) {
            mapped("reading the stream from " + config_.base_url, config_, [&] {
                session->socket().setReceiveTimeout(span(config_.read_timeout));
                std::string line;
                while (!g.cancelled && !parser.done() && std::getline(*body, line)) parser.line(line);
                if (!g.cancelled && body->bad()) throw sdk::Error(VOX_ERR_UNAVAILABLE, "the stream broke off");
            });
        }
        {
            std::lock_guard lock(g.socket_mutex);
            g.session = nullptr;
        }
        if (g.cancelled) {
            g.done("cancelled");
        } else {
            parser.end();
            if (!parser.done() && parser.finish_reason().empty())
                throw sdk::Error(VOX_ERR_UNAVAILABLE,
                                 "the connection closed before the answer was complete (no finish_reason, no [DONE])");
            std::string reason = parser.finish_reason();
            if (reason.empty()) reason = tool_calls ? "tool_calls" : "stop";
            g.done(reason.c_str());
        }
    } catch (const sdk::Error& e) {
        {
            std::lock_guard lock(g.socket_mutex);
            g.session = nullptr;
        }
        if (g.cancelled) g.done("cancelled");
        else g.error(e.code(), redact(e.what(), key));
    } catch (const std::exception& e) {
        {
            std::lock_guard lock(g.socket_mutex);
            g.session = nullptr;
        }
        if (g.cancelled) g.done("cancelled");
        else g.error(VOX_ERR_INTERNAL, redact(e.what(), key));
    }
    std::lock_guard lock(mutex_);
    auto found = generations_.find(g.id);
    if (found != generations_.end() && found->second == generation) {
        finished_.push_back(generation);
        generations_.erase(found);
    }
}

std::vector<std::string> OpenAiLlm::fetch_models() {
    const std::string& key = config_.api_key;
    std::vector<std::string> models;
    mapped("listing models at " + config_.base_url, config_, [&] {
        Poco::URI uri = endpoint(config_, "/models");
        auto session = open_session(uri, config_);
        session->setTimeout(span(config_.connect_timeout), span(config_.first_byte_timeout),
                            span(config_.first_byte_timeout));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
        prepare(request, config_);
        request.set("Accept", "application/json");
        session->sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& body = session->receiveResponse(response);
        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
            throw sdk::Error(status_for_http(response.getStatus()),
                             redact("listing models: " + http_error_message(response.getStatus(), response.getReason(), body), key));
        std::string text;
        char buffer[4096];
        while (body.read(buffer, sizeof buffer).gcount() > 0) text.append(buffer, static_cast<std::size_t>(body.gcount()));
        auto document = nlohmann::json::parse(text, nullptr, false);
        if (document.is_discarded() || !document.is_object() || !document.contains("data") || !document["data"].is_array())
            throw sdk::Error(VOX_ERR_UNAVAILABLE, "listing models: the answer is not a model list");
        for (const auto& model : document["data"])
            if (model.is_object() && model.contains("id") && model["id"].is_string()) models.push_back(model["id"]);
    });
    return models;
}

std::string OpenAiLlm::list_models() {
    reap();
    std::lock_guard lock(models_mutex_);
    auto now = Clock::now();
    bool fresh = !cached_models_.empty() && now - models_fetched_ < config_.models_cache;
    if (!fresh) {
        try {
            cached_models_ = fetch_models();
            models_fetched_ = now;
        } catch (const sdk::Error&) {
            if (!config_.models.empty()) return nlohmann::json(config_.models).dump();
            if (!cached_models_.empty()) return nlohmann::json(cached_models_).dump();  // stale beats nothing
            throw;
        }
    }
    return nlohmann::json(cached_models_).dump();
}

}  // namespace vox::openai
