// The string a JSON object holds under `key`, or "" when it holds none (no
// such key, null, or another type): for documents (agents, calls, flows)
// whose optional text fields are read where an empty text means "not set".
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace vox {

inline std::string json_text(const nlohmann::json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace vox
