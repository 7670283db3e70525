#include "stt_session.hpp"

#include "upsampler.hpp"

#include <vox/sdk/error.hpp>

#include <pocketsphinx.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vox::pocketsphinx {
namespace {

// The model's rate: 8 kHz sessions are upsampled to it.
constexpr std::uint32_t kModelRate = 16000;
// One pool task decodes at most this much queued audio before yielding the
// thread (and checking the hypothesis for a partial transcript).
constexpr std::uint32_t kBatchMs = 500;
// Word insertion probability of grammar searches. The default (0.65) suits
// the language model; in a digits grammar it lets pauses turn into extra
// "oh"s and repeated digits. Measured with bench/flows/grammar_accuracy:
// digits answers 57.5 % right at 0.65, 75 % at 0.01 (0.001: 77.5 %), other
// grammar types unchanged at 100 %.
constexpr double kGrammarWordInsertion = 0.01;

// The JSGF of a grammar; null means free speech (the language model).
using GrammarPtr = std::shared_ptr<const std::string>;

struct Job {
    bool flush = false;                 // else audio
    std::vector<std::int16_t> samples;  // mono, at the session's rate
    std::uint64_t start_frame = 0;      // position of the first sample since the session opened
    std::uint64_t generation = 0;       // cancel() generation the job belongs to
    GrammarPtr grammar;                 // in force when the audio was pushed
};

bool is_filler(const char* word) {
    return word == nullptr || *word == '\0' || *word == '<' || *word == '[' || *word == '+';
}

}  // namespace

struct PocketsphinxSession::Shared : std::enable_shared_from_this<PocketsphinxSession::Shared> {
    Shared(sdk::Host h, std::shared_ptr<DecoderPool> p, std::uint32_t r, sdk::SttSink s)
        : host(h), pool(std::move(p)), rate(r), sink(std::move(s)) {
        decoder = pool->acquire();
        lm_search = ps_get_search(decoder);  // a pooled decoder is always back on it
        frame_rate = cmd_ln_int32_r(ps_get_config(decoder), "-frate");
        if (frame_rate <= 0) frame_rate = 100;
    }
    ~Shared() {
        if (in_utterance) ps_end_utt(decoder);
        pool->release(decoder);
    }
    Shared(const Shared&) = delete;
    Shared& operator=(const Shared&) = delete;

    sdk::Host host;
    std::shared_ptr<DecoderPool> pool;
    std::uint32_t rate;
    sdk::SttSink sink;
    ps_decoder_t* decoder = nullptr;
    std::string lm_search;
    int frame_rate = 100;

    std::mutex mutex;  // guards the block below
    std::deque<Job> queue;
    std::uint64_t pushed_frames = 0;
    std::uint64_t generation = 0;
    bool worker_scheduled = false;
    bool input_ended = false;
    bool closed = false;
    GrammarPtr grammar;  // stamped on audio pushed from now on

    std::recursive_mutex delivery;  // held while calling the sink

    // Worker-only state (one task at a time).
    Upsampler2x upsampler;
    bool in_utterance = false;
    std::uint64_t utterance_generation = 0;
    std::uint64_t utterance_start_frame = 0;
    std::uint64_t utterance_frames = 0;  // at the session's rate
    std::string last_partial;
    GrammarPtr active_grammar;  // the decoder's current search

    std::uint32_t ms_of(std::uint64_t frames) const { return static_cast<std::uint32_t>(frames * 1000 / rate); }

    bool may_deliver(std::uint64_t job_generation) {
        std::lock_guard lock(mutex);
        return !closed && generation == job_generation;
    }

    void deliver(std::uint64_t job_generation, const sdk::Transcript& transcript) {
        std::lock_guard deliver(delivery);
        if (may_deliver(job_generation)) sink.transcript(transcript);
    }

    void fail(std::uint64_t job_generation, vox_status code, const std::string& message) {
        std::lock_guard deliver(delivery);
        if (may_deliver(job_generation)) sink.error(code, message);
    }

    void abort_utterance() {
        if (in_utterance) ps_end_utt(decoder);
        in_utterance = false;
        last_partial.clear();
        upsampler.reset();
    }

    void decode(const Job& job) {
        if (in_utterance && utterance_generation != job.generation) abort_utterance();  // cancelled meanwhile
        if (!in_utterance) {
            use_grammar(job.grammar, job.generation);
            if (ps_start_utt(decoder) < 0)
                throw sdk::Error(VOX_ERR_INTERNAL, "pocketsphinx could not start an utterance");
            in_utterance = true;
            utterance_generation = job.generation;
            utterance_start_frame = job.start_frame;
            utterance_frames = 0;
            last_partial.clear();
            upsampler.reset();
        }
        std::vector<std::int16_t> upsampled;
        std::span<const std::int16_t> samples = job.samples;
        if (rate != kModelRate) {
            upsampled = upsampler.process(samples);
            samples = upsampled;
        }
        if (ps_process_raw(decoder, samples.data(), samples.size(), FALSE, FALSE) < 0)
            throw sdk::Error(VOX_ERR_INTERNAL, "pocketsphinx failed to decode audio");
        utterance_frames += job.samples.size();
    }

    // Switches the decoder's search (between utterances only: pocketsphinx
    // refuses inside one). The language-model search is made current before
    // the grammar search is replaced, so the current one is never freed.
    void use_grammar(const GrammarPtr& wanted, std::uint64_t job_generation) {
        if (wanted == active_grammar) return;
        active_grammar = wanted;
        if (ps_set_search(decoder, lm_search.c_str()) < 0)
            throw sdk::Error(VOX_ERR_INTERNAL, "pocketsphinx could not switch back to free speech");
        if (!wanted) return;
        // The FSG search reads the word insertion penalty from the decoder's
        // configuration when it is built: a grammar's own one, then the
        // language model's back for the next free-speech search.
        cmd_ln_t* config = ps_get_config(decoder);
        double lm_wip = cmd_ln_float_r(config, "-wip");
        cmd_ln_set_float_r(config, "-wip", kGrammarWordInsertion);
        int compiled = ps_set_jsgf_string(decoder, kGrammarSearch, wanted->c_str());
        cmd_ln_set_float_r(config, "-wip", lm_wip);
        if (compiled < 0 || ps_set_search(decoder, kGrammarSearch) < 0) {
            ps_set_search(decoder, lm_search.c_str());
            // Not fatal: report it once and recognise free speech meanwhile.
            fail(job_generation, VOX_ERR_INTERNAL,
                 "pocketsphinx could not compile the grammar; recognising free speech");
        }
    }

    void maybe_partial(std::uint64_t job_generation) {
        if (!in_utterance) return;
        std::int32_t score = 0;
        const char* hyp = ps_get_hyp(decoder, &score);
        std::string text = hyp != nullptr ? hyp : "";
        if (text.empty() || text == last_partial) return;
        last_partial = text;
        sdk::Transcript partial;
        partial.text = std::move(text);
        partial.is_final = false;
        partial.start_ms = ms_of(utterance_start_frame);
        partial.end_ms = ms_of(utterance_start_frame + utterance_frames);
        deliver(job_generation, partial);
    }

    void finish_utterance(std::uint64_t job_generation) {
        if (!in_utterance) return;  // flush with no audio since the last one
        if (utterance_generation != job_generation) {
            abort_utterance();
            return;
        }
        ps_end_utt(decoder);
        in_utterance = false;
        last_partial.clear();

        sdk::Transcript final_transcript;
        final_transcript.is_final = true;
        std::uint32_t base_ms = ms_of(utterance_start_frame);
        final_transcript.start_ms = base_ms;
        final_transcript.end_ms = ms_of(utterance_start_frame + utterance_frames);
        std::int32_t score = 0;
        const char* hyp = ps_get_hyp(decoder, &score);
        final_transcript.text = hyp != nullptr ? hyp : "";
        if (!final_transcript.text.empty()) {
            // Word boundaries, in decoder frames from the utterance start.
            int first = -1;
            int last = -1;
            for (ps_seg_t* seg = ps_seg_iter(decoder); seg != nullptr; seg = ps_seg_next(seg)) {
                if (is_filler(ps_seg_word(seg))) continue;
                int sf = 0;
                int ef = 0;
                ps_seg_frames(seg, &sf, &ef);
                if (first < 0) first = sf;
                last = ef + 1;
            }
            if (first >= 0) {
                final_transcript.start_ms = base_ms + static_cast<std::uint32_t>(first * 1000 / frame_rate);
                final_transcript.end_ms =
                    std::max(final_transcript.start_ms, base_ms + static_cast<std::uint32_t>(last * 1000 / frame_rate));
            }
            // Posterior probability of the best path (from the word lattice).
            double posterior = logmath_exp(ps_get_logmath(decoder), ps_get_prob(decoder));
            if (posterior >= 0.0 && posterior <= 1.0) final_transcript.confidence = static_cast<float>(posterior);
        }
        deliver(job_generation, final_transcript);
    }

    // Takes a batch: consecutive audio jobs (up to kBatchMs), or one flush.
    std::vector<Job> take_batch_locked() {
        std::vector<Job> batch;
        std::uint64_t frames = 0;
        const std::uint64_t limit = static_cast<std::uint64_t>(rate) * kBatchMs / 1000;
        while (!queue.empty()) {
            Job& next = queue.front();
            if (next.flush) {
                if (batch.empty()) {
                    batch.push_back(std::move(next));
                    queue.pop_front();
                }
                break;
            }
            if (!batch.empty() && frames >= limit) break;
            frames += next.samples.size();
            batch.push_back(std::move(next));
            queue.pop_front();
        }
        return batch;
    }

    void run_one() {
        std::vector<Job> batch;
        {
            std::lock_guard lock(mutex);
            if (closed || queue.empty()) {
                worker_scheduled = false;
                return;
            }
            batch = take_batch_locked();
        }
        std::uint64_t job_generation = batch.front().generation;
        try {
            if (batch.front().flush) {
                finish_utterance(job_generation);
            } else {
                for (const auto& job : batch) decode(job);
                maybe_partial(job_generation);
            }
        } catch (const sdk::Error& e) {
            abort_utterance();
            fail(job_generation, e.code(), e.what());
        } catch (const std::exception& e) {
            abort_utterance();
            fail(job_generation, VOX_ERR_INTERNAL, std::string("pocketsphinx decoding failed: ") + e.what());
        }
        bool again = false;
        {
            std::lock_guard lock(mutex);
            again = !closed && !queue.empty();
            if (!again) worker_scheduled = false;
        }
        if (again) post_worker();
    }

    void post_worker() {
        try {
            host.post_work([self = shared_from_this()] { self->run_one(); });
        } catch (const sdk::Error& e) {
            std::uint64_t current = 0;
            {
                std::lock_guard lock(mutex);
                worker_scheduled = false;
                queue.clear();
                current = generation;
            }
            fail(current, e.code(), e.what());
        }
    }

    void enqueue(Job job) {
        bool post = false;
        {
            std::lock_guard lock(mutex);
            job.generation = generation;
            queue.push_back(std::move(job));
            if (!worker_scheduled) {
                worker_scheduled = true;
                post = true;
            }
        }
        if (post) post_worker();
    }
};

PocketsphinxSession::PocketsphinxSession(sdk::Host host, std::shared_ptr<DecoderPool> pool, std::uint32_t sample_rate,
                                         sdk::SttSink sink)
    : shared_(std::make_shared<Shared>(host, std::move(pool), sample_rate, std::move(sink))) {}

PocketsphinxSession::~PocketsphinxSession() {
    {
        std::lock_guard lock(shared_->mutex);
        shared_->closed = true;
        shared_->queue.clear();
    }
    // Wait out a delivery in flight; every later one sees `closed`. A task
    // still decoding holds `shared_` and gives the decoder back when it ends.
    std::lock_guard deliver(shared_->delivery);
}

void PocketsphinxSession::push_audio(const vox_audio& audio) {
    if (!VOX_STRUCT_HAS(&audio, vox_audio, channels) || audio.channels == 0)
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "audio has no channel count");
    if (audio.sample_rate != shared_->rate)
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "audio is at " + std::to_string(audio.sample_rate) +
                                                       " Hz but the session was opened at " +
                                                       std::to_string(shared_->rate) + " Hz");
    if (audio.frames == 0) return;
    if (audio.samples == nullptr) throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "audio has frames but no samples");
    Job job;
    job.samples.resize(audio.frames);
    if (audio.channels == 1) {
        std::copy_n(audio.samples, audio.frames, job.samples.begin());
    } else {  // mix down
        for (std::size_t f = 0; f < audio.frames; ++f) {
            std::int32_t sum = 0;
            for (std::uint32_t c = 0; c < audio.channels; ++c) sum += audio.samples[f * audio.channels + c];
            job.samples[f] = static_cast<std::int16_t>(sum / static_cast<std::int32_t>(audio.channels));
        }
    }
    {
        std::lock_guard lock(shared_->mutex);
        if (shared_->input_ended)
            throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "push_audio after end_input: open a new session");
        job.grammar = shared_->grammar;
        job.start_frame = shared_->pushed_frames;
        shared_->pushed_frames += audio.frames;
    }
    shared_->enqueue(std::move(job));
}

void PocketsphinxSession::flush() {
    {
        std::lock_guard lock(shared_->mutex);
        if (shared_->input_ended) return;
    }
    Job job;
    job.flush = true;
    shared_->enqueue(std::move(job));
}

void PocketsphinxSession::end_input() {
    flush();
    std::lock_guard lock(shared_->mutex);
    shared_->input_ended = true;
}

void PocketsphinxSession::cancel() noexcept {
    {
        std::lock_guard lock(shared_->mutex);
        ++shared_->generation;
        shared_->queue.clear();
    }
    // A transcript may be in the sink right now: wait for it. Every later
    // delivery checks the generation under this lock; the utterance being
    // decoded is abandoned when the next job (of the new generation) runs.
    std::lock_guard deliver(shared_->delivery);
}

void PocketsphinxSession::set_grammar(std::string_view grammar_json) {
    const WordList& words = shared_->pool->words();
    std::optional<std::string> jsgf =
        grammar_to_jsgf(grammar_json, [&](const std::string& word) { return words.contains(word); });
    GrammarPtr grammar = jsgf ? std::make_shared<const std::string>(std::move(*jsgf)) : nullptr;
    std::lock_guard lock(shared_->mutex);
    shared_->grammar = std::move(grammar);
}

}  // namespace vox::pocketsphinx
