// The espeak-ng voices this plugin offers: a static catalogue, used for the
// capabilities, settings validation and error messages. A voice is an
// espeak-ng language voice, optionally with a variant ("en-us+f3": US
// English spoken with the f3 female variant).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace vox::espeak {

struct VoiceInfo {
    std::string_view id;           // the value of the "voice" setting
    std::string_view espeak_name;  // what espeak_SetVoiceByName() is given
    std::string_view name;
    std::string_view gender;
    std::string_view language;  // BCP 47
    std::string_view description;
};

// Every voice, default first.
std::span<const VoiceInfo> voice_catalog();
const VoiceInfo* find_voice_info(std::string_view id);
std::string_view default_voice_id();
// "en-us, en-us+f3, ..." for error messages.
std::string voice_id_list();

}  // namespace vox::espeak
