// PocketSphinx decoders for stt.pocketsphinx sessions. Loading a decoder
// (acoustic model, dictionary, 1.4M-entry language model) is the slow part;
// pocketsphinx 5prealpha has no public API to share a loaded model between
// decoders, so the pool keeps the decoders of closed sessions and hands them
// to the next session: only the first session of each concurrency level pays
// for ps_init.
#pragma once

#include "grammar.hpp"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct ps_decoder_s;

namespace vox::pocketsphinx {

struct ModelPaths {
    std::string hmm;   // acoustic model directory
    std::string lm;    // binary trigram language model
    std::string dict;  // pronunciation dictionary
};

// The Debian pocketsphinx-en-us model under `dir`.
ModelPaths model_paths(const std::string& dir);

// The name of a session's grammar (JSGF) search on its decoder.
inline constexpr const char* kGrammarSearch = "vox_grammar";

class DecoderPool {
public:
    explicit DecoderPool(ModelPaths paths, std::size_t max_idle = 8);
    ~DecoderPool();
    DecoderPool(const DecoderPool&) = delete;
    DecoderPool& operator=(const DecoderPool&) = delete;

    // An idle decoder, or a new one. Throws sdk::Error when the model cannot be loaded.
    ps_decoder_s* acquire();
    // Returns a decoder (not inside an utterance) for reuse, back on the
    // language-model search with any grammar search dropped; frees it when
    // the pool is full.
    void release(ps_decoder_s* decoder) noexcept;

    const ModelPaths& paths() const { return paths_; }
    // The dictionary's words, for checking grammars before they reach a decoder.
    const WordList& words() const { return words_; }

private:
    ModelPaths paths_;
    std::size_t max_idle_;
    WordList words_;
    std::mutex mutex_;
    std::vector<ps_decoder_s*> idle_;
    std::string lm_search_;  // the name ps_init gives the language-model search
};

}  // namespace vox::pocketsphinx
