#include "api/key_routes.hpp"

#include "api/request_body.hpp"
#include "http/http_exchange.hpp"
#include "api/path_ids.hpp"
#include "http/problem_error.hpp"

namespace vox::host {

void add_key_routes(ApiRoutes& routes, ApiContext& context) {
    const std::vector<std::string> tags{"API keys"};
    ApiOperation list{"get", "/api/keys", "listApiKeys", "List API keys (never their secrets)", "", tags, {},
                      std::nullopt, {{200, json_response("The keys", "api_key", true)}}};
    routes.add(list, [&context](HttpExchange& exchange) {
        nlohmann::json keys = nlohmann::json::array();
        for (const auto& key : context.keys.list()) keys.push_back(key.to_json());
        exchange.send_json(200, keys);
    });

    ApiOperation create{"post", "/api/keys", "createApiKey", "Create an API key",
                        "The answer's \"key\" is the secret: it is shown this once and stored only as a hash.", tags,
                        {}, "api_key_input", {{201, json_response("The key, with its secret", "api_key")}}};
    routes.add(create, [&context](HttpExchange& exchange) {
        nlohmann::json input = read_json_body(exchange, context.max_body_bytes);
        validate_against("api_key_input", input);
        auto created = context.keys.create(input["name"], input.value("role", "admin"));
        nlohmann::json body = created.record.to_json();
        body["key"] = created.secret;
        exchange.response().set("Cache-Control", "no-store");
        exchange.send_json(201, body);
    });

    ApiOperation revoke{"delete", "/api/keys/{key_id}", "revokeApiKey", "Revoke an API key",
                        "The last active admin key cannot be revoked (409), so the server cannot be locked out.", tags,
                        {path_parameter("key_id", "The key's id (key_...).")}, std::nullopt,
                        {{204, empty_response("Revoked")},
                         {404, problem_response("No such active key")},
                         {409, problem_response("It is the last active admin key (code last_api_key)")}}};
    routes.add(revoke, [&context](HttpExchange& exchange) {
        std::string id = path_id(exchange, "key_id", "key", "active API key");
        using Outcome = storage::ApiKeyRepository::RevokeOutcome;
        switch (context.keys.revoke(id, true)) {
        case Outcome::revoked: break;
        case Outcome::not_found: throw not_found("active API key", id);
        case Outcome::last_admin:
            throw conflict("last_api_key", "this is the last active admin key; create another before revoking it");
        }
        exchange.send_empty(204);
    });
}

}  // namespace vox::host
