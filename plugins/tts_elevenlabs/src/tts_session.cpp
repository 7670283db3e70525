#include "tts_session.hpp"

#include "messages.hpp"

#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/http_client.hpp>
#include <vox/plugin_common/response_body.hpp>
#include <vox/plugin_common/sentence_splitter.hpp>
#include <vox/plugin_common/websocket.hpp>
#include <vox/sdk/error.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace vox::elevenlabs {
namespace {

using Connection = plugin_common::WebSocketConnection;
using plugin_common::ConnectError;
using plugin_common::has_speech;
using plugin_common::HttpRequest;
using plugin_common::redact;
using plugin_common::RequestControl;
using plugin_common::SentenceSplitter;

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// How long the worker waits for a frame before it sends newly pushed text:
// the most a chunk waits to go out.
constexpr auto kReceivePoll = 20ms;
constexpr std::size_t kRememberedDeadContexts = 1024;

struct Context {
    std::deque<std::string> pending;  // pushed, not yet sent
    bool flushed = false;
    std::shared_ptr<Connection> connection;   // while the WebSocket is open
    std::shared_ptr<RequestControl> request;  // while an HTTP request runs
};

struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace

struct ElevenLabsTtsSession::State {
    sdk::Host host;
    Config config;
    sdk::TtsSink sink;

    std::recursive_mutex delivery;  // held while calling the sink; taken before `mutex`
    std::mutex mutex;               // everything below
    std::condition_variable wake;
    std::map<std::uint64_t, std::shared_ptr<Context>> contexts;
    std::set<std::uint64_t> dead;  // cancelled or ended contexts
    std::deque<std::uint64_t> dead_order;
    bool closed = false;
    std::list<Worker> workers;

    State(sdk::Host h, Config c, sdk::TtsSink s) : host(h), config(std::move(c)), sink(std::move(s)) {}

    // A new context and its worker. Caller holds `mutex`.
    void start_locked(std::uint64_t id, std::string_view text, bool flushed) {
        auto context = std::make_shared<Context>();
        context->pending.emplace_back(text);
        context->flushed = flushed;
        // Finished workers of earlier contexts are joined here, so threads do not pile up.
        workers.remove_if([](Worker& worker) {
            if (!worker.finished->load()) return false;
            worker.thread.join();
            return true;
        });
        Worker worker;
        try {
            worker.thread = std::thread([this, id, context, finished = worker.finished] {
                run(id, context);
                finished->store(true);
            });
        } catch (const std::system_error& e) {
            throw sdk::Error(VOX_ERR_UNAVAILABLE, std::string("tts.elevenlabs: cannot start a thread: ") + e.what());
        }
        contexts[id] = std::move(context);
        workers.push_back(std::move(worker));
    }

    void bury_locked(std::uint64_t id) {
        contexts.erase(id);
        if (!dead.insert(id).second) return;
        dead_order.push_back(id);
        if (dead_order.size() > kRememberedDeadContexts) {
            dead.erase(dead_order.front());
            dead_order.pop_front();
        }
    }

    bool alive(std::uint64_t id) {
        std::lock_guard lock(mutex);
        return !closed && dead.count(id) == 0;
    }

    // Runs `deliver` unless the context was cancelled or the session closed.
    template <class Deliver>
    bool deliver_if_alive(std::uint64_t id, Deliver&& deliver) {
        std::lock_guard guard(delivery);
        if (!alive(id)) return false;
        deliver();
        return true;
    }

    void end(std::uint64_t id, std::optional<std::pair<vox_status, std::string>> error) {
        std::lock_guard guard(delivery);
        bool report = false;
        {
            std::lock_guard lock(mutex);
            report = !closed && dead.count(id) == 0;
            bury_locked(id);
        }
        if (!report) return;
        if (error)
            sink.error(id, error->first, redact(error->second, config.api_key));
        else
            sink.done(id);
    }

    // Waits until there is text, a flush, or the context is gone; moves the text out.
    bool take(std::uint64_t id, Context& context, std::vector<std::string>& texts, bool& flushed,
              std::chrono::milliseconds wait) {
        std::unique_lock lock(mutex);
        auto ready = [&] { return closed || dead.count(id) != 0 || !context.pending.empty() || context.flushed; };
        if (wait.count() > 0) wake.wait_for(lock, wait, ready);
        if (closed || dead.count(id) != 0) return false;
        for (auto& text : context.pending) texts.push_back(std::move(text));
        context.pending.clear();
        flushed = context.flushed;
        return true;
    }

    void run(std::uint64_t id, const std::shared_ptr<Context>& context) {
        try {
            {
                // A context flushed with no text at all needs no connection.
                std::unique_lock lock(mutex);
                bool silent = context->flushed;
                for (const auto& text : context->pending) silent = silent && text.empty();
                lock.unlock();
                if (silent) return end(id, std::nullopt);
            }
            auto connection = connect(id, context);
            if (connection) {
                stream(id, *context, *connection);
                std::lock_guard lock(mutex);
                context->connection.reset();
            } else if (alive(id)) {
                fall_back(id, *context);
            }
        } catch (const sdk::Error& e) {
            if (e.code() != VOX_ERR_CANCELLED) end(id, std::make_pair(e.code(), std::string(e.what())));
        } catch (const std::exception& e) {
            end(id, std::make_pair(VOX_ERR_INTERNAL, std::string("tts.elevenlabs: ") + e.what()));
        }
    }

    // The WebSocket, or null when it could not be opened and HTTP should be
    // tried. Throws for a refusal (401, 429) that HTTP would get too.
    std::shared_ptr<Connection> connect(std::uint64_t id, const std::shared_ptr<Context>& context) {
        std::string url = websocket_base(config) + "/v1/text-to-speech/" + config.voice +
                          "/stream-input?model_id=" + config.model + "&output_format=" + kOutputFormat;
        for (int attempt = 0;; ++attempt) {
            if (!alive(id)) throw sdk::Error(VOX_ERR_CANCELLED, "cancelled");
            try {
                auto connection = std::make_shared<Connection>(websocket_settings(config, url));
                std::lock_guard lock(mutex);
                if (closed || dead.count(id) != 0) throw sdk::Error(VOX_ERR_CANCELLED, "cancelled");
                context->connection = connection;
                return connection;
            } catch (const ConnectError& e) {
                if (!e.transient())
                    throw sdk::Error(e.code(), redact(std::string("tts.elevenlabs: ") + e.what(), config.api_key));
                if (attempt >= config.retries) {
                    host.warn(redact(std::string("tts.elevenlabs: ") + e.what() + "; using the HTTP stream endpoint",
                                     config.api_key));
                    return nullptr;
                }
                auto delay = config.retry_delay * (1LL << attempt);
                host.warn(redact(std::string("tts.elevenlabs: ") + e.what() + "; retrying in " +
                                     std::to_string(delay.count()) + " ms",
                                 config.api_key));
                std::unique_lock lock(mutex);
                wake.wait_for(lock, delay, [&] { return closed || dead.count(id) != 0; });
            }
        }
    }

    void stream(std::uint64_t id, Context& context, Connection& connection) {
        const std::uint32_t samples_per_ms = kSampleRate / 1000;
        std::uint64_t delivered = 0;  // samples of this context
        WordTracker words;
        bool ended_input = false;
        bool sent_text = false;
        auto last_answer = Clock::now();
        try {
            connection.send_text(opening_message(config));
        } catch (const std::exception&) {
            dropped(id, connection);
        }
        for (;;) {
            std::vector<std::string> texts;
            bool flushed = false;
            if (!take(id, context, texts, flushed, 0ms)) return;
            try {
                for (const auto& text : texts) {
                    if (text.empty()) continue;  // {"text": ""} would end the input
                    // A complete sentence is spoken now, not when the server's buffer fills.
                    connection.send_text(text_message(text, ends_sentence(text)));
                    sent_text = true;
                }
                if (flushed && !ended_input) {
                    // Nothing was said: no audio will come, and none is owed.
                    if (!sent_text) {
                        connection.send_close();
                        return end(id, std::nullopt);
                    }
                    connection.send_text(end_of_input_message());
                    ended_input = true;
                    last_answer = Clock::now();
                }
            } catch (const std::exception&) {
                dropped(id, connection);
            }
            auto frame = connection.receive(kReceivePoll);
            if (frame.kind == Connection::Kind::timeout) {
                if (ended_input && Clock::now() - last_answer > config.read_timeout)
                    throw sdk::Error(VOX_ERR_TIMEOUT, "tts.elevenlabs: no audio for " +
                                                          std::to_string(config.read_timeout.count()) +
                                                          " ms (read_timeout_ms)");
                continue;
            }
            if (frame.kind == Connection::Kind::ended) {
                if (!alive(id)) return;
                throw sdk::Error(VOX_ERR_UNAVAILABLE,
                                 "tts.elevenlabs: the WebSocket dropped in the middle of the answer");
            }
            if (frame.kind == Connection::Kind::close) throw closed_early(frame.payload);
            last_answer = Clock::now();
            auto message = parse_server_message(frame.payload);
            if (message.error) throw sdk::Error(message.error->first, message.error->second);
            auto offset_ms = static_cast<std::uint32_t>(delivered / samples_per_ms);
            auto found = words.add(message, offset_ms);
            bool alive_still = deliver_if_alive(id, [&] {
                for (const auto& word : found) sink.word(id, word.text, word.start_ms, word.end_ms);
                if (!message.audio.empty()) sink.audio(id, message.audio.data(), message.audio.size(), kSampleRate);
            });
            if (!alive_still) return;
            delivered += message.audio.size();
            if (message.is_final) {
                if (auto last = words.finish())
                    deliver_if_alive(id, [&] { sink.word(id, last->text, last->start_ms, last->end_ms); });
                connection.send_close();
                return end(id, std::nullopt);
            }
        }
    }

    // A close frame: 2 bytes of code, then the reason ElevenLabs gives (e.g. quota_exceeded).
    static sdk::Error closed_early(const std::string& payload) {
        std::string reason = payload.size() > 2 ? payload.substr(2) : "";
        return sdk::Error(reason.empty() ? VOX_ERR_UNAVAILABLE : status_for_error(reason),
                          "tts.elevenlabs: the server closed the WebSocket before the end" +
                              (reason.empty() ? std::string() : ": " + reason));
    }

    // A send failed: the server may have said why (an error message, a close
    // frame with a reason) just before it closed; report that if it is there.
    [[noreturn]] void dropped(std::uint64_t id, Connection& connection) {
        if (!alive(id)) throw sdk::Error(VOX_ERR_CANCELLED, "cancelled");
        for (int i = 0; i < 5; ++i) {
            auto frame = connection.receive(kReceivePoll);
            if (frame.kind == Connection::Kind::close) throw closed_early(frame.payload);
            if (frame.kind == Connection::Kind::ended) break;
            if (frame.kind != Connection::Kind::text) continue;
            std::optional<ServerMessage> message;
            try {
                message = parse_server_message(frame.payload);
            } catch (const sdk::Error&) {
                continue;  // garbage says nothing about why the socket went
            }
            if (message->error) throw sdk::Error(message->error->first, message->error->second);
        }
        throw sdk::Error(VOX_ERR_UNAVAILABLE, "tts.elevenlabs: the WebSocket dropped in the middle of the answer");
    }

    void fall_back(std::uint64_t id, Context& context) {
        SentenceSplitter splitter;
        for (;;) {
            std::vector<std::string> texts;
            bool flushed = false;
            if (!take(id, context, texts, flushed, 1000ms)) return;
            std::vector<std::string> sentences;
            for (const auto& text : texts)
                for (auto& sentence : splitter.push(text)) sentences.push_back(std::move(sentence));
            if (flushed) sentences.push_back(splitter.finish());
            for (const auto& sentence : sentences)
                if (has_speech(sentence)) speak_http(id, context, sentence);
            if (flushed) return end(id, std::nullopt);
        }
    }

    void speak_http(std::uint64_t id, Context& context, const std::string& sentence) {
        auto control = std::make_shared<RequestControl>();
        {
            std::lock_guard lock(mutex);
            if (closed || dead.count(id) != 0) throw sdk::Error(VOX_ERR_CANCELLED, "cancelled");
            context.request = control;
        }
        HttpRequest request;
        request.path = "/v1/text-to-speech/" + config.voice + "/stream?output_format=" + kOutputFormat;
        request.content_type = "application/json";
        request.accept = "audio/pcm";
        request.body = http_stream_body(config, sentence);
        plugin_common::post(
            http_settings(config), request, *control, [&](std::istream& body) { stream_http_audio(id, body); },
            [this](const std::string& message) { host.warn(message); });
        std::lock_guard lock(mutex);
        context.request.reset();
    }

    void stream_http_audio(std::uint64_t id, std::istream& body) {
        plugin_common::stream_pcm16(body, [&](const std::int16_t* samples, std::size_t frames) {
            if (!deliver_if_alive(id, [&] { sink.audio(id, samples, frames, kSampleRate); }))
                throw sdk::Error(VOX_ERR_CANCELLED, "cancelled");
            return true;
        });
    }
};

ElevenLabsTtsSession::ElevenLabsTtsSession(sdk::Host host, Config config, sdk::TtsSink sink)
    : state_(std::make_shared<State>(host, std::move(config), std::move(sink))) {}

ElevenLabsTtsSession::~ElevenLabsTtsSession() {
    std::list<Worker> workers;
    {
        std::lock_guard lock(state_->mutex);
        state_->closed = true;
        for (auto& [id, context] : state_->contexts) {
            if (context->connection) context->connection->interrupt();
            if (context->request) context->request->cancel();
        }
        workers.swap(state_->workers);
    }
    state_->wake.notify_all();
    for (auto& worker : workers)
        if (worker.thread.joinable()) worker.thread.join();
}

void ElevenLabsTtsSession::push_text(std::uint64_t id, std::string_view text) {
    std::lock_guard lock(state_->mutex);
    if (state_->dead.count(id) != 0) return;  // text racing a barge-in: dropped
    auto found = state_->contexts.find(id);
    if (found == state_->contexts.end()) return state_->start_locked(id, text, false);
    if (found->second->flushed)
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT,
                         "context " + std::to_string(id) + " was already flushed; use a new context id for new text");
    found->second->pending.emplace_back(text);
    state_->wake.notify_all();
}

void ElevenLabsTtsSession::flush(std::uint64_t id) {
    std::lock_guard lock(state_->mutex);
    if (state_->dead.count(id) != 0) return;
    auto found = state_->contexts.find(id);
    // No text at all: the worker ends the context at once, without connecting.
    if (found == state_->contexts.end()) return state_->start_locked(id, "", true);
    if (found->second->flushed)
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "context " + std::to_string(id) + " was already flushed");
    found->second->flushed = true;
    state_->wake.notify_all();
}

void ElevenLabsTtsSession::cancel(std::uint64_t id) noexcept {
    {
        std::lock_guard lock(state_->mutex);
        if (auto found = state_->contexts.find(id); found != state_->contexts.end()) {
            if (found->second->connection) found->second->connection->interrupt();
            if (found->second->request) found->second->request->cancel();
        }
        state_->bury_locked(id);
    }
    state_->wake.notify_all();
    // A delivery of this context may be under way right now: wait it out.
    std::lock_guard guard(state_->delivery);
}

}  // namespace vox::elevenlabs
