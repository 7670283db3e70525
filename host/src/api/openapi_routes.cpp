#include "api/openapi_routes.hpp"

#include "http/http_exchange.hpp"

#include <memory>

namespace vox::host {

void add_openapi_route(ApiRoutes& routes) {
    ApiOperation spec{"get", "/openapi.json", "openapi", "This API's OpenAPI 3.1 document", "", {"System"}, {},
                      std::nullopt,
                      {{200, ApiResponse{"The document", std::nullopt, {{"type", "object"}}, false, "application/json"}}},
                      false};
    routes.openapi().add(spec);
    auto document = std::make_shared<std::string>(routes.openapi().document().dump(2));
    routes.router().add("GET", "/openapi.json",
                        [document](HttpExchange& exchange) {
                            exchange.send_text(200, "application/json", *document);
                        },
                        Access::open);
}

}  // namespace vox::host
