#include "config/layered_config.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace vox::host {

std::string environment_variable_for(std::string_view key) {
    std::string name = "VOX_";
    for (char c : key)
        name += (c == '.' || c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return name;
}

void LayeredConfig::add_values(std::string source, ConfigValues values) {
    layers_.push_back({std::move(source), std::move(values), false});
}

void LayeredConfig::add_environment(ConfigValues variables) {
    layers_.push_back({"environment", std::move(variables), true});
}

std::optional<ResolvedValue> LayeredConfig::find(std::string_view key) const {
    std::string normal = normalize_key(key);
    for (auto layer = layers_.rbegin(); layer != layers_.rend(); ++layer) {
        if (layer->is_environment) {
            std::string variable = environment_variable_for(normal);
            if (auto found = layer->values.find(variable); found != layer->values.end())
                return ResolvedValue{found->second, "environment variable " + variable};
        } else if (auto found = layer->values.find(normal); found != layer->values.end()) {
            return ResolvedValue{found->second, layer->source};
        }
    }
    return std::nullopt;
}

std::string LayeredConfig::get(std::string_view key, std::string_view fallback) const {
    auto found = find(key);
    return found ? found->value : std::string(fallback);
}

std::vector<std::string> LayeredConfig::keys() const {
    std::set<std::string> all;
    for (const auto& layer : layers_)
        if (!layer.is_environment)
            for (const auto& [key, value] : layer.values) all.insert(key);
    return {all.begin(), all.end()};
}

std::vector<std::string> LayeredConfig::keys_unknown_to_base() const {
    std::vector<std::string> unknown;
    if (layers_.empty()) return unknown;
    const auto& base = layers_.front().values;
    for (const auto& key : keys())
        if (base.count(key) == 0) unknown.push_back(key);
    return unknown;
}

ConfigValues LayeredConfig::section(std::string_view prefix) const {
    std::string key_prefix = normalize_key(prefix) + ".";
    std::string variable_prefix = environment_variable_for(normalize_key(prefix)) + "_";
    ConfigValues values;
    for (const auto& layer : layers_) {  // lowest first, so higher layers overwrite
        if (layer.is_environment) {
            for (const auto& [variable, value] : layer.values)
                if (variable.size() > variable_prefix.size() &&
                    variable.compare(0, variable_prefix.size(), variable_prefix) == 0)
                    values[normalize_key(variable.substr(variable_prefix.size()))] = value;
        } else {
            for (const auto& [key, value] : layer.values)
                if (key.size() > key_prefix.size() && key.compare(0, key_prefix.size(), key_prefix) == 0)
                    values[key.substr(key_prefix.size())] = value;
        }
    }
    return values;
}

ConfigValues LayeredConfig::unmatched_environment(const std::vector<std::string>& open_prefixes) const {
    std::set<std::string> known;
    for (const auto& key : keys()) known.insert(environment_variable_for(key));
    ConfigValues unmatched;
    for (const auto& layer : layers_) {
        if (!layer.is_environment) continue;
        for (const auto& [variable, value] : layer.values) {
            bool open = std::any_of(open_prefixes.begin(), open_prefixes.end(),
                                    [&](const std::string& p) { return variable.rfind(p, 0) == 0; });
            if (!open && known.count(variable) == 0) unmatched[variable] = value;
        }
    }
    return unmatched;
}

}  // namespace vox::host
