// The flite voices this plugin offers: a static catalogue (for capabilities
// and settings validation, no flite needed) and the loaded voices.
//
// Thread safety: flite keeps each voice as a process-wide object whose
// feature list (refcounted cst_vals, not atomic) synthesis reads and links
// into every utterance, so two syntheses on one voice at once are not safe.
// Each Voice therefore carries a mutex held for a whole synthesis. Different
// voices share only read-only data (the CMU lexicon, letter-to-sound rules,
// regexes, which flite 2.x matches with per-call state), so different voices
// synthesise in parallel.
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

struct cst_voice_struct;

namespace vox::flite {

struct VoiceInfo {
    std::string_view id;  // the value of the "voice" setting
    std::string_view name;
    std::string_view gender;
    std::uint32_t sample_rate;  // flite's native output rate for this voice
    std::string_view description;
};

// Every voice, default first.
std::span<const VoiceInfo> voice_catalog();
const VoiceInfo* find_voice_info(std::string_view id);
std::string_view default_voice_id();
// "slt, kal, ..." for error messages.
std::string voice_id_list();

struct Voice {
    const VoiceInfo* info = nullptr;
    cst_voice_struct* flite = nullptr;
    std::mutex mutex;  // held for a whole synthesis with this voice (see above)
};

// Registers every voice with flite on first use (once per process: flite's
// registration writes globals) and returns the one named `id`. Throws
// vox::sdk::Error: VOX_ERR_UNSUPPORTED for an unknown id, VOX_ERR_INTERNAL if
// flite fails to register a voice.
Voice& loaded_voice(std::string_view id);
// Registers every voice now (at plugin init, so the first call is not slow).
void load_voices();

}  // namespace vox::flite
