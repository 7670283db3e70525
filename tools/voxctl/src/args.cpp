#include "args.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace voxctl {

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
    auto found = values_.find(name);
    if (found == values_.end()) return std::nullopt;
    return found->second;
}

std::vector<std::string> ParsedArgs::values(const std::string& name) const {
    auto found = all_values_.find(name);
    return found == all_values_.end() ? std::vector<std::string>{} : found->second;
}

std::string ParsedArgs::value_or(const std::string& name, const std::string& fallback) const {
    return value(name).value_or(fallback);
}

std::string ParsedArgs::required(const std::string& name) const {
    auto found = value(name);
    if (!found) throw UsageError("missing required option --" + name);
    return *found;
}

ParsedArgs parse_args(std::span<const std::string> args, std::span<const OptionSpec> specs) {
    ParsedArgs parsed;
    bool options_ended = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (options_ended || arg == "-" || arg.rfind('-', 0) != 0) {
            parsed.positional_.push_back(arg);
            continue;
        }
        if (arg == "--") {
            options_ended = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            parsed.flags_.insert("help");
            continue;
        }
        if (arg.rfind("--", 0) != 0) throw UsageError("unknown option " + arg + " (options start with --)");
        std::string name = arg.substr(2);
        std::optional<std::string> inline_value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name.resize(eq);
        }
        auto spec = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.name == name; });
        if (spec == specs.end()) throw UsageError("unknown option --" + name);
        if (spec->value_name.empty()) {
            if (inline_value) throw UsageError("option --" + name + " takes no value");
            parsed.flags_.insert(name);
            continue;
        }
        if (inline_value) {
            parsed.values_[name] = *inline_value;
        } else if (i + 1 < args.size()) {
            parsed.values_[name] = args[++i];
        } else {
            throw UsageError("option --" + name + " needs a value (" + spec->value_name + ")");
        }
        parsed.all_values_[name].push_back(parsed.values_[name]);
    }
    return parsed;
}

std::string format_options(std::span<const OptionSpec> specs) {
    std::vector<std::pair<std::string, std::string>> rows;
    std::size_t width = 0;
    for (const auto& spec : specs) {
        std::string left = "--" + spec.name + (spec.value_name.empty() ? "" : " " + spec.value_name);
        width = std::max(width, left.size());
        rows.emplace_back(left, spec.help);
    }
    rows.emplace_back("-h, --help", "show this help");
    width = std::max<std::size_t>(width, 10);
    std::ostringstream out;
    for (const auto& [left, help] : rows)
        out << "  " << left << std::string(width - left.size() + 2, ' ') << help << "\n";
    return out.str();
}

long parse_integer(const std::string& option, const std::string& text, long min, long max) {
    errno = 0;
    char* end = nullptr;
    long value = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || end == nullptr || *end != '\0' || errno != 0 || value < min || value > max)
        throw UsageError("--" + option + " must be a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", got '" + text + "'");
    return value;
}

double parse_number(const std::string& option, const std::string& text, double min, double max) {
    errno = 0;
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end == nullptr || *end != '\0' || errno != 0 || !(value >= min && value <= max)) {
        std::ostringstream range;
        range << min << " to " << max;
        throw UsageError("--" + option + " must be a number from " + range.str() + ", got '" + text + "'");
    }
    return value;
}

}  // namespace voxctl
