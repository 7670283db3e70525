// The web callers the host told the transport to expect (dial): each call id
// with its access token, admitted once, until the token expires.
// Thread-safe: dial() runs on host threads, admission on the HTTP threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace vox::transport_ws {

struct ExpectedCaller {
    std::string call_id;
    std::string access_token;
    std::uint32_t sample_rate = 16000;
    std::chrono::steady_clock::time_point expires_at;
};

class ExpectedCallers {
public:
    enum class Admission { admitted, unknown_call, wrong_token, used_token, expired_token };

    // Expects `caller`; a second dial for the same call id replaces the first.
    void expect(ExpectedCaller caller);

    // Checks the token of a caller connecting to `call_id` and, when it is
    // good, uses it up and fills `admitted`.
    Admission admit(const std::string& call_id, const std::string& token, std::chrono::steady_clock::time_point now,
                    ExpectedCaller& admitted);

    // Callers expected and not yet connected (expired ones are forgotten).
    std::size_t waiting(std::chrono::steady_clock::time_point now);

    void clear();

private:
    struct Entry {
        ExpectedCaller caller;
        bool used = false;
    };
    void purge(std::chrono::steady_clock::time_point now);  // with mutex_ held

    std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

const char* admission_name(ExpectedCallers::Admission admission);

}  // namespace vox::transport_ws
