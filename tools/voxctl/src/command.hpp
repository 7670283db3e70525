// A voxctl subcommand: its name, help and the function that runs it. Each
// lives in its own <name>_command.cpp and is listed in main.cpp.
#pragma once

#include "args.hpp"

#include <functional>
#include <string>
#include <vector>

namespace voxctl {

// Exit statuses: 0 success, 1 the work failed, 2 bad usage.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct Command {
    std::string name;
    std::string summary;      // one line, for "voxctl --help"
    std::string usage;        // "voxctl tts [options]"
    std::string description;  // a paragraph (with examples) for "voxctl <name> --help"
    std::vector<OptionSpec> options;
    bool takes_arguments = false;  // positional arguments allowed (else they are a usage error)
    // Runs with parsed options; throws UsageError for bad usage, anything
    // else for a failure (main prints it and returns kExitFailure).
    std::function<int(const ParsedArgs& args)> run;
    int usage_exit = kExitUsage;  // exit status for bad usage (voxctl call: 64, EX_USAGE)
};

// Help text of one command.
std::string command_help(const Command& command);

Command make_tts_command();
Command make_stt_command();
Command make_llm_command();
Command make_plugins_command();
Command make_keys_command();
Command make_call_command();
Command make_reload_command();

}  // namespace voxctl
