// The TLS client context of the cloud plugins: the system's CA certificates
// plus, optionally, a PEM file of the operator's own CAs (the `ca_file`
// setting, for self-hosted servers behind a private CA); TLS 1.2 or newer.
// The certificate chain and the host name are always verified, by OpenSSL
// itself: neither an invalid-certificate handler installed elsewhere in the
// process nor Poco's local-host exemption can turn that off.
#pragma once

#include <Poco/Net/Context.h>
#include <nlohmann/json_fwd.hpp>

#include <string>

namespace vox::plugin_common {

// The context for connections to `host` (checked against the certificate's
// names; an IP address against its IP entries), trusting `ca_file` too when
// it is not "". Made once per host, CA file and CA file version, then shared.
// Throws sdk::Error(VOX_ERR_INVALID_ARGUMENT) when ca_file is unusable.
Poco::Net::Context::Ptr tls_context(const std::string& host, const std::string& ca_file = "");

// The `ca_file` setting of `provider` (e.g. "stt.deepgram"): the path of a
// readable file of PEM certificates ("" for none), checked now so that a
// wrong one refuses the plugin with the reason instead of failing every
// connection later.
std::string ca_file_setting(const nlohmann::json& value, const std::string& provider);

// Call before connecting: forgets what an earlier handshake on this thread
// said about its certificate.
void begin_tls_handshake();

// After a connection to `host` failed on this thread: why its certificate
// was refused ("certificate verify failed for ..."), or "" when it was not
// the certificate.
std::string certificate_failure(const std::string& host);

}  // namespace vox::plugin_common
