// vox/sdk/error.hpp — errors inside a plugin, and the guard that turns them
// into status codes at the C boundary (no exception may cross it).
#pragma once

#include <vox/plugin.h>

#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>

namespace vox::sdk {

// Throw this from plugin code to return a specific status to the host.
class Error : public std::runtime_error {
public:
    Error(vox_status code, const std::string& message) : std::runtime_error(message), code_(code) {}
    vox_status code() const noexcept { return code_; }

private:
    vox_status code_;
};

// Copies `message` into a caller-owned vox_error, truncating to fit.
inline void fill_error(vox_error* err, vox_status code, const char* message) noexcept {
    if (err == nullptr || err->struct_size < sizeof(vox_error)) return;
    err->code = code;
    std::size_t length = std::strlen(message);
    if (length >= VOX_ERROR_MESSAGE_CAPACITY) length = VOX_ERROR_MESSAGE_CAPACITY - 1;
    std::memcpy(err->message, message, length);
    err->message[length] = '\0';
}

// Runs `body` and converts any exception into a status plus message.
template <class Body>
vox_status guarded(vox_error* err, Body&& body) noexcept {
    try {
        body();
        return VOX_OK;
    } catch (const Error& e) {
        fill_error(err, e.code(), e.what());
        return e.code();
    } catch (const std::bad_alloc&) {
        fill_error(err, VOX_ERR_INTERNAL, "out of memory");
        return VOX_ERR_INTERNAL;
    } catch (const std::exception& e) {
        fill_error(err, VOX_ERR_INTERNAL, e.what());
        return VOX_ERR_INTERNAL;
    } catch (...) {
        fill_error(err, VOX_ERR_INTERNAL, "unknown exception");
        return VOX_ERR_INTERNAL;
    }
}

// For functions that cannot report an error (cancel, close): swallow it.
template <class Body>
void guarded_void(Body&& body) noexcept {
    try {
        body();
    } catch (...) {
    }
}

inline const char* status_name(vox_status code) noexcept {
    switch (code) {
    case VOX_OK: return "ok";
    case VOX_ERR_INVALID_ARGUMENT: return "invalid_argument";
    case VOX_ERR_UNSUPPORTED: return "unsupported";
    case VOX_ERR_NOT_FOUND: return "not_found";
    case VOX_ERR_UNAVAILABLE: return "unavailable";
    case VOX_ERR_TIMEOUT: return "timeout";
    case VOX_ERR_CANCELLED: return "cancelled";
    case VOX_ERR_AUTH: return "auth";
    case VOX_ERR_RATE_LIMITED: return "rate_limited";
    case VOX_ERR_INTERNAL: return "internal";
    }
    return "unknown";
}

}  // namespace vox::sdk
