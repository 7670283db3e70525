#include "voxd_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef VOXD_PATH
#error "VOXD_PATH must name the voxd executable under test"
#endif

extern char** environ;

namespace vox::test {
namespace {

std::vector<std::string> child_environment(const Environment& extra) {
    std::vector<std::string> entries;
    for (char** entry = environ; *entry != nullptr; ++entry)
        // Neither the caller's VOX_* settings nor an OpenAI key or endpoint
        // (llm.openai would then load and reach the internet).
        if (std::string_view(*entry).rfind("VOX_", 0) != 0 && std::string_view(*entry).rfind("OPENAI_", 0) != 0)
            entries.emplace_back(*entry);
    for (const auto& [name, value] : extra) entries.push_back(name + "=" + value);
    if (!extra.count("VOX_BOOTSTRAP_API_KEY")) entries.push_back(std::string("VOX_BOOTSTRAP_API_KEY=") + kTestApiKey);
    // Test voxds run side by side: the web-call transport takes a free port
    // rather than its fixed default (8081).
    if (!extra.count("VOX_PROVIDER_TRANSPORT_WEBSOCKET_PORT")) entries.emplace_back("VOX_PROVIDER_TRANSPORT_WEBSOCKET_PORT=0");
    // Tests count the agents they make: no demo agent unless a test asks for it.
    if (!extra.count("VOX_BOOTSTRAP_DEMO_AGENT")) entries.emplace_back("VOX_BOOTSTRAP_DEMO_AGENT=false");
    return entries;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (auto& s : strings) result.push_back(s.data());
    result.push_back(nullptr);
    return result;
}

}  // namespace

ScratchDirectory::ScratchDirectory() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/voxd-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

ScratchDirectory::~ScratchDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

VoxdProcess::VoxdProcess(const std::vector<std::string>& args, const Environment& environment,
                         const std::filesystem::path& work_dir)
    : log_file_(work_dir / "voxd.log") {
    // Everything the child needs is prepared before fork(): after it, only
    // async-signal-safe calls are allowed in a multi-threaded parent.
    std::vector<std::string> argv_strings{VOXD_PATH};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<std::string> env_strings = child_environment(environment);
    auto argv = pointers(argv_strings);
    auto envp = pointers(env_strings);
    std::string dir = work_dir.string();
    std::string log = log_file_.string();

    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || ::chdir(dir.c_str()) != 0) ::_exit(127);
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
}

VoxdProcess::~VoxdProcess() {
    if (pid_ > 0 && !exit_code_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

std::uint16_t VoxdProcess::start_listening(std::optional<VoxdProcess>& slot, std::vector<std::string> args,
                                           const Environment& environment, const std::filesystem::path& work_dir) {
    auto port_file = work_dir / "voxd.port";
    args.insert(args.end(), {"--port", "0", "--port-file", port_file.string()});
    slot.emplace(args, environment, work_dir);
    return slot->wait_for_port(port_file, std::chrono::seconds(15));
}

std::uint16_t VoxdProcess::wait_for_port(const std::filesystem::path& port_file, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream in(port_file);
        int port = 0;
        if (in >> port && port > 0) return static_cast<std::uint16_t>(port);
        if (wait_for_exit(std::chrono::milliseconds(0))) return 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 0;
}

void VoxdProcess::send_signal(int signal_number) {
    if (pid_ > 0 && !exit_code_) ::kill(pid_, signal_number);
}

std::optional<int> VoxdProcess::wait_for_exit(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exit_code_) {
        int status = 0;
        pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return exit_code_;
}

std::string VoxdProcess::output() const {
    std::ifstream in(log_file_);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<nlohmann::json> VoxdProcess::log_lines() const {
    std::vector<nlohmann::json> lines;
    std::istringstream in(output());
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto parsed = nlohmann::json::parse(line, nullptr, false);
        lines.push_back(parsed.is_object() ? parsed : nlohmann::json{{"unparsed", line}});
    }
    return lines;
}

nlohmann::json VoxdProcess::find_log(const std::string& message) const {
    for (auto& line : log_lines())
        if (line.value("msg", "") == message) return line;
    return nullptr;
}

std::pair<int, std::string> run_voxd(const std::vector<std::string>& args, const Environment& environment,
                                     const std::filesystem::path& work_dir) {
    VoxdProcess process(args, environment, work_dir);
    auto code = process.wait_for_exit(std::chrono::seconds(15));
    return {code.value_or(-1), process.output()};
}

}  // namespace vox::test
