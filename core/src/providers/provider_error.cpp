#include <vox/core/providers/provider_error.hpp>
#include <vox/sdk/error.hpp>

namespace vox {
namespace {

// Plugins often name themselves already ("stt.deepgram: the stream was lost"): no second prefix.
std::string prefixed(const std::string& provider_key, const std::string& message) {
    if (!provider_key.empty() && message.starts_with(provider_key + ":")) return message;
    return provider_key + ": " + message;
}

}  // namespace

ProviderError::ProviderError(vox_status code, std::string provider_key, std::string message)
    : std::runtime_error(prefixed(provider_key, message)),
      code_(code),
      provider_key_(std::move(provider_key)),
      message_(std::move(message)) {}

const char* ProviderError::code_name() const noexcept { return sdk::status_name(code_); }

}  // namespace vox
