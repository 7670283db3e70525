#include "app/api_key_auth.hpp"

#include <vox/core/log.hpp>

namespace vox::host {
namespace {

Problem unauthorized(std::string code, std::string detail) {
    return Problem{401, std::move(code), "Unauthorized", std::move(detail), nlohmann::json::object()};
}

}  // namespace

HttpService::Authorizer api_key_authorizer(auth::ApiKeyService& keys) {
    return [&keys](HttpExchange& exchange) -> std::optional<Problem> {
        auto& request = exchange.request();
        auto refuse = [&](Problem problem) {
            exchange.response().set("WWW-Authenticate", "Bearer realm=\"vox\"");
            return std::optional<Problem>(std::move(problem));
        };
        if (!request.has("Authorization"))
            return refuse(unauthorized("missing_api_key", "send an API key: Authorization: Bearer <key>"));
        auto token = auth::bearer_token(request.get("Authorization"));
        if (!token) return refuse(unauthorized("invalid_authorization", "the Authorization header must be \"Bearer <key>\""));
        auto key = keys.authenticate(*token);
        if (!key) return refuse(unauthorized("invalid_api_key", "the API key is not valid (unknown or revoked)"));
        const std::string& method = request.getMethod();
        if (key->role == "read_only" && method != "GET" && method != "HEAD")
            return Problem{403, "forbidden", "Forbidden", "this API key may only read (role read_only)",
                           nlohmann::json::object()};
        return std::nullopt;
    };
}

void bootstrap_api_keys(auth::ApiKeyService& keys, const std::string& configured_key, std::ostream& out) {
    if (!configured_key.empty()) {
        bool added = keys.ensure(configured_key, "bootstrap");
        vox::log::info("auth", added ? "bootstrap API key added" : "bootstrap API key already present",
                       {{"prefix", configured_key.substr(0, 12)}});
        return;
    }
    if (keys.count_active() > 0) return;
    auto created = keys.create("initial admin key");
    vox::log::info("auth", "no API key existed: created one and printed it on standard output",
                   {{"id", created.record.id}, {"prefix", created.record.prefix}});
    out << "\nvoxd: created the first API key. It is shown only this once; keep it:\n\n    " << created.secret
        << "\n\n    curl -H 'Authorization: Bearer " << created.secret << "' http://<host>:<port>/api/agents\n\n"
        << std::flush;
}

}  // namespace vox::host
