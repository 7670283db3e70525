// Access tokens of web calls: 32 random bytes from the kernel's CSPRNG in
// base64url without padding (43 characters), admitting one caller to one call
// for a short time (docs/protocol.md section 1). The transport checks them on
// its socket; voxd also accepts a call's token on that call's event socket.
#pragma once

#include <string>
#include <string_view>

namespace vox::host {

std::string new_access_token();

// Compares in time independent of where the texts differ (a token check must
// not tell an attacker how many leading characters were right).
bool same_token(std::string_view a, std::string_view b);

}  // namespace vox::host
