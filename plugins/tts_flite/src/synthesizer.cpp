#include "synthesizer.hpp"

#include <vox/sdk/error.hpp>

#include <flite.h>

#include <algorithm>
#include <cmath>
#include <exception>

namespace vox::flite {
namespace {

struct StreamState {
    const AudioHandler* handler = nullptr;
    bool stopped = false;
    std::exception_ptr error;  // from the handler; never let it unwind through flite's C frames
    std::size_t frames = 0;
    std::uint32_t sample_rate = 0;
};

// flite's audio streaming callback (cst_audio_streaming_info::asc): called
// from inside synthesis with samples [start, start + size) of the wave being
// built. Returning CST_AUDIO_STREAM_STOP makes flite abandon the wave.
int stream_chunk(const cst_wave* wave, int start, int size, int /*last*/, cst_audio_streaming_info* asi) {
    auto* state = static_cast<StreamState*>(asi->userdata);
    if (state->stopped) return CST_AUDIO_STREAM_STOP;
    if (size <= 0 || wave == nullptr || wave->samples == nullptr) return CST_AUDIO_STREAM_CONT;
    try {
        state->sample_rate = static_cast<std::uint32_t>(wave->sample_rate);
        state->frames += static_cast<std::size_t>(size);
        std::span<const std::int16_t> chunk(wave->samples + start, static_cast<std::size_t>(size));
        if (!(*state->handler)(chunk, state->sample_rate)) state->stopped = true;
    } catch (...) {
        state->error = std::current_exception();
        state->stopped = true;
    }
    return state->stopped ? CST_AUDIO_STREAM_STOP : CST_AUDIO_STREAM_CONT;
}

// A float feature along a path, or -1 when the path leads nowhere (flite's
// ffeature_float would call cst_error(), which exits the process).
double feature_seconds(const cst_item* item, const char* path) {
    const cst_val* value = ffeature(item, path);
    return value != nullptr ? static_cast<double>(val_float(value)) : -1.0;
}

std::uint32_t to_ms(double seconds) { return static_cast<std::uint32_t>(std::lround(std::max(0.0, seconds) * 1000.0)); }

std::vector<WordTiming> word_timings(cst_utterance* utterance) {
    std::vector<WordTiming> words;
    cst_relation* relation = utt_relation(utterance, "Word");
    if (relation == nullptr) return words;
    for (cst_item* word = relation_head(relation); word != nullptr; word = item_next(word)) {
        double end = feature_seconds(word, "R:SylStructure.daughtern.daughtern.R:Segment.end");
        double start = feature_seconds(word, "R:SylStructure.daughter1.daughter1.R:Segment.p.end");
        const char* name = item_feat_string(word, "name");
        if (end < 0 || name == nullptr) continue;  // a word with no phones
        words.push_back({name, to_ms(start), to_ms(end)});
    }
    return words;
}

// Owns one utterance (and, through its features, the streaming info).
struct Utterance {
    cst_utterance* utt = new_utterance();
    ~Utterance() { delete_utterance(utt); }
    Utterance() = default;
    Utterance(const Utterance&) = delete;
    Utterance& operator=(const Utterance&) = delete;
};

}  // namespace

SynthesisResult synthesize(Voice& voice, const std::string& text, double speed, std::uint32_t chunk_ms,
                           const AudioHandler& on_audio) {
    StreamState state;
    state.handler = &on_audio;
    SynthesisResult result;

    std::lock_guard lock(voice.mutex);
    Utterance utterance;
    utt_set_input_text(utterance.utt, text.c_str());
    utt_init(utterance.utt, voice.flite);
    // Per-utterance features shadow the voice's (utt_init links the voice's
    // features behind the utterance's), so nothing shared is modified.
    cst_audio_streaming_info* asi = new_audio_streaming_info();  // owned by the utterance from feat_set on
    asi->min_buffsize = static_cast<int>(voice.info->sample_rate * chunk_ms / 1000);
    asi->asc = &stream_chunk;
    asi->userdata = &state;
    feat_set(utterance.utt->features, "streaming_info", audio_streaming_info_val(asi));
    feat_set_float(utterance.utt->features, "duration_stretch", static_cast<float>(1.0 / speed));

    cst_utterance* done = utt_synth(utterance.utt);
    if (state.error) std::rethrow_exception(state.error);
    result.stopped = state.stopped;
    result.frames = state.frames;
    result.sample_rate = state.sample_rate != 0 ? state.sample_rate : voice.info->sample_rate;
    if (result.stopped) return result;
    if (done == nullptr)
        throw sdk::Error(VOX_ERR_INTERNAL, "flite failed to synthesise: \"" + text.substr(0, 80) + "\"");
    result.words = word_timings(utterance.utt);
    return result;
}

}  // namespace vox::flite
