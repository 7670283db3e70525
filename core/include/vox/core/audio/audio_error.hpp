// The one exception type of vox::audio: a bad file, an unsupported format or
// a library failure, with a message that names the file or the parameters.
#pragma once

#include <stdexcept>
#include <string>

namespace vox::audio {

class AudioError : public std::runtime_error {
public:
    explicit AudioError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace vox::audio
