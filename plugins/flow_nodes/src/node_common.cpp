#include "node_common.hpp"

#include <algorithm>
#include <cctype>

namespace vox::flow_nodes {

void Problems::add(std::string field, std::string message) {
    list_.push_back({{"field", std::move(field)}, {"message", std::move(message)}});
}

std::string pointer_token(const std::string& key) {
    std::string token;
    for (char c : key) {
        if (c == '~')
            token += "~0";
        else if (c == '/')
            token += "~1";
        else
            token += c;
    }
    return token;
}

void only_fields(const json& config, std::initializer_list<const char*> known, Problems& problems) {
    for (const auto& [key, value] : config.items())
        if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; }))
            problems.add("/" + pointer_token(key), "unknown field '" + key + "'");
}

std::optional<std::string> string_field(const json& config, const char* key, bool required, Problems& problems,
                                        std::size_t max_length) {
    std::string field = std::string("/") + key;
    auto it = config.find(key);
    if (it == config.end()) {
        if (required) problems.add(field, std::string(key) + " is required");
        return std::nullopt;
    }
    if (!it->is_string()) {
        problems.add(field, std::string(key) + " must be a string");
        return std::nullopt;
    }
    std::string value = *it;
    if (value.empty()) {
        problems.add(field, std::string(key) + " must not be empty");
        return std::nullopt;
    }
    if (value.size() > max_length) {
        problems.add(field, std::string(key) + " is longer than " + std::to_string(max_length) + " characters");
        return std::nullopt;
    }
    return value;
}

std::optional<long long> integer_field(const json& config, const char* key, bool required, long long min,
                                       long long max, Problems& problems) {
    std::string field = std::string("/") + key;
    auto it = config.find(key);
    if (it == config.end()) {
        if (required) problems.add(field, std::string(key) + " is required");
        return std::nullopt;
    }
    if (!it->is_number_integer()) {
        problems.add(field, std::string(key) + " must be an integer");
        return std::nullopt;
    }
    long long value = it->get<long long>();
    if (value < min || value > max) {
        problems.add(field, std::string(key) + " must be between " + std::to_string(min) + " and " +
                                std::to_string(max) + ", not " + std::to_string(value));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> bool_field(const json& config, const char* key, Problems& problems) {
    auto it = config.find(key);
    if (it == config.end()) return std::nullopt;
    if (!it->is_boolean()) {
        problems.add(std::string("/") + key, std::string(key) + " must be true or false");
        return std::nullopt;
    }
    return it->get<bool>();
}

bool is_variable_name(const std::string& name) {
    if (name.empty() || name.size() > 100) return false;
    if (!(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

StepState parse_state(const std::string& state_json) {
    json parsed = json::parse(state_json);
    StepState state;
    if (!parsed.is_object()) return state;
    if (parsed.contains("config") && parsed["config"].is_object()) state.config = parsed["config"];
    if (parsed.contains("variables") && parsed["variables"].is_object()) state.variables = parsed["variables"];
    if (parsed.contains("user_text") && parsed["user_text"].is_string()) state.user_text = parsed["user_text"];
    if (parsed.contains("dtmf") && parsed["dtmf"].is_string()) state.dtmf = parsed["dtmf"];
    if (parsed.contains("first") && parsed["first"].is_boolean()) state.first = parsed["first"];
    return state;
}

std::string substitute(const std::string& text, const json& variables) {
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t open = text.find("{{", at);
        if (open == std::string::npos) break;
        std::size_t close = text.find("}}", open + 2);
        if (close == std::string::npos) break;
        out.append(text, at, open - at);
        std::string name = text.substr(open + 2, close - open - 2);
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        auto it = variables.find(name);
        if (it != variables.end()) out += it->is_string() ? it->get<std::string>() : it->dump();
        at = close + 2;
    }
    out.append(text, at, std::string::npos);
    return out;
}

}  // namespace vox::flow_nodes
