// The signals voxd is controlled by: SIGTERM, SIGINT and SIGQUIT stop it,
// SIGHUP reloads its configuration. They are blocked in every thread and
// taken synchronously by the main thread, so no handler runs inside a plugin.
#pragma once

#include <chrono>
#include <optional>

namespace vox::host {

// Blocks the control signals in the calling thread and so in every thread it
// starts afterwards. Call first thing in main, before any thread exists.
void block_control_signals();

// Waits up to `timeout` for a control signal; its number, or nothing.
std::optional<int> wait_for_control_signal(std::chrono::milliseconds timeout);

// Whether `signal` asks for a reload (else it asks voxd to stop).
bool is_reload_signal(int signal);

// Makes the main thread's wait_for_control_signal() return a reload signal.
void raise_reload_signal();

}  // namespace vox::host
