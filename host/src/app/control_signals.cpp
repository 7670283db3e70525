#include "app/control_signals.hpp"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <ctime>

namespace vox::host {
namespace {

sigset_t control_set() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGQUIT);
    sigaddset(&set, SIGHUP);
    return set;
}

}  // namespace

void block_control_signals() {
    sigset_t set = control_set();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::optional<int> wait_for_control_signal(std::chrono::milliseconds timeout) {
    sigset_t set = control_set();
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    timespec wait{static_cast<std::time_t>(seconds.count()),
                  static_cast<long>(std::chrono::nanoseconds(timeout - seconds).count())};
    int signal = sigtimedwait(&set, nullptr, &wait);
    if (signal < 0) return std::nullopt;  // timeout or EINTR
    return signal;
}

bool is_reload_signal(int signal) { return signal == SIGHUP; }

void raise_reload_signal() { ::kill(::getpid(), SIGHUP); }

}  // namespace vox::host
