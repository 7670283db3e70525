// Test helpers that run the built voxd as a child process: start it in a
// scratch directory with a clean VOX_* environment, learn its ephemeral port
// from --port-file, signal it, collect its exit status and its JSON log lines.
#pragma once

#include "http_client.hpp"

#include <nlohmann/json.hpp>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vox::test {

using Environment = std::map<std::string, std::string>;

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class ScratchDirectory {
public:
    ScratchDirectory();
    ~ScratchDirectory();
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

class VoxdProcess {
public:
    // Starts voxd with `args` in `work_dir`. Its environment is this process's
    // without any VOX_* variable, plus `environment` (by default with the
    // transport on a free port and no demo agent); stdout and stderr go to
    // work_dir/voxd.log.
    VoxdProcess(const std::vector<std::string>& args, const Environment& environment,
                const std::filesystem::path& work_dir);
    ~VoxdProcess();  // kills voxd if it is still running
    VoxdProcess(const VoxdProcess&) = delete;
    VoxdProcess& operator=(const VoxdProcess&) = delete;

    // Starts voxd on an ephemeral port (adds --port 0 --port-file) and waits
    // until it listens. Returns the port, or 0 if voxd exited or took too long.
    static std::uint16_t start_listening(std::optional<VoxdProcess>& slot, std::vector<std::string> args,
                                         const Environment& environment, const std::filesystem::path& work_dir);

    std::uint16_t wait_for_port(const std::filesystem::path& port_file, std::chrono::milliseconds timeout);
    void send_signal(int signal_number);
    // The exit code (128 + signal number if killed), or nullopt if still running.
    std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

    std::string output() const;
    // Every output line parsed as JSON; a line that is not JSON is returned as
    // {"unparsed": "<line>"} so tests can point at it.
    std::vector<nlohmann::json> log_lines() const;
    // The first log line whose "msg" equals `message`, or null.
    nlohmann::json find_log(const std::string& message) const;

private:
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
    std::filesystem::path log_file_;
};

// Runs voxd to completion (for runs expected to fail fast): {exit code, output}.
std::pair<int, std::string> run_voxd(const std::vector<std::string>& args, const Environment& environment,
                                     const std::filesystem::path& work_dir);

}  // namespace vox::test
