#include "tts_session.hpp"

#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/http_client.hpp>
#include <vox/plugin_common/response_body.hpp>
#include <vox/plugin_common/sentence_splitter.hpp>
#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace vox::openai_audio {
namespace {

using plugin_common::has_speech;
using plugin_common::redact;
using plugin_common::RequestControl;
using plugin_common::SentenceSplitter;

// Cancelled or failed context ids remembered so their late text is dropped.
constexpr std::size_t kRememberedDeadContexts = 1024;

struct Job {
    std::uint64_t context = 0;
    std::string text;   // one sentence
    bool done = false;  // the end-of-context marker queued by flush()
};

struct ContextState {
    SentenceSplitter splitter;
    bool flushed = false;
};

class BoundedIdSet {
public:
    bool contains(std::uint64_t id) const { return ids_.count(id) != 0; }
    void insert(std::uint64_t id) {
        if (!ids_.insert(id).second) return;
        order_.push_back(id);
        if (order_.size() > kRememberedDeadContexts) {
            ids_.erase(order_.front());
            order_.pop_front();
        }
    }

private:
    std::set<std::uint64_t> ids_;
    std::deque<std::uint64_t> order_;
};

}  // namespace

struct OpenAiTtsSession::State {
    sdk::Host host;
    Config config;
    sdk::TtsSink sink;

    std::mutex mutex;  // everything below
    std::condition_variable work;
    std::deque<Job> queue;
    std::map<std::uint64_t, ContextState> contexts;
    BoundedIdSet dead;  // cancelled or failed contexts
    bool closed = false;
    std::uint64_t speaking = 0;                 // context of the request in flight
    std::shared_ptr<RequestControl> in_flight;  // that request, if any

    std::recursive_mutex delivery;  // held while calling the sink
    std::thread worker;

    State(sdk::Host h, Config c, sdk::TtsSink s) : host(h), config(std::move(c)), sink(std::move(s)) {}

    bool may_deliver(std::uint64_t context) {
        std::lock_guard lock(mutex);
        return !closed && !dead.contains(context);
    }

    // Forgets a context and its queued sentences; returns the request to
    // abort, if it is speaking now. Caller holds `mutex`.
    std::shared_ptr<RequestControl> drop_locked(std::uint64_t context) {
        dead.insert(context);
        contexts.erase(context);
        std::erase_if(queue, [&](const Job& job) { return job.context == context; });
        return in_flight && speaking == context ? in_flight : nullptr;
    }

    void queue_locked(std::vector<Job> jobs) {
        for (auto& job : jobs) queue.push_back(std::move(job));
        if (!jobs.empty()) work.notify_one();
    }

    void run() {
        for (;;) {
            Job job;
            auto control = std::make_shared<RequestControl>();
            {
                std::unique_lock lock(mutex);
                work.wait(lock, [&] { return closed || !queue.empty(); });
                if (closed) return;
                job = std::move(queue.front());
                queue.pop_front();
                if (!job.done) {
                    speaking = job.context;
                    in_flight = control;
                }
            }
            if (job.done) {
                finish(job.context);
                continue;
            }
            speak(job, *control);
            std::lock_guard lock(mutex);
            in_flight.reset();
        }
    }

    void speak(const Job& job, RequestControl& control) {
        nlohmann::json request{
            {"model", config.model}, {"input", job.text}, {"voice", config.voice}, {"response_format", "pcm"}};
        if (config.speed) request["speed"] = *config.speed;
        try {
            plugin_common::post(
                http_settings(config),
                {"/audio/speech", "application/json", "application/octet-stream",
                 request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)},
                control, [&](std::istream& body) { stream_audio(job.context, body); },
                [this](const std::string& message) { host.warn(message); });
        } catch (const sdk::Error& e) {
            if (e.code() != VOX_ERR_CANCELLED) fail(job.context, e.code(), e.what());
        } catch (const std::exception& e) {
            fail(job.context, VOX_ERR_INTERNAL, std::string("tts.openai: ") + e.what());
        }
    }

    void stream_audio(std::uint64_t context, std::istream& body) {
        plugin_common::stream_pcm16(body, [&](const std::int16_t* samples, std::size_t frames) {
            std::lock_guard deliver(delivery);
            if (!may_deliver(context)) return false;  // cancelled or closed: the request is being aborted
            sink.audio(context, samples, frames, kSpeechSampleRate, 1);
            return true;
        });
    }

    void fail(std::uint64_t context, vox_status code, const std::string& message) {
        std::lock_guard deliver(delivery);
        bool report = false;
        {
            std::lock_guard lock(mutex);
            report = !closed && !dead.contains(context);
            drop_locked(context);
        }
        if (report) sink.error(context, code, redact(message, config.api_key));
    }

    void finish(std::uint64_t context) {
        std::lock_guard deliver(delivery);
        bool report = false;
        {
            std::lock_guard lock(mutex);
            report = !closed && !dead.contains(context);
            contexts.erase(context);
        }
        if (report) sink.done(context);
    }
};

OpenAiTtsSession::OpenAiTtsSession(sdk::Host host, Config config, sdk::TtsSink sink)
    : state_(std::make_unique<State>(host, std::move(config), std::move(sink))) {
    try {
        state_->worker = std::thread([state = state_.get()] { state->run(); });
    } catch (const std::system_error& e) {
        throw sdk::Error(VOX_ERR_UNAVAILABLE, std::string("tts.openai: cannot start a thread: ") + e.what());
    }
}

OpenAiTtsSession::~OpenAiTtsSession() {
    std::shared_ptr<RequestControl> in_flight;
    {
        std::lock_guard lock(state_->mutex);
        state_->closed = true;
        state_->queue.clear();
        state_->contexts.clear();
        in_flight = state_->in_flight;
    }
    if (in_flight) in_flight->cancel();
    state_->work.notify_all();
    if (state_->worker.joinable()) state_->worker.join();
}

void OpenAiTtsSession::push_text(std::uint64_t context, std::string_view text) {
    std::lock_guard lock(state_->mutex);
    if (state_->dead.contains(context)) return;  // text racing a barge-in: dropped
    ContextState& context_state = state_->contexts[context];
    if (context_state.flushed)
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "context " + std::to_string(context) +
                                                       " was already flushed; use a new context id for new text");
    std::vector<Job> jobs;
    for (auto& sentence : context_state.splitter.push(text))
        if (has_speech(sentence)) jobs.push_back({context, std::move(sentence), false});
    state_->queue_locked(std::move(jobs));
}

void OpenAiTtsSession::flush(std::uint64_t context) {
    std::lock_guard lock(state_->mutex);
    if (state_->dead.contains(context)) return;
    ContextState& context_state = state_->contexts[context];
    if (context_state.flushed)
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "context " + std::to_string(context) + " was already flushed");
    context_state.flushed = true;
    std::vector<Job> jobs;
    if (std::string rest = context_state.splitter.finish(); has_speech(rest)) jobs.push_back({context, rest, false});
    jobs.push_back({context, {}, true});
    state_->queue_locked(std::move(jobs));
}

void OpenAiTtsSession::cancel(std::uint64_t context) noexcept {
    std::shared_ptr<RequestControl> speaking;
    {
        std::lock_guard lock(state_->mutex);
        speaking = state_->drop_locked(context);
    }
    if (speaking) speaking->cancel();
    // A chunk of this context may be in the sink right now: wait for it.
    std::lock_guard deliver(state_->delivery);
}

}  // namespace vox::openai_audio
