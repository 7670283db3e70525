// Speaks one text with a TTS provider to the end and returns the audio: what
// POST /api/test/tts plays back. The session is the same TtsClient a call
// uses, with the settings a call of the agent would give it.
#pragma once

#include <vox/core/audio/pcm.hpp>
#include <vox/core/plugin_registry.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <stdexcept>
#include <string>

namespace vox::host {

// The provider failed, refused the settings, produced nothing, or ran out of time.
class TtsPreviewFailed : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Mono PCM16 at the provider's own rate (several channels are mixed down).
// Throws TtsPreviewFailed.
audio::AudioBuffer synthesise_preview(const Provider& tts, const nlohmann::json& settings, const std::string& text,
                                      std::chrono::milliseconds timeout);

}  // namespace vox::host
