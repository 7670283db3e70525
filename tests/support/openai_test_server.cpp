#include "openai_test_server.hpp"

#include "local_http_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SocketAddress.h>

#include <deque>
#include <istream>
#include <iterator>
#include <ostream>

namespace vox::test {

struct OpenAiTestServer::State {
    std::string api_key;
    mutable std::mutex mutex;
    std::condition_variable stop_cv;
    bool stopping = false;
    Script script;
    std::deque<Script> queued;  // used once each, before `script`
    std::vector<std::string> models = {"gpt-4o-mini", "gpt-4o", "llama-3.1-8b-instant"};
    int models_status = 200;
    std::vector<Received> received;
    std::size_t model_requests = 0;
    std::optional<Clock::time_point> last_chunk_sent;
    bool client_disconnected = false;

    // Sleeps unless the server stops first; returns false when stopping.
    bool pause(std::chrono::milliseconds delay) {
        std::unique_lock lock(mutex);
        if (delay.count() > 0) stop_cv.wait_for(lock, delay, [&] { return stopping; });
        return !stopping;
    }
};

namespace {

using Poco::Net::HTTPResponse;

void send_json(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const nlohmann::json& body) {
    std::string text = body.dump();
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(text.size()));
    response.send() << text;
}

void send_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& message,
                const std::string& type, const nlohmann::json& code = nullptr) {
    send_json(response, static_cast<HTTPResponse::HTTPStatus>(status),
              {{"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}}});
}

// The request body problems the real API would answer 400 to ("" when fine).
std::string body_problem(const nlohmann::json& body) {
    if (!body.is_object()) return "We could not parse the JSON body of your request.";
    if (!body.contains("model") || !body["model"].is_string() || body["model"].get<std::string>().empty())
        return "you must provide a model parameter";
    if (!body.contains("messages") || !body["messages"].is_array() || body["messages"].empty())
        return "'messages' must be a non-empty array";
    for (const auto& message : body["messages"]) {
        if (!message.is_object() || !message.contains("role") || !message["role"].is_string())
            return "each message needs a 'role'";
        std::string role = message["role"];
        if (role != "system" && role != "user" && role != "assistant" && role != "tool" && role != "developer")
            return "'" + role + "' is not a valid role";
    }
    if (body.contains("tools")) {
        if (!body["tools"].is_array()) return "'tools' must be an array";
        for (const auto& tool : body["tools"])
            if (!tool.is_object() || tool.value("type", "") != "function" || !tool.contains("function"))
                return "each tool needs type 'function' and a 'function'";
    }
    if (body.contains("stream") && !body["stream"].is_boolean()) return "'stream' must be a boolean";
    return "";
}

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(std::shared_ptr<OpenAiTestServer::State> state) : state_(std::move(state)) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        std::string text;
        {
            char buffer[4096];
            std::istream& in = request.stream();
            while (in.read(buffer, sizeof buffer).gcount() > 0)
                text.append(buffer, static_cast<std::size_t>(in.gcount()));
        }
        OpenAiTestServer::Received received{request.getMethod(), request.getURI(), request.get("Authorization", ""),
                                            nlohmann::json::parse(text, nullptr, false)};
        if (received.body.is_discarded()) received.body = nullptr;
        OpenAiTestServer::Script script;
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
        if (received.authorization != "Bearer " + state_->api_key) {
            // Like OpenAI: the message shows a masked key, never the whole one.
            std::string shown = received.authorization.size() > 11 ? received.authorization.substr(7, 4) + "****" : "";
            send_error(response, 401,
                       "Incorrect API key provided: " + shown +
                           ". You can find your API key at https://platform.openai.com/account/api-keys.",
                       "invalid_request_error", "invalid_api_key");
            return;
        }
        if (received.method == "GET" && received.path == "/v1/models") return models(response);
        if (received.method == "POST" && received.path == "/v1/chat/completions")
            return chat(request, response, received.body, script);
        send_error(response, 404, "Unknown request URL: " + received.method + " " + received.path,
                   "invalid_request_error", "unknown_url");
    }

private:
    void models(Poco::Net::HTTPServerResponse& response) {
        std::vector<std::string> ids;
        int status = 200;
        {
            std::lock_guard lock(state_->mutex);
            ++state_->model_requests;
            ids = state_->models;
            status = state_->models_status;
        }
        if (status != 200) return send_error(response, status, "models are unavailable", "server_error");
        nlohmann::json data = nlohmann::json::array();
        for (const auto& id : ids)
            data.push_back({{"id", id}, {"object", "model"}, {"created", 1700000000}, {"owned_by", "test"}});
        send_json(response, HTTPResponse::HTTP_OK, {{"object", "list"}, {"data", data}});
    }

    void chat(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
              const nlohmann::json& body, const OpenAiTestServer::Script& script) {
        if (auto problem = body_problem(body); !problem.empty())
            return send_error(response, 400, problem, "invalid_request_error");
        if (!state_->pause(script.first_byte_delay)) return;
        if (script.status != 200) {
            const char* type = script.status == 429 ? "requests" : script.error_type.c_str();
            return send_error(response, script.status, script.error_message, type,
                              script.status == 429 ? nlohmann::json("rate_limit_exceeded") : nlohmann::json(nullptr));
        }
        if (!body.value("stream", false)) {
            // Not streamed: one chat.completion with the concatenated content.
            std::string content;
            for (const auto& chunk : script.chunks) {
                auto parsed = nlohmann::json::parse(chunk);
                auto& delta = parsed["choices"][0]["delta"];
                if (delta.contains("content") && delta["content"].is_string())
                    content += delta["content"].get<std::string>();
            }
            return send_json(response, HTTPResponse::HTTP_OK,
                             {{"id", "chatcmpl-test"},
                              {"object", "chat.completion"},
                              {"model", body["model"]},
                              {"choices",
                               {{{"index", 0},
                                 {"message", {{"role", "assistant"}, {"content", content}}},
                                 {"finish_reason", "stop"}}}}});
        }
        response.setStatus(HTTPResponse::HTTP_OK);
        response.setContentType("text/event-stream");
        response.set("Cache-Control", "no-cache");
        response.setChunkedTransferEncoding(true);
        std::ostream& out = response.send();
        out.flush();
        int sent = 0;
        for (const auto& chunk : script.chunks) {
            if (script.drop_after >= 0 && sent == script.drop_after) return drop(request);
            auto delay = script.stall_after >= 0 && sent == script.stall_after ? script.stall : script.chunk_delay;
            if (!state_->pause(delay)) return drop(request);
            out << "data: " << chunk << "\n\n";
            out.flush();
            if (!out.good()) {
                std::lock_guard lock(state_->mutex);
                state_->client_disconnected = true;
                return;
            }
            ++sent;
            std::lock_guard lock(state_->mutex);
            state_->last_chunk_sent = OpenAiTestServer::Clock::now();
        }
        if (script.drop_after >= 0) return drop(request);
        if (script.send_done) {
            out << "data: [DONE]\n\n";
            out.flush();
        }
    }

    // Ends the connection without finishing the chunked body.
    static void drop(Poco::Net::HTTPServerRequest& request) {
        auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request);
        try {
            impl.socket().shutdown();
        } catch (...) {}
    }

    std::shared_ptr<OpenAiTestServer::State> state_;
};

}  // namespace

OpenAiTestServer::OpenAiTestServer(std::string api_key, ServerTls tls)
    : api_key_(std::move(api_key)), state_(std::make_shared<State>()) {
    state_->api_key = api_key_;
    server_ = std::make_unique<LocalHttpServer>([state = state_] { return new Handler(state); }, tls);
}

OpenAiTestServer::~OpenAiTestServer() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
    }
    state_->stop_cv.notify_all();
    server_->stop();
}

std::uint16_t OpenAiTestServer::port() const { return server_->port(); }
std::string OpenAiTestServer::base_url() const { return server_->url("http", "/v1"); }

void OpenAiTestServer::set_script(Script script) {
    std::lock_guard lock(state_->mutex);
    state_->script = std::move(script);
}

void OpenAiTestServer::queue_scripts(std::vector<Script> scripts) {
    std::lock_guard lock(state_->mutex);
    for (auto& script : scripts) state_->queued.push_back(std::move(script));
}

void OpenAiTestServer::set_models(std::vector<std::string> models, int status) {
    std::lock_guard lock(state_->mutex);
    state_->models = std::move(models);
    state_->models_status = status;
}

std::vector<OpenAiTestServer::Received> OpenAiTestServer::received() const {
    std::lock_guard lock(state_->mutex);
    return state_->received;
}

std::size_t OpenAiTestServer::model_requests() const {
    std::lock_guard lock(state_->mutex);
    return state_->model_requests;
}

std::optional<OpenAiTestServer::Clock::time_point> OpenAiTestServer::last_chunk_sent() const {
    std::lock_guard lock(state_->mutex);
    return state_->last_chunk_sent;
}

bool OpenAiTestServer::client_disconnected() const {
    std::lock_guard lock(state_->mutex);
    return state_->client_disconnected;
}

std::string OpenAiTestServer::chunk(const nlohmann::json& delta, const nlohmann::json& finish_reason) {
    return nlohmann::json{
        {"id", "chatcmpl-test"},
        {"object", "chat.completion.chunk"},
        {"created", 1700000000},
        {"model", "gpt-4o-mini"},
        {"choices", {{{"index", 0}, {"delta", delta}, {"logprobs", nullptr}, {"finish_reason", finish_reason}}}}}
        .dump();
}

bool OpenAiTestServer::is_post_call_analysis(const Received& request) {
    if (request.path != "/v1/chat/completions" || !request.body.is_object()) return false;
    auto messages = request.body.find("messages");
    if (messages == request.body.end() || !messages->is_array() || messages->empty()) return false;
    const auto& first = messages->front();
    return first.is_object() && first.value("role", "") == "system" &&
           first.value("content", "").rfind("You analyse a finished phone call", 0) == 0;
}

std::vector<std::string> OpenAiTestServer::content_chunks(const std::vector<std::string>& pieces,
                                                          const std::string& finish_reason) {
    std::vector<std::string> chunks;
    chunks.push_back(chunk({{"role", "assistant"}, {"content", ""}}));
    for (const auto& piece : pieces) chunks.push_back(chunk({{"content", piece}}));
    chunks.push_back(chunk(nlohmann::json::object(), finish_reason));
    return chunks;
}

std::vector<std::string> OpenAiTestServer::tool_call_chunks(int index, const std::string& id, const std::string& name,
                                                            const std::vector<std::string>& argument_pieces) {
    std::vector<std::string> chunks;
    chunks.push_back(chunk(
        {{"tool_calls",
          {{{"index", index}, {"id", id}, {"type", "function"}, {"function", {{"name", name}, {"arguments", ""}}}}}}}));
    for (const auto& piece : argument_pieces)
        chunks.push_back(chunk({{"tool_calls", {{{"index", index}, {"function", {{"arguments", piece}}}}}}}));
    return chunks;
}

}  // namespace vox::test
