#include "custom_llm.hpp"

#include <vox/sdk/error.hpp>

#include <Poco/Net/HTTPResponse.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace vox::custom_llm {

struct CustomLlm::Generation {
    std::uint64_t id = 0;
    sdk::LlmSink sink;
    std::string request;  // the response_required frame
    // Held by every callback of this generation; recursive because a callback
    // may cancel its own generation.
    std::recursive_mutex deliver;
    bool ended = false;        // under `deliver`
    bool tool_called = false;  // under `deliver`
    // Under the provider's mutex_:
    bool sent = false;      // its response_required went out on connection_
    bool answered = false;  // a response or tool call arrived
    Clock::time_point deadline{};
};

namespace {

using nlohmann::json;

vox_status status_for_http(int status) {
    if (status == 401 || status == 403) return VOX_ERR_AUTH;
    if (status == 429) return VOX_ERR_RATE_LIMITED;
    if (status == 404) return VOX_ERR_NOT_FOUND;
    if (status == 408 || status == 504) return VOX_ERR_TIMEOUT;
    if (status >= 400 && status < 500) return VOX_ERR_INVALID_ARGUMENT;
    return VOX_ERR_UNAVAILABLE;
}

// The server's socket: the key as a bearer token, room for a long tool-call argument.
plugin_common::WebSocketSettings socket_settings(const Config& config) {
    plugin_common::WebSocketSettings settings;
    settings.url = config.url;
    settings.api_key = config.api_key;
    settings.ca_file = config.ca_file;
    settings.connect_timeout = config.connect_timeout;
    settings.max_payload_size = 1 << 24;
    settings.peer = "the LLM server";
    settings.handshake_failed = "WebSocket handshake with the LLM server failed: ";
    settings.refused = [](const Poco::Net::HTTPResponse& response) {
        auto status = static_cast<int>(response.getStatus());
        return plugin_common::HandshakeRefusal{status_for_http(status),
                                               "the LLM server refused the WebSocket handshake: HTTP " +
                                                   std::to_string(status) + " " + response.getReason(),
                                               status >= 500 || status == 429};
    };
    return settings;
}

std::string string_field(const json& object, const char* key) {
    auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// The text of an OpenAI-style message content: a string or an array of parts.
std::string content_text(const json& content) {
    if (content.is_string()) return content.get<std::string>();
    std::string text;
    if (content.is_array())
        for (const auto& part : content)
            if (part.is_object() && string_field(part, "type") == "text") text += string_field(part, "text");
    return text;
}

// Retell-style transcript: the spoken turns only (no system or tool messages).
json transcript_of(const json& messages) {
    json transcript = json::array();
    if (!messages.is_array()) return transcript;
    for (const auto& message : messages) {
        if (!message.is_object()) continue;
        std::string role = string_field(message, "role");
        if (role != "user" && role != "assistant") continue;
        std::string text = content_text(message.value("content", json()));
        if (text.empty()) continue;
        transcript.push_back({{"role", role == "user" ? "user" : "agent"}, {"content", text}});
    }
    return transcript;
}

// An error message's optional "code" names a vox status; anything else is UNAVAILABLE.
vox_status status_named(const std::string& name) {
    if (name == "invalid_argument") return VOX_ERR_INVALID_ARGUMENT;
    if (name == "unsupported") return VOX_ERR_UNSUPPORTED;
    if (name == "not_found") return VOX_ERR_NOT_FOUND;
    if (name == "timeout") return VOX_ERR_TIMEOUT;
    if (name == "auth") return VOX_ERR_AUTH;
    if (name == "rate_limited") return VOX_ERR_RATE_LIMITED;
    if (name == "internal") return VOX_ERR_INTERNAL;
    return VOX_ERR_UNAVAILABLE;
}

std::string cancel_frame(std::uint64_t id) { return json{{"interaction_type", "cancel"}, {"response_id", id}}.dump(); }

}  // namespace

CustomLlm::CustomLlm(sdk::Host host, Config config) : host_(host), config_(std::move(config)) {}

CustomLlm::~CustomLlm() {
    std::shared_ptr<Connection> connection;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        connection = connection_;
    }
    wake_.notify_all();
    if (connection) {
        connection->send_close();
        connection->interrupt();  // wakes the worker's receive
    }
    if (worker_.joinable()) worker_.join();
    // Normally the host ended everything before unloading; whatever is left
    // still gets its one end, before deinit returns.
    std::vector<std::shared_ptr<Generation>> left;
    {
        std::lock_guard lock(mutex_);
        for (auto& [id, generation] : generations_) left.push_back(generation);
    }
    for (auto& generation : left) end(generation, [&] { generation->sink.done("cancelled"); });
}

void CustomLlm::start(std::string_view request_json, sdk::LlmSink sink) {
    auto request = json::parse(request_json, nullptr, false);
    if (request.is_discarded() || !request.is_object())
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "llm.custom_websocket: the request is not a JSON object");
    json messages = request.contains("messages") ? request["messages"] : json::array();
    json frame{
        {"interaction_type", "response_required"},
        {"response_id", sink.generation()},
        {"transcript", transcript_of(messages)},
        {"messages", messages},
        {"model", request.contains("model") && request["model"].is_string() ? request["model"] : json("custom")}};
    if (request.contains("tools") && !request["tools"].is_null()) frame["tools"] = request["tools"];
    auto generation = std::make_shared<Generation>();
    generation->id = sink.generation();
    generation->sink = sink;
    generation->request = frame.dump();

    std::shared_ptr<Connection> connection;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) throw sdk::Error(VOX_ERR_UNAVAILABLE, "llm.custom_websocket is shutting down");
        if (generations_.count(generation->id) != 0)
            throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "generation " + std::to_string(generation->id) + " is running");
        generations_[generation->id] = generation;
        if (connection_) {
            connection = connection_;
            generation->sent = true;
            generation->deadline = Clock::now() + config_.first_token_timeout;
        }
        if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
    }
    wake_.notify_all();  // not connected: the worker connects and sends it
    if (connection) send(connection, generation->request);
}

void CustomLlm::cancel(std::uint64_t id) noexcept {
    try {
        auto generation = find(id);
        if (!generation) return;
        bool sent = false;
        std::shared_ptr<Connection> connection;
        {
            std::lock_guard lock(mutex_);
            sent = generation->sent;
            connection = connection_;
        }
        if (end(generation, [&] { generation->sink.done("cancelled"); }) && sent && connection)
            send(connection, cancel_frame(id));
    } catch (...) {  // cancel must not throw
    }
}

std::string CustomLlm::list_models() { return R"(["custom"])"; }

template <class Deliver>
bool CustomLlm::end(const std::shared_ptr<Generation>& generation, Deliver&& deliver) {
    std::lock_guard delivering(generation->deliver);
    if (generation->ended) return false;
    generation->ended = true;
    {
        std::lock_guard lock(mutex_);
        generations_.erase(generation->id);
    }
    deliver();
    return true;
}

std::shared_ptr<CustomLlm::Generation> CustomLlm::find(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    auto found = generations_.find(id);
    return found != generations_.end() ? found->second : nullptr;
}

void CustomLlm::send(const std::shared_ptr<Connection>& connection, const std::string& text) noexcept {
    try {
        connection->send_text(text);
    } catch (...) {
        // A broken connection: the worker's receive then ends and fails the
        // generations sent on it.
        connection->interrupt();
    }
}

std::shared_ptr<Connection> CustomLlm::connect_with_retries(vox_status& code, std::string& message) {
    for (int attempt = 0;; ++attempt) {
        try {
            auto connection = std::make_shared<Connection>(socket_settings(config_));
            host_.info("llm.custom_websocket: connected to " + config_.url);
            return connection;
        } catch (const ConnectError& e) {
            code = e.code();
            message = std::string("llm.custom_websocket: ") + e.what();
            if (!e.transient() || attempt >= config_.retries) {
                host_.warn(message);
                return nullptr;
            }
        }
        auto backoff = std::min(std::chrono::milliseconds(200) * (1 << attempt), std::chrono::milliseconds(2000));
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, backoff, [&] { return stopping_; })) return nullptr;
    }
}

void CustomLlm::run() {
    auto next_ping = Clock::now() + config_.ping_interval;
    for (;;) {
        std::shared_ptr<Connection> connection;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] {
                return stopping_ || connection_ ||
                       std::any_of(generations_.begin(), generations_.end(),
                                   [](const auto& entry) { return !entry.second->sent; });
            });
            if (stopping_) return;
            connection = connection_;
        }
        if (!connection) {
            // Connect lazily: only when a generation waits for it.
            vox_status code = VOX_ERR_UNAVAILABLE;
            std::string message;
            connection = connect_with_retries(code, message);
            std::vector<std::shared_ptr<Generation>> waiting;
            {
                std::lock_guard lock(mutex_);
                if (stopping_) return;
                connection_ = connection;
                for (auto& [id, generation] : generations_) {
                    if (generation->sent) continue;
                    waiting.push_back(generation);
                    if (!connection) continue;
                    generation->sent = true;
                    generation->deadline = Clock::now() + config_.first_token_timeout;
                }
            }
            for (auto& generation : waiting) {
                if (connection)
                    send(connection, generation->request);
                else
                    end(generation, [&] { generation->sink.error(code, message); });
            }
            next_ping = Clock::now() + config_.ping_interval;
            continue;
        }
        // Short waits: first-token deadlines of generations started meanwhile
        // are checked at least every 50 ms.
        auto wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(next_ping - Clock::now()),
                               std::chrono::milliseconds(1), std::chrono::milliseconds(50));
        auto frame = connection->receive(wait);
        if (frame.kind == Connection::Kind::text) {
            handle(frame.payload);
        } else if (frame.kind != Connection::Kind::timeout) {
            {
                std::lock_guard lock(mutex_);
                if (stopping_) return;
            }
            host_.warn("llm.custom_websocket: the LLM server closed the connection");
            fail_sent(VOX_ERR_UNAVAILABLE, "llm.custom_websocket: the connection to the LLM server was lost");
            continue;
        }
        check_deadlines(connection);
        if (Clock::now() >= next_ping) {
            auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch());
            send(connection, json{{"interaction_type", "ping_pong"}, {"timestamp", now_ms.count()}}.dump());
            next_ping = Clock::now() + config_.ping_interval;
        }
    }
}

void CustomLlm::handle(const std::string& text) {
    auto message = json::parse(text, nullptr, false);
    if (message.is_discarded() || !message.is_object()) {
        host_.warn("llm.custom_websocket: ignoring a frame that is not a JSON object");
        return;
    }
    std::string type = string_field(message, "response_type");
    if (type == "ping_pong") return;
    auto id_field = message.find("response_id");
    bool has_id = id_field != message.end() && id_field->is_number_unsigned();
    std::shared_ptr<Generation> generation = has_id ? find(id_field->get<std::uint64_t>()) : nullptr;

    if (type == "error") {
        std::string reason = string_field(message, "message");
        if (reason.empty()) reason = "the LLM server reported an error";
        vox_status code = status_named(string_field(message, "code"));
        std::vector<std::shared_ptr<Generation>> failed;
        if (generation) {
            failed.push_back(generation);
        } else if (!has_id) {  // about the connection: every generation sent on it
            std::lock_guard lock(mutex_);
            for (auto& [id, running] : generations_)
                if (running->sent) failed.push_back(running);
        }
        for (auto& each : failed) end(each, [&] { each->sink.error(code, "llm.custom_websocket: " + reason); });
        return;
    }
    if (!generation) return;                                // cancelled, timed out, unknown, or no id
    if (type != "response" && type != "tool_call") return;  // newer message types: ignored
    {
        std::lock_guard lock(mutex_);
        generation->answered = true;
    }
    if (type == "tool_call") {
        std::string call_id = string_field(message, "tool_call_id");
        std::string name = string_field(message, "name");
        auto arguments = message.value("arguments", json("{}"));
        std::string arguments_json = arguments.is_string() ? arguments.get<std::string>() : arguments.dump();
        if (call_id.empty() || name.empty()) {
            end(generation, [&] {
                generation->sink.error(
                    VOX_ERR_INTERNAL, "llm.custom_websocket: the server sent a tool_call without tool_call_id or name");
            });
            return;
        }
        std::lock_guard delivering(generation->deliver);
        if (generation->ended) return;
        generation->tool_called = true;
        generation->sink.tool_call(call_id, name, arguments_json);
        return;
    }
    std::string content = content_text(message.value("content", json()));
    auto complete = message.find("content_complete");
    bool completed = complete != message.end() && complete->is_boolean() && complete->get<bool>();
    std::lock_guard delivering(generation->deliver);  // token and end: nothing of another thread between
    if (!content.empty() && !generation->ended) generation->sink.token(content);
    if (!completed) return;
    std::string reason = string_field(message, "finish_reason");
    if (reason.empty()) reason = generation->tool_called ? "tool_calls" : "stop";
    end(generation, [&] { generation->sink.done(reason.c_str()); });
}

void CustomLlm::fail_sent(vox_status code, const std::string& message) {
    std::vector<std::shared_ptr<Generation>> lost;
    {
        std::lock_guard lock(mutex_);
        connection_.reset();  // the next generation reconnects
        for (auto& [id, generation] : generations_)
            if (generation->sent) lost.push_back(generation);
    }
    for (auto& generation : lost) end(generation, [&] { generation->sink.error(code, message); });
}

void CustomLlm::check_deadlines(const std::shared_ptr<Connection>& connection) {
    std::vector<std::shared_ptr<Generation>> late;
    {
        std::lock_guard lock(mutex_);
        auto now = Clock::now();
        for (auto& [id, generation] : generations_)
            if (generation->sent && !generation->answered && generation->deadline <= now) late.push_back(generation);
    }
    std::string message = "llm.custom_websocket: no answer from the LLM server within " +
                          std::to_string(config_.first_token_timeout.count()) + " ms";
    for (auto& generation : late)
        if (end(generation, [&] { generation->sink.error(VOX_ERR_TIMEOUT, message); }))
            send(connection, cancel_frame(generation->id));  // the server may stop working on it
}

}  // namespace vox::custom_llm
