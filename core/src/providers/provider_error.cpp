#include <vox/core/providers/provider_error.hpp>
#include <vox/sdk/error.hpp>

namespace vox {

ProviderError::ProviderError(vox_status code, std::string provider_key, std::string message)
    : std::runtime_error(provider_key + ": " + message),
      code_(code),
      provider_key_(std::move(provider_key)),
      message_(std::move(message)) {}

const char* ProviderError::code_name() const noexcept { return sdk::status_name(code_); }

}  // namespace vox
