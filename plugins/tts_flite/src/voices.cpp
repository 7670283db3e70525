#include "voices.hpp"

#include <vox/sdk/error.hpp>

#include <flite.h>

#include <array>
#include <memory>

extern "C" {
// Exported by Debian's libflite_cmu_us_*.so; flite ships no header for them.
cst_voice* register_cmu_us_slt(const char* voxdir);
cst_voice* register_cmu_us_kal(const char* voxdir);
cst_voice* register_cmu_us_kal16(const char* voxdir);
cst_voice* register_cmu_us_rms(const char* voxdir);
cst_voice* register_cmu_us_awb(const char* voxdir);
}

namespace vox::flite {
namespace {

using Registrar = cst_voice* (*)(const char*);

constexpr std::array<VoiceInfo, 5> kCatalog = {{
    {"slt", "SLT", "female", 16000, "US English female (unit selection), the clearest voice"},
    {"rms", "RMS", "male", 16000, "US English male (unit selection)"},
    {"awb", "AWB", "male", 16000, "English male with a Scottish accent (unit selection)"},
    {"kal16", "Kal 16 kHz", "male", 16000, "US English male (diphone), 16 kHz"},
    {"kal", "Kal", "male", 8000, "US English male (diphone), 8 kHz: telephone quality, the fastest"},
}};
constexpr std::array<Registrar, 5> kRegistrars = {&register_cmu_us_slt, &register_cmu_us_rms, &register_cmu_us_awb,
                                                  &register_cmu_us_kal16, &register_cmu_us_kal};

struct LoadedVoices {
    std::array<Voice, kCatalog.size()> voices;

    LoadedVoices() {
        flite_init();
        for (std::size_t i = 0; i < kCatalog.size(); ++i) {
            voices[i].info = &kCatalog[i];
            voices[i].flite = kRegistrars[i](nullptr);
            if (voices[i].flite == nullptr)
                throw sdk::Error(VOX_ERR_INTERNAL,
                                 "flite could not register voice '" + std::string(kCatalog[i].id) + "'");
        }
    }
};

// Built once, thread-safely, on first use; never destroyed (plugins are never
// unloaded and flite voices cannot be safely freed while referenced).
LoadedVoices& loaded() {
    static LoadedVoices* voices = new LoadedVoices();
    return *voices;
}

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

Voice& loaded_voice(std::string_view id) {
    const VoiceInfo* info = find_voice_info(id);
    if (info == nullptr)
        throw sdk::Error(VOX_ERR_UNSUPPORTED,
                         "unknown flite voice '" + std::string(id) + "' (available: " + voice_id_list() + ")");
    return loaded().voices[static_cast<std::size_t>(info - kCatalog.data())];
}

void load_voices() { loaded(); }

}  // namespace vox::flite
