#include "openapi_checker.hpp"

#include <functional>
#include <sstream>
#include <stdexcept>

namespace vox::apitest {
namespace {

constexpr const char* kComponentPrefix = "#/components/schemas/";

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> segments;
    std::string current;
    for (std::size_t i = 1; i <= path.size(); ++i) {
        if (i == path.size() || path[i] == '/') {
            segments.push_back(current);
            current.clear();
        } else {
            current += path[i];
        }
    }
    if (!segments.empty() && segments.back().empty()) segments.pop_back();  // trailing slash
    return segments;
}

bool is_parameter(const std::string& segment) {
    return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

std::string lower(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

bool is_json_media(const std::string& media) {
    return media == "application/json" || (media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0);
}

// (json::value() here trips GCC's -Wnull-dereference inside nlohmann.)
std::string string_member(const Json& object, const char* name) {
    if (!object.is_object()) return {};
    auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get_ref<const std::string&>() : std::string();
}

long long integer_member(const Json& object, const char* name) {
    if (!object.is_object()) return 0;
    auto it = object.find(name);
    return it != object.end() && it->is_number_integer() ? it->get<long long>() : 0;
}

std::string media_of(const std::string& content_type) {
    std::string media = content_type.substr(0, content_type.find(';'));
    while (!media.empty() && media.back() == ' ') media.pop_back();
    return lower(media);
}

}  // namespace

OpenApiChecker::OpenApiChecker(Json document) : document_(std::move(document)) {
    if (!document_.is_object() || !document_.contains("paths") || !document_["paths"].is_object())
        throw std::runtime_error("not an OpenAPI document: " + document_.dump().substr(0, 200));
}

Json OpenApiChecker::resolve(const Json& schema) const {
    std::function<Json(const Json&, int)> walk = [&](const Json& node, int depth) -> Json {
        if (depth > 32) throw std::runtime_error("schema references nest too deep (a cycle?)");
        if (node.is_array()) {
            Json out = Json::array();
            for (const auto& item : node) out.push_back(walk(item, depth));
            return out;
        }
        if (!node.is_object()) return node;
        if (node.contains("$ref")) {
            std::string ref = node["$ref"].get<std::string>();
            if (ref.rfind(kComponentPrefix, 0) != 0) throw std::runtime_error("unsupported $ref " + ref);
            std::string name = ref.substr(std::string(kComponentPrefix).size());
            const auto& schemas = document_["components"]["schemas"];
            if (!schemas.contains(name)) throw std::runtime_error("$ref to a missing component: " + ref);
            Json target = walk(schemas[name], depth + 1);
            if (node.size() == 1) return target;
            Json rest = Json::object();  // OpenAPI 3.1 allows siblings of $ref: both apply
            for (const auto& [key, value] : node.items())
                if (key != "$ref") rest[key] = walk(value, depth);
            rest["allOf"] = Json::array({target});
            return rest;
        }
        Json out = Json::object();
        for (const auto& [key, value] : node.items()) out[key] = walk(value, depth);
        return out;
    };
    return walk(schema, 0);
}

Json OpenApiChecker::component(const std::string& name) const {
    return resolve(Json{{"$ref", std::string(kComponentPrefix) + name}});
}

std::optional<std::string> OpenApiChecker::match_path(const std::string& path) const {
    auto wanted = split_path(path);
    std::optional<std::string> best;
    int best_literals = -1;
    for (const auto& [pattern, item] : document_["paths"].items()) {
        auto segments = split_path(pattern);
        if (segments.size() != wanted.size()) continue;
        int literals = 0;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i) {
            if (is_parameter(segments[i])) continue;
            ok = segments[i] == wanted[i];
            ++literals;
        }
        if (ok && literals > best_literals) {
            best = pattern;
            best_literals = literals;
        }
    }
    return best;
}

const JsonSchema& OpenApiChecker::compiled(const Json& schema) const {
    std::string key = schema.dump();
    std::lock_guard lock(mutex_);
    auto& slot = cache_[key];
    if (!slot) slot = std::make_unique<JsonSchema>(schema);
    return *slot;
}

namespace {

// valijson (under vox::JsonSchema) applies "format" to values of every type:
// null fails {"type": ["string", "null"], "format": "date-time"}, which JSON
// Schema allows (format only constrains strings), and a non-empty array makes
// it throw. Say the same thing the way valijson understands: the format
// applies if the value is a string.
Json format_applies_to_strings_only(const Json& node) {
    if (node.is_array()) {
        Json out = Json::array();
        for (const auto& item : node) out.push_back(format_applies_to_strings_only(item));
        return out;
    }
    if (!node.is_object()) return node;
    Json out = Json::object();
    for (const auto& [key, value] : node.items()) out[key] = format_applies_to_strings_only(value);
    if (out.contains("format") && out["format"].is_string() && !out.contains("if")) {
        out["if"] = Json{{"type", "string"}};
        out["then"] = Json{{"format", out["format"]}};
        out.erase("format");
    }
    return out;
}

}  // namespace

std::vector<std::string> OpenApiChecker::validate(const Json& schema, const Json& document) const {
    std::vector<std::string> problems;
    try {
        for (const auto& problem : compiled(format_applies_to_strings_only(resolve(schema))).validate(document))
            problems.push_back("at '" + problem.field + "': " + problem.message);
    } catch (const std::exception& error) {
        problems.push_back(std::string("cannot use the schema: ") + error.what());
    }
    return problems;
}

std::vector<std::string> OpenApiChecker::check(const std::string& method, const std::string& target,
                                               const Reply& reply) const {
    std::vector<std::string> problems;
    auto fail = [&](std::string text) { problems.push_back(std::move(text)); };
    if (reply.status == 0) {
        fail("no answer: " + reply.failure);
        return problems;
    }
    if (reply.status >= 500) fail("a server error (" + std::to_string(reply.status) + ")");
    if (reply.header("x-request-id").empty()) fail("no X-Request-Id header");

    std::string path = target.substr(0, target.find_first_of("?#"));
    std::string verb = lower(method);
    std::string media = media_of(reply.header("content-type"));
    Json operation;
    if (auto pattern = match_path(path)) {
        const auto& item = document_["paths"][*pattern];
        if (item.contains(verb)) {
            operation = item[verb];
        } else if (verb == "head" && item.contains("get")) {
            operation = item["get"];
        } else if (reply.status != 405) {
            fail(method + " is not documented on " + *pattern + ", yet the answer was " + std::to_string(reply.status));
        } else if (reply.header("allow").empty()) {
            fail("a 405 without an Allow header");
        }
    } else if (reply.status != 404 && reply.status != 400) {
        fail("no documented path matches " + path + ", yet the answer was " + std::to_string(reply.status));
    }

    Json schema;  // null: nothing to validate
    bool body_expected = true;
    if (operation.is_object()) {
        const auto& responses = operation["responses"];
        std::string status = std::to_string(reply.status);
        const Json* response = responses.contains(status) ? &responses[status]
                               : responses.contains("default") ? &responses["default"]
                                                               : nullptr;
        if (response == nullptr) {
            fail("status " + status + " is not documented for " + method + " " + path);
        } else if (!response->contains("content")) {
            body_expected = false;
            if (!reply.body.empty() && verb != "head") fail("a body where the document says there is none");
        } else {
            bool found = false;
            for (const auto& [type, content] : (*response)["content"].items()) {
                if (media_of(type) != media) continue;
                found = true;
                if (content.contains("schema")) schema = content["schema"];
            }
            if (!found)
                fail("content type '" + reply.header("content-type") + "' is not documented for status " + status +
                     " of " + method + " " + path + " (documented: " + (*response)["content"].dump() + ")");
        }
    } else if (media == "application/problem+json") {
        schema = Json{{"$ref", std::string(kComponentPrefix) + "Problem"}};
    }

    if (verb != "head" && body_expected && is_json_media(media)) {
        Json body = Json::parse(reply.body, nullptr, false);
        if (body.is_discarded()) {
            fail("the body is not JSON although the content type is " + media);
        } else {
            if (!schema.is_null()) {
                ++bodies_validated_;
                for (auto& problem : validate(schema, body)) fail("the body does not match its schema " + problem);
            }
            if (media == "application/problem+json") {
                if (string_member(body, "request_id") != reply.header("x-request-id"))
                    fail("the problem's request_id differs from the X-Request-Id header");
                if (integer_member(body, "status") != reply.status) fail("the problem's status differs from the HTTP status");
            }
        }
    }
    if (reply.status >= 400 && media != "application/problem+json")
        fail("an error answer that is not application/problem+json");
    return problems;
}

}  // namespace vox::apitest
