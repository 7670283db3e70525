// The TLS client context of the cloud plugins: the system's CA certificates,
// relaxed verification (the peer's certificate is checked), and a certificate
// that fails verification refused rather than handed to an interactive handler.
#pragma once

#include <Poco/Net/Context.h>

namespace vox::plugin_common {

// Made once per plugin (initializing Poco's SSL on first use), then shared.
Poco::Net::Context::Ptr tls_context();

}  // namespace vox::plugin_common
