// Request counts and latency of the HTTP API, for /metrics:
//   vox_http_requests_total{method,status}
//   vox_http_request_duration_seconds{method,route}   (histogram)
// Labels are bounded: unknown methods become "OTHER" and paths are reported by
// route pattern ("/api/agents/{agent_id}") or "unmatched", never raw.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string_view>

namespace vox::host {

class HttpMetrics {
public:
    explicit HttpMetrics(prometheus::Registry& registry);

    void observe(std::string_view method, std::string_view route, int status, double seconds);

private:
    prometheus::Family<prometheus::Counter>& requests_;
    prometheus::Family<prometheus::Histogram>& durations_;
};

}  // namespace vox::host
