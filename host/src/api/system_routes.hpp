// Routes for probes and scrapers, open without an API key:
//   GET /healthz  -> 200 {"status":"ok","version":...,"uptime_s":...}
//   GET /metrics  -> Prometheus text exposition format 0.0.4
#pragma once

#include "api/api_routes.hpp"

#include <prometheus/registry.h>

#include <chrono>
#include <memory>

namespace vox::host {

void add_system_routes(ApiRoutes& routes, std::shared_ptr<prometheus::Registry> metrics,
                       std::chrono::steady_clock::time_point started);

}  // namespace vox::host
