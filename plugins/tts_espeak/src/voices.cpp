#include "voices.hpp"

#include <array>

namespace vox::espeak {
namespace {

// Debian's espeak-ng-data holds these languages (lang/gmw/en-US, lang/gmw/en,
// lang/gmw/de, lang/roa/fr, lang/roa/es) and the variants (voices/!v/klatt,
// f3, m3). espeak-ng silently ignores an unknown "+variant", so only listed
// ids are accepted. British English is espeak's "en" (it has no voice named
// "en-gb"). The Klatt variants use espeak's cascade-parallel formant
// synthesiser: less buzzy than the default one, and recognised far better by
// pocketsphinx (see the README), so one is the default.
constexpr std::array<VoiceInfo, 10> kCatalog = {{
    {"en-us+klatt", "en-us+klatt", "US English (Klatt)", "male", "en-US",
     "US English, male, Klatt formant synthesis: the clearest voice"},
    {"en-us", "en-us", "US English", "male", "en-US", "US English, male (espeak-ng's default sound)"},
    {"en-us+f3", "en-us+f3", "US English female", "female", "en-US", "US English, female (variant f3)"},
    {"en-us+m3", "en-us+m3", "US English male 3", "male", "en-US", "US English, male (variant m3)"},
    {"en-gb+klatt", "en+klatt", "British English (Klatt)", "male", "en-GB",
     "British English, male, Klatt formant synthesis"},
    {"en-gb", "en", "British English", "male", "en-GB", "British English, male"},
    {"en-gb+f3", "en+f3", "British English female", "female", "en-GB", "British English, female (variant f3)"},
    {"de", "de", "German", "male", "de-DE", "German, male"},
    {"fr", "fr", "French", "male", "fr-FR", "French (France), male"},
    {"es", "es", "Spanish", "male", "es-ES", "Spanish (Spain), male"},
}};

}  // namespace

std::span<const VoiceInfo> voice_catalog() { return kCatalog; }

const VoiceInfo* find_voice_info(std::string_view id) {
    for (const auto& info : kCatalog)
        if (info.id == id) return &info;
    return nullptr;
}

std::string_view default_voice_id() { return kCatalog.front().id; }

std::string voice_id_list() {
    std::string list;
    for (const auto& info : kCatalog) list += (list.empty() ? "" : ", ") + std::string(info.id);
    return list;
}

}  // namespace vox::espeak
