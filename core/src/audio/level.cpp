#include <vox/core/audio/level.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace vox::audio {
namespace {

constexpr double kFullScale = 32768.0;

double to_dbfs(double amplitude) {
    if (amplitude <= 0.0) return -std::numeric_limits<double>::infinity();
    return 20.0 * std::log10(amplitude / kFullScale);
}

}  // namespace

double rms_dbfs(std::span<const std::int16_t> samples) {
    if (samples.empty()) return -std::numeric_limits<double>::infinity();
    double sum = 0.0;
    for (std::int16_t s : samples) sum += static_cast<double>(s) * static_cast<double>(s);
    return to_dbfs(std::sqrt(sum / static_cast<double>(samples.size())));
}

double peak_dbfs(std::span<const std::int16_t> samples) {
    int peak = 0;
    for (std::int16_t s : samples) peak = std::max(peak, std::abs(static_cast<int>(s)));
    return to_dbfs(static_cast<double>(peak));
}

}  // namespace vox::audio
