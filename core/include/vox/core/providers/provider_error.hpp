// A provider call that failed: the plugin's status code and its own message,
// carried as an exception on the host side (the ABI itself never throws).
#pragma once

#include <vox/plugin.h>

#include <stdexcept>
#include <string>

namespace vox {

class ProviderError : public std::runtime_error {
public:
    // what() reads "<provider key>: <message>" (the message alone when it starts with that already).
    ProviderError(vox_status code, std::string provider_key, std::string message);

    vox_status code() const noexcept { return code_; }
    const std::string& provider_key() const noexcept { return provider_key_; }
    const std::string& message() const noexcept { return message_; }  // the plugin's words
    const char* code_name() const noexcept;                           // "invalid_argument", ...

private:
    vox_status code_;
    std::string provider_key_;
    std::string message_;
};

}  // namespace vox
