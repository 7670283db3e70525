// Command-line options of a voxctl subcommand: "--name value", "--name=value",
// boolean flags and positional arguments, with help text generated from the
// same table so the two cannot disagree.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace voxctl {

// Bad usage: reported with the command's usage line, exit status 2.
class UsageError : public std::runtime_error {
public:
    explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

struct OptionSpec {
    std::string name;        // without the leading "--"
    std::string value_name;  // empty for a flag
    std::string help;
};

class ParsedArgs {
public:
    std::optional<std::string> value(const std::string& name) const;  // the last one given
    // Every value of an option given more than once, in order.
    std::vector<std::string> values(const std::string& name) const;
    std::string value_or(const std::string& name, const std::string& fallback) const;
    // The value, or a UsageError saying the option is required.
    std::string required(const std::string& name) const;
    bool flag(const std::string& name) const { return flags_.count(name) != 0; }
    const std::vector<std::string>& positional() const { return positional_; }

private:
    friend ParsedArgs parse_args(std::span<const std::string>, std::span<const OptionSpec>);
    std::map<std::string, std::string> values_;
    std::map<std::string, std::vector<std::string>> all_values_;
    std::set<std::string> flags_;
    std::vector<std::string> positional_;
};

// Parses `args` (after the subcommand name). "-h" means "--help", which every
// command accepts. Throws UsageError on an unknown option or a missing value.
ParsedArgs parse_args(std::span<const std::string> args, std::span<const OptionSpec> specs);

// The options table as help text, one option per line.
std::string format_options(std::span<const OptionSpec> specs);

// Parses a whole number within [min, max] or throws UsageError naming the option.
long parse_integer(const std::string& option, const std::string& text, long min, long max);
double parse_number(const std::string& option, const std::string& text, double min, double max);

}  // namespace voxctl
