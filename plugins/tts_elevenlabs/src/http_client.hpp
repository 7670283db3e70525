// One HTTP(S) request to ElevenLabs' REST API (the stream endpoint, the
// voice list), with what every request of this plugin needs: the xi-api-key
// header, timeouts (connect, first byte, between
// two reads of the body), retries with exponential backoff while no byte of
// an answer has arrived (connect failures, 5xx, 429 honouring a short
// Retry-After), HTTP statuses mapped to vox statuses, and cancellation from
// another thread. No message ever contains the key.
#pragma once

#include "config.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <istream>
#include <mutex>
#include <string>

namespace Poco::Net {
class HTTPClientSession;
}

namespace vox::elevenlabs {

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
    std::string path;             // after base_url, e.g. "/v1/text-to-speech/<voice>/stream?output_format=pcm_16000"
    std::string method = "POST";  // or "GET" (no body)
    std::string content_type;
    std::string accept;
    std::string body;
};

// Sends `request` to config.base_url + request.path and hands the body of the
// 200 answer to `read_body` (which reads it, as a stream, to its end). Throws
// sdk::Error: VOX_ERR_CANCELLED after control.cancel(), VOX_ERR_AUTH (401,
// 403), VOX_ERR_RATE_LIMITED (429, or a 401 whose detail is quota_exceeded), VOX_ERR_TIMEOUT (no answer within
// first_byte_timeout, or the body stalled for read_timeout),
// VOX_ERR_UNAVAILABLE (unreachable, 5xx, connection dropped mid-answer), ...
// Each retry is reported to `warn` (a log line for the operator; never the key).
void post(const Config& config, const HttpRequest& request, RequestControl& control,
          const std::function<void(std::istream& body)>& read_body,
          const std::function<void(const std::string& message)>& warn = {});

// `text` with every occurrence of `key` replaced.
std::string redact(std::string text, const std::string& key);

}  // namespace vox::elevenlabs
