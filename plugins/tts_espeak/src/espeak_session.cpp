#include "espeak_session.hpp"

#include "engine.hpp"
#include "sentence_splitter.hpp"  // tts_flite's, compiled into this plugin too (see CMakeLists.txt)
#include "text_input.hpp"

#include <vox/sdk/error.hpp>

#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace vox::espeak {
namespace {

// Cancelled, failed or finished context ids remembered so their late text is
// dropped (cancelled, failed) or refused (finished).
constexpr std::size_t kRememberedDeadContexts = 1024;

struct Job {
    std::uint64_t context = 0;
    std::string text;   // one sentence, cleaned
    bool done = false;  // the end-of-context marker queued by flush()
};

struct ContextState {
    flite::SentenceSplitter splitter;
    bool flushed = false;
    std::uint64_t frames_delivered = 0;  // word times are offset by the audio already sent
    std::uint32_t sample_rate = kNativeSampleRate;
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

struct EspeakSession::Shared : std::enable_shared_from_this<EspeakSession::Shared> {
    Shared(sdk::Host h, const VoiceInfo& v, Prosody p, sdk::TtsSink k) : host(h), voice(v), prosody(p), sink(k) {}

    sdk::Host host;
    const VoiceInfo& voice;
    Prosody prosody;
    sdk::TtsSink sink;

    std::mutex mutex;  // everything below
    std::deque<Job> queue;
    std::map<std::uint64_t, ContextState> contexts;
    BoundedIdSet dead;              // cancelled or failed contexts
    BoundedIdSet finished;          // flushed contexts whose on_done went out
    bool worker_scheduled = false;  // one job of this session at a time, in order
    bool closed = false;

    std::recursive_mutex delivery;  // held while calling the sink (see the header)

    bool may_deliver(std::uint64_t context) {
        std::lock_guard lock(mutex);
        return !closed && !dead.contains(context);
    }

    // Forgets a context and its queued sentences. Caller holds `mutex`.
    void drop_locked(std::uint64_t context) {
        dead.insert(context);
        contexts.erase(context);
        std::erase_if(queue, [&](const Job& job) { return job.context == context; });
    }

    // Queues jobs; true when the caller must post a worker (outside the lock).
    bool enqueue_locked(std::vector<Job> jobs) {
        for (auto& job : jobs) queue.push_back(std::move(job));
        if (worker_scheduled || queue.empty()) return false;
        worker_scheduled = true;
        return true;
    }

    void post_worker() {
        try {
            host.post_work([self = shared_from_this()] { self->run_one(); });
        } catch (const sdk::Error& e) {
            fail_all(e.code(), e.what());
            throw;
        }
    }

    // The host refused work (shutting down): every queued context fails.
    void fail_all(vox_status code, const std::string& message) {
        std::set<std::uint64_t> failed;
        {
            std::lock_guard lock(mutex);
            worker_scheduled = false;
            for (const auto& job : queue) failed.insert(job.context);
        }
        for (auto context : failed) fail(context, code, message);
    }

    void fail(std::uint64_t context, vox_status code, const std::string& message) {
        std::lock_guard deliver(delivery);
        bool report = false;
        {
            std::lock_guard lock(mutex);
            report = !closed && !dead.contains(context);
            drop_locked(context);
        }
        if (report) sink.error(context, code, message);
    }

    void speak(const Job& job) {
        std::uint64_t offset_frames = 0;
        std::uint32_t offset_rate = kNativeSampleRate;
        {
            std::lock_guard lock(mutex);
            if (auto found = contexts.find(job.context); found != contexts.end()) {
                offset_frames = found->second.frames_delivered;
                offset_rate = found->second.sample_rate;
            }
        }
        // Returns before espeak starts when the context died while queued.
        if (!may_deliver(job.context)) return;
        SynthesisResult result =
            synthesize(voice, prosody, job.text, [&](std::span<const std::int16_t> chunk, std::uint32_t rate) {
                std::lock_guard deliver(delivery);
                if (!may_deliver(job.context)) return false;  // cancelled or closed: espeak stops
                sink.audio(job.context, chunk.data(), chunk.size(), rate, 1);
                return true;
            });
        if (result.stopped) return;
        host.counter_add("tts.espeak", "synthesized_characters", static_cast<double>(job.text.size()));
        auto offset_ms = static_cast<std::uint32_t>(offset_frames * 1000 / offset_rate);
        {
            std::lock_guard deliver(delivery);
            if (may_deliver(job.context))
                for (const auto& word : result.words)
                    sink.word(job.context, word.word, offset_ms + word.start_ms, offset_ms + word.end_ms);
        }
        std::lock_guard lock(mutex);
        if (auto found = contexts.find(job.context); found != contexts.end()) {
            found->second.frames_delivered += result.frames;
            found->second.sample_rate = result.sample_rate;
        }
    }

    void finish(std::uint64_t context) {
        std::lock_guard deliver(delivery);
        bool report = false;
        {
            std::lock_guard lock(mutex);
            report = !closed && !dead.contains(context);
            contexts.erase(context);
            finished.insert(context);  // so that late text is refused, not spoken as a new context
        }
        if (report) sink.done(context);
    }

    // One job per pool task, then re-post: sessions sharing the pool take
    // turns sentence by sentence instead of one monopolising a thread.
    void run_one() {
        Job job;
        {
            std::lock_guard lock(mutex);
            if (closed || queue.empty()) {
                worker_scheduled = false;
                return;
            }
            job = std::move(queue.front());
            queue.pop_front();
        }
        if (job.done) {
            finish(job.context);
        } else {
            try {
                speak(job);
            } catch (const sdk::Error& e) {
                fail(job.context, e.code(), e.what());
            } catch (const std::exception& e) {
                fail(job.context, VOX_ERR_INTERNAL, std::string("espeak synthesis failed: ") + e.what());
            }
        }
        bool again = false;
        {
            std::lock_guard lock(mutex);
            again = !closed && !queue.empty();
            if (!again) worker_scheduled = false;
        }
        if (again) {
            try {
                post_worker();
            } catch (...) {
                // fail_all already told every waiting context.
            }
        }
    }
};

EspeakSession::EspeakSession(sdk::Host host, const VoiceInfo& voice, const Settings& settings, sdk::TtsSink sink)
    : shared_(std::make_shared<Shared>(host, voice, Prosody{settings.words_per_minute(), settings.pitch}, sink)) {}

EspeakSession::~EspeakSession() {
    {
        std::lock_guard lock(shared_->mutex);
        shared_->closed = true;
        shared_->queue.clear();
        shared_->contexts.clear();
    }
    // Wait out a delivery in flight; every later one sees `closed`. Work
    // still queued on the pool holds `shared_` and ends at once.
    std::lock_guard deliver(shared_->delivery);
}

void EspeakSession::push_text(std::uint64_t context, std::string_view text) {
    bool post = false;
    {
        std::lock_guard lock(shared_->mutex);
        if (shared_->dead.contains(context)) return;  // text racing a barge-in: dropped
        if (shared_->finished.contains(context) || shared_->contexts[context].flushed)
            throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "context " + std::to_string(context) +
                                                           " was already flushed; use a new context id for new text");
        ContextState& state = shared_->contexts[context];
        std::vector<Job> jobs;
        // Splitting works on the raw UTF-8 (its marks are ASCII), cleaning
        // per sentence so no multi-byte character is cut between pushes.
        for (auto& sentence : state.splitter.push(text)) {
            std::string cleaned = clean_text(sentence);
            if (has_speech(cleaned)) jobs.push_back({context, std::move(cleaned), false});
        }
        post = shared_->enqueue_locked(std::move(jobs));
    }
    if (post) shared_->post_worker();
}

void EspeakSession::flush(std::uint64_t context) {
    bool post = false;
    {
        std::lock_guard lock(shared_->mutex);
        if (shared_->dead.contains(context)) return;
        if (shared_->finished.contains(context) || shared_->contexts[context].flushed)
            throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "context " + std::to_string(context) + " was already flushed");
        ContextState& state = shared_->contexts[context];
        state.flushed = true;
        std::vector<Job> jobs;
        std::string cleaned = clean_text(state.splitter.finish());
        if (has_speech(cleaned)) jobs.push_back({context, std::move(cleaned), false});
        jobs.push_back({context, {}, true});
        post = shared_->enqueue_locked(std::move(jobs));
    }
    if (post) shared_->post_worker();
}

void EspeakSession::cancel(std::uint64_t context) noexcept {
    {
        std::lock_guard lock(shared_->mutex);
        shared_->drop_locked(context);
    }
    // A chunk of this context may be in the sink right now: wait for it.
    // Every later delivery checks the dead set under this lock, and the
    // synthesis in progress stops at its next chunk.
    std::lock_guard deliver(shared_->delivery);
}

}  // namespace vox::espeak
