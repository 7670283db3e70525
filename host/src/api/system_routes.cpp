#include "api/system_routes.hpp"

#include "app/build_info.hpp"
#include "http/http_exchange.hpp"

#include <prometheus/text_serializer.h>

namespace vox::host {

void add_system_routes(Router& router, std::shared_ptr<prometheus::Registry> metrics,
                       std::chrono::steady_clock::time_point started) {
    router.get(
        "/healthz",
        [started](HttpExchange& exchange) {
            auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            exchange.send_json(
                200,
                {{"status", "ok"}, {"version", build_info().version}, {"uptime_s", static_cast<std::int64_t>(uptime)}});
        },
        Access::open);

    router.get(
        "/metrics",
        [metrics](HttpExchange& exchange) {
            std::string text = prometheus::TextSerializer().Serialize(metrics->Collect());
            exchange.send_text(200, "text/plain; version=0.0.4; charset=utf-8", text);
        },
        Access::open);
}

}  // namespace vox::host
