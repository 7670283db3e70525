// A configuration problem voxd cannot start with: a malformed file, a value of
// the wrong type, an unreadable --config file. voxd reports the message and
// exits with EX_CONFIG (78).
#pragma once

#include <stdexcept>

namespace vox::host {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace vox::host
