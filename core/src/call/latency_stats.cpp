#include <vox/core/call/latency_stats.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace vox::call {

nlohmann::json summarize_latencies(std::vector<double> samples) {
    if (samples.empty()) return nlohmann::json::object();
    std::sort(samples.begin(), samples.end());
    auto rank = [&](double percentile) {
        auto index = static_cast<std::size_t>(std::ceil(percentile / 100.0 * static_cast<double>(samples.size())));
        return std::round(samples[std::clamp<std::size_t>(index, 1, samples.size()) - 1] * 10.0) / 10.0;
    };
    return {{"p50", rank(50)}, {"p90", rank(90)},   {"p95", rank(95)},
            {"p99", rank(99)}, {"min", rank(0.0)}, {"max", rank(100)}, {"count", samples.size()}};
}

nlohmann::json LatencyStats::to_json() const {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [stage, samples] : samples_)
        if (!samples.empty()) out[stage] = summarize_latencies(samples);
    return out;
}

double LatencyStats::mean(const std::string& stage) const {
    auto it = samples_.find(stage);
    if (it == samples_.end() || it->second.empty()) return 0.0;
    return std::accumulate(it->second.begin(), it->second.end(), 0.0) / static_cast<double>(it->second.size());
}

std::size_t LatencyStats::count(const std::string& stage) const {
    auto it = samples_.find(stage);
    return it == samples_.end() ? 0 : it->second.size();
}

}  // namespace vox::call
