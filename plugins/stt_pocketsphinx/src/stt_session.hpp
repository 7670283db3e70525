// One stt.pocketsphinx session: push_audio copies the audio into a queue and
// returns; decoding runs on the host's work pool, one task of this session at
// a time so audio is decoded in order. The decoder is taken from the plugin's
// pool when the session opens and given back when the last task ends.
//
// Results:
//   - a partial transcript whenever the hypothesis text changes while an
//     utterance is being decoded (checked after each batch of audio);
//   - a final transcript for each flush() (and end_input()) that follows
//     audio: the utterance's words, start/end in ms from the first audio
//     pushed, and the posterior probability of the hypothesis as confidence.
//     Silence gives a final with empty text. The next audio starts a new
//     utterance.
//   - after cancel() returns, queued audio and the utterance in progress are
//     dropped and nothing of them is delivered; after the session is
//     destroyed, no callback runs at all.
//
// Grammars (set_grammar): checked and turned into JSGF at once (a refusal is
// the call's error), then stamped on every audio job pushed afterwards. The
// decoding task switches the decoder's search only when it starts an
// utterance, so an utterance already under way keeps the grammar it began
// with, and cancel() (which drops queued jobs) does not lose a grammar.
#pragma once

#include "decoder_pool.hpp"

#include <vox/sdk/host.hpp>
#include <vox/sdk/stt.hpp>

#include <cstdint>
#include <memory>

namespace vox::pocketsphinx {

class PocketsphinxSession final : public sdk::SttSession {
public:
    PocketsphinxSession(sdk::Host host, std::shared_ptr<DecoderPool> pool, std::uint32_t sample_rate,
                        sdk::SttSink sink);
    ~PocketsphinxSession() override;
    PocketsphinxSession(const PocketsphinxSession&) = delete;
    PocketsphinxSession& operator=(const PocketsphinxSession&) = delete;

    void push_audio(const vox_audio& audio) override;
    void flush() override;
    void end_input() override;
    void cancel() noexcept override;
    void set_grammar(std::string_view grammar_json) override;

private:
    struct Shared;
    std::shared_ptr<Shared> shared_;
};

}  // namespace vox::pocketsphinx
