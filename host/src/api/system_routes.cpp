#include "api/system_routes.hpp"

#include "app/build_info.hpp"
#include "http/http_exchange.hpp"

#include <prometheus/text_serializer.h>

namespace vox::host {

void add_system_routes(ApiRoutes& routes, std::shared_ptr<prometheus::Registry> metrics,
                       std::chrono::steady_clock::time_point started) {
    ApiOperation health{"get", "/healthz", "health", "Liveness probe", "Open: needs no API key.", {"System"}, {},
                        std::nullopt,
                        {{200, ApiResponse{"Serving",
                                           std::nullopt,
                                           {{"type", "object"},
                                            {"properties",
                                             {{"status", {{"const", "ok"}}},
                                              {"version", {{"type", "string"}}},
                                              {"uptime_s", {{"type", "integer"}}}}}},
                                           false,
                                           "application/json"}}},
                        false};
    routes.add(
        health,
        [started](HttpExchange& exchange) {
            auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            exchange.send_json(
                200,
                {{"status", "ok"}, {"version", build_info().version}, {"uptime_s", static_cast<std::int64_t>(uptime)}});
        });

    ApiOperation scrape{"get", "/metrics", "metrics", "Prometheus metrics",
                        "Text exposition format 0.0.4. Open: needs no API key.", {"System"}, {}, std::nullopt,
                        {{200, ApiResponse{"The metrics", std::nullopt, {{"type", "string"}}, false,
                                           "text/plain; version=0.0.4"}}},
                        false};
    routes.add(scrape, [metrics](HttpExchange& exchange) {
        std::string text = prometheus::TextSerializer().Serialize(metrics->Collect());
        exchange.send_text(200, "text/plain; version=0.0.4; charset=utf-8", text);
    });
}

}  // namespace vox::host
