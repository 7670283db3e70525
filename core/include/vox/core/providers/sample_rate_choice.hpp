// Which rate the host opens an audio-consuming provider (STT, VAD) at, for
// input at a given rate: resampling lives in the host, and this picks its target.
#pragma once

#include <vox/core/plugin_registry.hpp>

#include <cstdint>

namespace vox {

// The input rate when the provider lists it in its "sample_rates" capability,
// else the lowest listed rate above it (no information lost), else the
// highest listed. Input rate 0 means "the provider's preferred rate": the
// highest listed. A provider that lists none gets the input rate (16000 for 0).
std::uint32_t choose_provider_sample_rate(const Provider& provider, std::uint32_t input_rate);

}  // namespace vox
