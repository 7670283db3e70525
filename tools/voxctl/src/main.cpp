// voxctl: the Vox command-line client. "voxctl <command> [options]"; each
// command is one file (see command.hpp), listed here.
#include "command.hpp"

#include <vox/core/log.hpp>
#include <vox/core/providers/provider_error.hpp>

#include <exception>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#ifndef VOX_VERSION
#define VOX_VERSION "unknown"
#endif

namespace voxctl {

std::string command_help(const Command& command) {
    std::ostringstream out;
    out << "Usage: " << command.usage << "\n\n" << command.summary << ".\n";
    if (!command.description.empty()) out << "\n" << command.description << "\n";
    out << "\nOptions:\n" << format_options(command.options);
    return out.str();
}

namespace {

std::vector<Command> all_commands() { return {make_tts_command(), make_stt_command(), make_llm_command(), make_plugins_command(), make_keys_command(), make_call_command(),
            make_reload_command()}; }

const std::vector<OptionSpec>& global_options() {
    static const std::vector<OptionSpec> options = {
        {"log-level", "LEVEL", "trace, debug, info, warn (default), error, critical or off; logs go to stderr"},
        {"version", "", "print the version"},
    };
    return options;
}

std::string main_help(const std::vector<Command>& commands) {
    std::ostringstream out;
    out << "Usage: voxctl [--log-level LEVEL] <command> [options]\n\n"
           "The Vox command-line client: runs providers standalone and manages API keys.\n\nCommands:\n";
    std::size_t width = 4;
    for (const auto& command : commands) width = std::max(width, command.name.size());
    for (const auto& command : commands)
        out << "  " << command.name << std::string(width - command.name.size() + 2, ' ') << command.summary << "\n";
    out << "  help" << std::string(width - 4 + 2, ' ') << "show the help of a command\n";
    out << "\nGlobal options:\n" << format_options(global_options());
    out << "\nRun 'voxctl <command> --help' for a command's options.\n";
    return out.str();
}

int usage_error(const std::string& message, const std::string& usage_line, const std::string& help_hint) {
    std::cerr << "voxctl: " << message << "\nUsage: " << usage_line << "\n" << help_hint << "\n";
    return kExitUsage;
}

int run(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::vector<Command> commands = all_commands();
    const std::string main_usage = "voxctl [--log-level LEVEL] <command> [options]";

    // Global options come before the command name.
    std::size_t first = 0;
    spdlog::level::level_enum level = spdlog::level::warn;
    for (; first < args.size() && args[first].rfind('-', 0) == 0; ++first) {
        const std::string& arg = args[first];
        if (arg == "-h" || arg == "--help") {
            std::cout << main_help(commands);
            return kExitOk;
        }
        if (arg == "--version") {
            std::cout << "voxctl " << VOX_VERSION << "\n";
            return kExitOk;
        }
        std::string name = arg;
        std::string value;
        if (auto eq = arg.find('='); eq != std::string::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        } else if (arg == "--log-level" && first + 1 < args.size()) {
            value = args[++first];
        }
        if (name != "--log-level") return usage_error("unknown option " + arg, main_usage, "Run 'voxctl --help'.");
        if (!vox::log::parse_level(value, level))
            return usage_error("--log-level must be one of trace, debug, info, warn, error, critical, off", main_usage,
                               "Run 'voxctl --help'.");
    }
    vox::log::configure(vox::log::Format::text, level);

    if (first >= args.size()) {
        std::cerr << "voxctl: no command given\n\n" << main_help(commands);
        return kExitUsage;
    }
    std::string name = args[first];
    std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(first) + 1, args.end());
    if (name == "help") {
        if (rest.empty()) {
            std::cout << main_help(commands);
            return kExitOk;
        }
        name = rest.front();
        rest = {"--help"};
    }
    auto command = std::find_if(commands.begin(), commands.end(), [&](const Command& c) { return c.name == name; });
    if (command == commands.end()) {
        std::string names;
        for (const auto& c : commands) names += (names.empty() ? "" : ", ") + c.name;
        return usage_error("unknown command '" + name + "' (commands: " + names + ")", main_usage,
                           "Run 'voxctl --help'.");
    }

    std::string hint = "Run 'voxctl " + command->name + " --help' for its options.";
    try {
        ParsedArgs parsed = parse_args(rest, command->options);
        if (parsed.flag("help")) {
            std::cout << command_help(*command);
            return kExitOk;
        }
        if (!command->takes_arguments && !parsed.positional().empty()) throw UsageError("unexpected argument '" + parsed.positional().front() + "'");
        return command->run(parsed);
    } catch (const UsageError& e) {
        usage_error(e.what(), command->usage, hint);
        return command->usage_exit;
    } catch (const vox::ProviderError& e) {
        std::cerr << "voxctl " << command->name << ": " << e.what() << " [" << e.code_name() << "]\n";
        return kExitFailure;
    } catch (const std::exception& e) {
        std::cerr << "voxctl " << command->name << ": " << e.what() << "\n";
        return kExitFailure;
    }
}

}  // namespace
}  // namespace voxctl

int main(int argc, char** argv) {
    try {
        return voxctl::run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "voxctl: " << e.what() << "\n";
        return voxctl::kExitFailure;
    }
}
