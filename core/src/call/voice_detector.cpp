#include "voice_detector.hpp"

namespace vox::call::detail {

VoiceDetectorHandle make_voice_detector(const Provider* provider, const nlohmann::json& settings,
                                        std::uint32_t sample_rate) {
    (void)settings;
    (void)sample_rate;
    (void)provider;
    return {energy_speech_probability, nullptr};
}

}  // namespace vox::call::detail
