#include "embedded_schemas.hpp"

#include <vox/core/schema_catalog.hpp>

#include <stdexcept>

namespace vox {
namespace {

bool is_local_ref(const nlohmann::json& node, std::string& name) {
    if (!node.is_object() || !node.contains("$ref") || !node["$ref"].is_string()) return false;
    std::string ref = node["$ref"];
    if (ref.size() <= 5 || ref.compare(ref.size() - 5, 5, ".json") != 0) return false;
    name = ref.substr(0, ref.size() - 5);
    return true;
}

nlohmann::json rewrite_refs(const nlohmann::json& node) {
    std::string name;
    if (is_local_ref(node, name)) return {{"$ref", "#/components/schemas/" + SchemaCatalog::component_name(name)}};
    if (node.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (auto& [key, value] : node.items())
            if (key != "$comment") out[key] = rewrite_refs(value);
        return out;
    }
    if (node.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : node) out.push_back(rewrite_refs(item));
        return out;
    }
    return node;
}

}  // namespace

const SchemaCatalog& SchemaCatalog::instance() {
    static const SchemaCatalog catalog;
    return catalog;
}

SchemaCatalog::SchemaCatalog() {
    for (const auto& [name, text] : embedded_schemas()) raw_[name] = nlohmann::json::parse(text);
    for (const auto& [name, schema] : raw_) validators_.emplace(name, JsonSchema(inline_refs(schema, 0)));
}

std::vector<std::string> SchemaCatalog::names() const {
    std::vector<std::string> all;
    for (const auto& [name, schema] : raw_) all.push_back(name);
    return all;
}

const nlohmann::json& SchemaCatalog::raw(const std::string& name) const { return raw_.at(name); }

const JsonSchema& SchemaCatalog::validator(const std::string& name) const { return validators_.at(name); }

nlohmann::json SchemaCatalog::inline_refs(const nlohmann::json& node, int depth) const {
    if (depth > 16) throw std::runtime_error("schema references nest too deeply (a cycle?)");
    std::string name;
    if (is_local_ref(node, name)) return inline_refs(raw_.at(name), depth + 1);
    if (node.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (auto& [key, value] : node.items()) {
            // valijson applies "format" to values of any type and throws on
            // non-strings; the API checks its date-times itself, so "format"
            // stays documentation (it is kept in the OpenAPI form).
            if (key == "format" && value.is_string()) continue;
            out[key] = inline_refs(value, depth);
        }
        return out;
    }
    if (node.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : node) out.push_back(inline_refs(item, depth));
        return out;
    }
    return node;
}

nlohmann::json SchemaCatalog::for_openapi(const std::string& name) const {
    nlohmann::json schema = rewrite_refs(raw_.at(name));
    if (raw_.at(name).contains("$comment")) schema["description"] = raw_.at(name)["$comment"];
    return schema;
}

std::string SchemaCatalog::component_name(const std::string& name) {
    std::string out;
    bool upper = true;
    for (char c : name) {
        if (c == '_') {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return out;
}

}  // namespace vox
