// Per-stage latency samples of a call and their summary as the call record
// stores it: {"p50","p90","p95","p99","min","max","count"} in milliseconds.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace vox::call {

// Nearest-rank percentiles of `samples` (unsorted); {} when empty.
nlohmann::json summarize_latencies(std::vector<double> samples);

class LatencyStats {
public:
    void add(const std::string& stage, double milliseconds) { samples_[stage].push_back(milliseconds); }
    // {"e2e": {...}, "stt": {...}, ...}: only stages with samples.
    nlohmann::json to_json() const;
    double mean(const std::string& stage) const;
    std::size_t count(const std::string& stage) const;

private:
    std::map<std::string, std::vector<double>> samples_;
};

}  // namespace vox::call
