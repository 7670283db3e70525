// Signal level measurements in dBFS (0 dBFS = a full-scale square wave), used
// to check that audio is not silent and, later, for VAD thresholds and meters.
#pragma once

#include <cstdint>
#include <span>

namespace vox::audio {

// Root-mean-square level of the samples in dBFS: -3.01 for a full-scale sine,
// -infinity for digital silence or no samples.
double rms_dbfs(std::span<const std::int16_t> samples);
// Level of the loudest sample in dBFS; -infinity for silence.
double peak_dbfs(std::span<const std::int16_t> samples);

}  // namespace vox::audio
