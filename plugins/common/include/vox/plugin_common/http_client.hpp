// One HTTP(S) request to a cloud service, with what every request of the
// cloud plugins needs: the key in the service's header, timeouts (connect,
// first byte, between two reads of the body), retries with exponential
// backoff while no byte of an answer has arrived (connect failures, 5xx, 429
// honouring a short Retry-After), HTTP statuses mapped to vox statuses, and
// cancellation from another thread. No message ever contains the key.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <istream>
#include <mutex>
#include <string>

namespace Poco::Net {
class HTTPClientSession;
}

namespace vox::plugin_common {

// Where and how a plugin's requests go; made from the plugin's own config.
struct HttpSettings {
    std::string provider_key;  // e.g. "tts.openai", for messages
    std::string base_url;      // without a trailing '/'
    std::string api_key;       // sent as `auth_header: auth_prefix + api_key` when not empty
    std::string auth_header = "Authorization";
    std::string auth_prefix = "Bearer ";
    std::string user_agent;
    std::string ca_file;  // PEM file of CAs trusted besides the system's, for https ("" for none)
    std::chrono::milliseconds connect_timeout{10000};
    std::chrono::milliseconds first_byte_timeout{30000};  // from the request sent to the response headers
    std::chrono::milliseconds read_timeout{30000};        // longest silence between two chunks of the body
    int retries = 2;                                      // extra attempts before any byte of an answer
    std::chrono::milliseconds retry_delay{200};           // backoff: retry_delay * 2^attempt
    // Error bodies may be {"detail": {"status": ..., "message": ...}}
    // (ElevenLabs); a detail status of quota_exceeded, which comes as a 401,
    // is then VOX_ERR_RATE_LIMITED and not retried.
    bool detail_objects = false;
};

// Lets another thread stop one request: cancel() wakes a backoff sleep and
// shuts the socket down so a blocked read returns at once.
class RequestControl {
public:
    void cancel() noexcept;
    bool cancelled() const;
    // Sleeps unless cancelled first; false when cancelled.
    bool sleep_for(std::chrono::milliseconds delay);
    void attach(Poco::Net::HTTPClientSession* session);
    void detach();

private:
    mutable std::mutex mutex_;
    std::condition_variable woken_;
    bool cancelled_ = false;
    Poco::Net::HTTPClientSession* session_ = nullptr;
};

struct HttpRequest {
    std::string path;  // after base_url, may end in a query: "/v1/voices", "/a/b?c=d"
    std::string content_type;
    std::string accept;
    std::string body;
    std::string method = "POST";  // or "GET" (no body)
};

// Sends `request` to settings.base_url + request.path and hands the body of
// the 200 answer to `read_body` (which reads it, as a stream, to its end).
// Throws sdk::Error: VOX_ERR_CANCELLED after control.cancel(), VOX_ERR_AUTH
// (401, 403), VOX_ERR_RATE_LIMITED (429), VOX_ERR_TIMEOUT (no answer within
// first_byte_timeout, or the body stalled for read_timeout),
// VOX_ERR_UNAVAILABLE (unreachable, 5xx, connection dropped mid-answer, a
// certificate that fails verification: not retried), ...
// Each retry is reported to `warn` (a log line for the operator; never the key).
void post(const HttpSettings& settings, const HttpRequest& request, RequestControl& control,
          const std::function<void(std::istream& body)>& read_body,
          const std::function<void(const std::string& message)>& warn = {});

}  // namespace vox::plugin_common
