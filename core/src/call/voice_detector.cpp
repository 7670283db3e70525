#include "voice_detector.hpp"

#include <vox/core/providers/vad_client.hpp>

namespace vox::call::detail {

VoiceDetectorHandle make_voice_detector(const Provider* provider, const nlohmann::json& settings,
                                        std::uint32_t sample_rate) {
    if (provider == nullptr) return {energy_speech_probability, nullptr};
    auto client = std::make_shared<VadClient>(*provider, VadOptions{.settings = settings, .input_sample_rate = sample_rate});
    // The detector runs on the call's strand only, as VadClient requires.
    return {[raw = client.get()](const audio::AudioView& audio) { return raw->process(audio); }, client};
}

}  // namespace vox::call::detail
