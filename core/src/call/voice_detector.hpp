// The call's voice-activity detector: a vad.* provider session when one is
// configured, else the built-in level detector.
#pragma once

#include "input_processor.hpp"

#include <vox/core/plugin_registry.hpp>

#include <nlohmann/json.hpp>

#include <memory>

namespace vox::call::detail {

struct VoiceDetectorHandle {
    VoiceDetector detector;
    std::shared_ptr<void> session;  // keeps the provider session alive
};

// Throws ProviderError when the provider refuses the settings or rate.
VoiceDetectorHandle make_voice_detector(const Provider* provider, const nlohmann::json& settings,
                                        std::uint32_t sample_rate);

}  // namespace vox::call::detail
