#include "metrics/http_metrics.hpp"

#include <array>
#include <string>

namespace vox::host {
namespace {

std::string method_label(std::string_view method) {
    static constexpr std::array<std::string_view, 7> known{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    for (auto name : known)
        if (name == method) return std::string(name);
    return "OTHER";
}

}  // namespace

HttpMetrics::HttpMetrics(prometheus::Registry& registry)
    : requests_(prometheus::BuildCounter()
                    .Name("vox_http_requests_total")
                    .Help("HTTP requests answered, by method and status code")
                    .Register(registry)),
      durations_(prometheus::BuildHistogram()
                     .Name("vox_http_request_duration_seconds")
                     .Help("Time from reading an HTTP request to finishing its response, by method and route")
                     .Register(registry)) {}

void HttpMetrics::observe(std::string_view method, std::string_view route, int status, double seconds) {
    static const prometheus::Histogram::BucketBoundaries kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                                  0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
    std::string method_name = method_label(method);
    requests_.Add({{"method", method_name}, {"status", std::to_string(status)}}).Increment();
    durations_.Add({{"method", method_name}, {"route", std::string(route)}}, kBuckets).Observe(seconds);
}

}  // namespace vox::host
