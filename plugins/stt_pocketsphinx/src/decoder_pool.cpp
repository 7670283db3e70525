#include "decoder_pool.hpp"

#include <vox/sdk/error.hpp>

#include <pocketsphinx.h>

#include <filesystem>
#include <utility>

namespace vox::pocketsphinx {

ModelPaths model_paths(const std::string& dir) {
    return ModelPaths{dir + "/en-us", dir + "/en-us.lm.bin", dir + "/cmudict-en-us.dict"};
}

DecoderPool::DecoderPool(ModelPaths paths, std::size_t max_idle)
    : paths_(std::move(paths)), max_idle_(max_idle), words_(paths_.dict) {
    for (const auto* path : {&paths_.hmm, &paths_.lm, &paths_.dict})
        if (!std::filesystem::exists(*path))
            throw sdk::Error(VOX_ERR_UNAVAILABLE, "pocketsphinx model file missing: " + *path +
                                                      " (install the Debian package pocketsphinx-en-us)");
}

DecoderPool::~DecoderPool() {
    for (auto* decoder : idle_) ps_free(decoder);
}

ps_decoder_s* DecoderPool::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            ps_decoder_s* decoder = idle_.back();
            idle_.pop_back();
            return decoder;
        }
    }
    // The model is 16 kHz (feat.params: -upperf 6800); sessions at 8 kHz are
    // upsampled before decoding (see the README for why), so one configuration
    // serves every session.
    cmd_ln_t* config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", paths_.hmm.c_str(), "-lm", paths_.lm.c_str(),
                                   "-dict", paths_.dict.c_str(), "-samprate", "16000", nullptr);
    if (config == nullptr) throw sdk::Error(VOX_ERR_INTERNAL, "pocketsphinx rejected its configuration");
    ps_decoder_t* decoder = ps_init(config);
    cmd_ln_free_r(config);  // the decoder keeps its own reference
    if (decoder == nullptr)
        throw sdk::Error(VOX_ERR_UNAVAILABLE, "pocketsphinx could not load the model from " + paths_.hmm);
    std::lock_guard lock(mutex_);
    if (lm_search_.empty()) lm_search_ = ps_get_search(decoder);  // a new decoder starts on it
    return decoder;
}

void DecoderPool::release(ps_decoder_s* decoder) noexcept {
    if (decoder == nullptr) return;
    {
        std::lock_guard lock(mutex_);
        // The next session must start with free speech, whatever grammar this one used.
        if (ps_set_search(decoder, lm_search_.c_str()) < 0) {
            ps_free(decoder);
            return;
        }
        ps_unset_search(decoder, kGrammarSearch);  // fails harmlessly when there is none
        if (idle_.size() < max_idle_) {
            idle_.push_back(decoder);
            return;
        }
    }
    ps_free(decoder);
}

}  // namespace vox::pocketsphinx
