#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/http_client.hpp>
#include <vox/plugin_common/response_body.hpp>
#include <vox/plugin_common/tls.hpp>
#include <vox/sdk/error.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include <memory>
#include <optional>
#include <ostream>

namespace vox::plugin_common {
namespace {

// A Retry-After longer than this is not waited for: the turn would be lost
// anyway, and the caller learns at once that the service is rate limiting.
constexpr std::chrono::milliseconds kLongestRetryAfter{5000};

Poco::Timespan span(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

// A client session whose connection can be read raw (see response_body.hpp).
template <class Base>
class RawSession final : public Base {
public:
    using Base::Base;
    int raw_read(char* buffer, std::streamsize length) { return this->read(buffer, length); }
};

struct OpenSession {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    ResponseBody::RawRead raw_read;
};

OpenSession open_session(const Poco::URI& uri, const std::string& ca_file) {
    if (uri.getScheme() == "https") {
        auto session = std::make_unique<RawSession<Poco::Net::HTTPSClientSession>>(uri.getHost(), uri.getPort(),
                                                                                   tls_context(uri.getHost(), ca_file));
        auto* raw = session.get();
        return {std::move(session),
                [raw](char* buffer, std::streamsize length) { return raw->raw_read(buffer, length); }};
    }
    auto session = std::make_unique<RawSession<Poco::Net::HTTPClientSession>>(uri.getHost(), uri.getPort());
    auto* raw = session.get();
    return {std::move(session), [raw](char* buffer, std::streamsize length) { return raw->raw_read(buffer, length); }};
}

vox_status status_for_http(int status) {
    if (status == 401 || status == 403) return VOX_ERR_AUTH;
    if (status == 429) return VOX_ERR_RATE_LIMITED;
    if (status == 408 || status == 504) return VOX_ERR_TIMEOUT;
    if (status == 404) return VOX_ERR_NOT_FOUND;
    if (status == 400 || status == 413 || status == 415 || status == 422) return VOX_ERR_INVALID_ARGUMENT;
    return VOX_ERR_UNAVAILABLE;
}

// "HTTP 401 Unauthorized: <the server's message>" from an error response.
// With `detail_objects`, {"detail": {"status": ..., "message": ...}} is read
// too and `detail_status` receives that status.
std::string http_error_message(int status, const std::string& reason, std::istream& body, bool detail_objects,
                               std::string& detail_status) {
    std::string text;
    char buffer[4096];
    try {
        while (text.size() < 65536 && body.read(buffer, sizeof buffer).gcount() > 0)
            text.append(buffer, static_cast<std::size_t>(body.gcount()));
    } catch (const std::exception&) {
        // An unreadable error body still leaves the status to report.
    }
    std::string message;
    auto document = nlohmann::json::parse(text, nullptr, false);
    if (!document.is_discarded() && document.is_object()) {
        auto error = document.find("error");
        if (error != document.end() && error->is_object())
            message = error->value("message", "");
        else if (error != document.end() && error->is_string())
            message = error->get<std::string>();
        else if (auto detail = document.find("detail"); detail != document.end() && detail->is_string())
            message = detail->get<std::string>();  // FastAPI-based servers
        else if (detail_objects && detail != document.end() && detail->is_object()) {
            message = detail->value("message", "");
            detail_status = detail->value("status", "");
            if (!detail_status.empty()) message = detail_status + (message.empty() ? "" : ": " + message);
        } else
            message = document.value("message", "");
    }
    if (message.empty()) message = text.substr(0, 300);
    std::string result = "HTTP " + std::to_string(status) + " " + reason;
    if (!message.empty()) result += ": " + message;
    return result;
}

// Retry-After (seconds) or retry-after-ms (OpenAI's), when present and sane.
std::optional<std::chrono::milliseconds> retry_after(const Poco::Net::HTTPResponse& response) {
    auto parse = [](const std::string& text) -> std::optional<long long> {
        char* end = nullptr;
        long long value = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || end == nullptr || *end != '\0' || value < 0) return std::nullopt;
        return value;
    };
    if (auto ms = parse(response.get("retry-after-ms", ""))) return std::chrono::milliseconds(*ms);
    if (auto seconds = parse(response.get("Retry-After", ""))) return std::chrono::seconds(*seconds);
    return std::nullopt;
}

struct AttemptFailed {
    explicit AttemptFailed(sdk::Error e, bool may_retry = false,
                           std::optional<std::chrono::milliseconds> retry_after_wait = std::nullopt)
        : error(std::move(e)), retryable(may_retry), wait(retry_after_wait) {}
    sdk::Error error;
    bool retryable;
    std::optional<std::chrono::milliseconds> wait;  // instead of the backoff
};

sdk::Error cancelled_error() { return sdk::Error(VOX_ERR_CANCELLED, "the request was cancelled"); }

// Detaches the session from the control however the attempt ends.
struct Attached {
    Attached(RequestControl& c, Poco::Net::HTTPClientSession* session) : control(c) { control.attach(session); }
    ~Attached() { control.detach(); }
    Attached(const Attached&) = delete;
    Attached& operator=(const Attached&) = delete;
    RequestControl& control;
};

void attempt(const HttpSettings& config, const HttpRequest& request, RequestControl& control,
             const std::function<void(std::istream& body)>& read_body) {
    const std::string& key = config.api_key;
    Poco::URI uri(config.base_url);
    std::string prefix = uri.getPath();
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    // The query part of request.path goes in as it is (setPath would escape the '?').
    auto query = request.path.find('?');
    uri.setPath(prefix + request.path.substr(0, query));
    if (query != std::string::npos) uri.setRawQuery(request.path.substr(query + 1));
    auto [session, raw_read] = open_session(uri, config.ca_file);
    session->setTimeout(span(config.connect_timeout), span(config.connect_timeout), span(config.first_byte_timeout));
    Attached attached(control, session.get());
    if (control.cancelled()) throw AttemptFailed{cancelled_error()};

    Poco::Net::HTTPRequest http(request.method, uri.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
    http.set("User-Agent", config.user_agent);
    if (!key.empty()) http.set(config.auth_header, config.auth_prefix + key);
    if (!request.content_type.empty()) http.setContentType(request.content_type);
    if (!request.accept.empty()) http.set("Accept", request.accept);
    if (request.method != Poco::Net::HTTPRequest::HTTP_GET)
        http.setContentLength(static_cast<std::streamsize>(request.body.size()));
    try {
        begin_tls_handshake();
        session->sendRequest(http) << request.body << std::flush;
    } catch (const Poco::Exception& e) {
        if (control.cancelled()) throw AttemptFailed{cancelled_error()};
        // Another attempt would meet the same certificate.
        if (auto refused = certificate_failure(uri.getHost()); !refused.empty())
            throw AttemptFailed{
                sdk::Error(VOX_ERR_UNAVAILABLE,
                           redact(config.provider_key + ": cannot reach " + config.base_url + ": " + refused, key))};
        throw AttemptFailed{
            sdk::Error(VOX_ERR_UNAVAILABLE,
                       redact(config.provider_key + ": cannot reach " + config.base_url + ": " + e.displayText(), key)),
            true};
    }

    Poco::Net::HTTPResponse response;
    std::istream* error_body = nullptr;
    try {
        error_body = &session->receiveResponse(response);
    } catch (const Poco::TimeoutException&) {
        if (control.cancelled()) throw AttemptFailed{cancelled_error()};
        // Not retried: another attempt would likely keep the caller waiting as long again.
        throw AttemptFailed{sdk::Error(
            VOX_ERR_TIMEOUT, config.provider_key + ": no answer from " + config.base_url + " within " +
                                 std::to_string(config.first_byte_timeout.count()) + " ms (first_byte_timeout_ms)")};
    } catch (const Poco::Exception& e) {
        if (control.cancelled()) throw AttemptFailed{cancelled_error()};
        throw AttemptFailed{sdk::Error(VOX_ERR_UNAVAILABLE, redact(config.provider_key + ": no answer from " +
                                                                       config.base_url + ": " + e.displayText(),
                                                                   key)),
                            true};
    }

    int status = response.getStatus();
    if (status != Poco::Net::HTTPResponse::HTTP_OK) {
        std::string detail_status;
        std::string message = redact(
            config.provider_key + ": " +
                http_error_message(status, response.getReason(), *error_body, config.detail_objects, detail_status),
            key);
        if (control.cancelled()) throw AttemptFailed{cancelled_error()};
        // A used-up quota is no bad key: retrying will not help, but it is a rate limit to the operator.
        if (detail_status == "quota_exceeded") throw AttemptFailed{sdk::Error(VOX_ERR_RATE_LIMITED, message)};
        if (status == 429) {
            auto wait = retry_after(response);
            bool too_long = wait && *wait > kLongestRetryAfter;
            throw AttemptFailed{sdk::Error(VOX_ERR_RATE_LIMITED, message), !too_long, wait};
        }
        throw AttemptFailed{sdk::Error(status_for_http(status), message), status >= 500};
    }

    // From here bytes of the answer have arrived: nothing is retried, since
    // part of it may already have been delivered.
    auto framing = response.getChunkedTransferEncoding() ? ResponseBody::Framing::chunked
                   : response.hasContentLength()         ? ResponseBody::Framing::content_length
                                                         : ResponseBody::Framing::until_close;
    ResponseBody body_buffer(raw_read, framing,
                             framing == ResponseBody::Framing::content_length
                                 ? static_cast<std::streamsize>(response.getContentLength64())
                                 : 0);
    std::istream body(&body_buffer);
    try {
        session->socket().setReceiveTimeout(span(config.read_timeout));
        // Let the stream rethrow what broke it (a timeout, a dropped
        // connection) instead of only setting badbit, so the error can say which.
        body.exceptions(std::ios::badbit);
        read_body(body);
    } catch (const sdk::Error& e) {
        if (control.cancelled()) throw AttemptFailed{cancelled_error()};
        throw AttemptFailed{sdk::Error(e.code(), redact(e.what(), key))};
    } catch (const Poco::TimeoutException&) {
        if (control.cancelled()) throw AttemptFailed{cancelled_error()};
        throw AttemptFailed{sdk::Error(VOX_ERR_TIMEOUT, config.provider_key + ": " + config.base_url +
                                                            " stopped sending for " +
                                                            std::to_string(config.read_timeout.count()) +
                                                            " ms in the middle of the answer (read_timeout_ms)")};
    } catch (const std::exception& e) {
        if (control.cancelled()) throw AttemptFailed{cancelled_error()};
        throw AttemptFailed{
            sdk::Error(VOX_ERR_UNAVAILABLE, redact(config.provider_key + ": the connection to " + config.base_url +
                                                       " dropped in the middle of the answer: " +
                                                       (dynamic_cast<const Poco::Exception*>(&e) != nullptr
                                                            ? dynamic_cast<const Poco::Exception&>(e).displayText()
                                                            : std::string(e.what())),
                                                   key))};
    }
}

}  // namespace

void RequestControl::cancel() noexcept {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    woken_.notify_all();
    if (session_ == nullptr) return;
    // shutdown (not close) leaves the descriptor valid for the reading
    // thread, which then sees end of stream.
    try {
        auto fd = session_->socket().impl()->sockfd();
        if (fd != POCO_INVALID_SOCKET) ::shutdown(fd, SHUT_RDWR);
    } catch (...) {}
}

bool RequestControl::cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
}

bool RequestControl::sleep_for(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    woken_.wait_for(lock, delay, [&] { return cancelled_; });
    return !cancelled_;
}

void RequestControl::attach(Poco::Net::HTTPClientSession* session) {
    std::lock_guard lock(mutex_);
    session_ = session;
}

void RequestControl::detach() {
    std::lock_guard lock(mutex_);
    session_ = nullptr;
}

void post(const HttpSettings& config, const HttpRequest& request, RequestControl& control,
          const std::function<void(std::istream& body)>& read_body,
          const std::function<void(const std::string& message)>& warn) {
    for (int attempt_number = 0;; ++attempt_number) {
        try {
            attempt(config, request, control, read_body);
            return;
        } catch (AttemptFailed& failed) {
            if (!failed.retryable || attempt_number >= config.retries) throw failed.error;
            auto delay = failed.wait.value_or(config.retry_delay * (1LL << attempt_number));
            if (warn)
                warn(redact(std::string(failed.error.what()) + "; retrying in " + std::to_string(delay.count()) +
                                " ms (attempt " + std::to_string(attempt_number + 2) + " of " +
                                std::to_string(config.retries + 1) + ")",
                            config.api_key));
            if (!control.sleep_for(delay)) throw cancelled_error();
        }
    }
}

}  // namespace vox::plugin_common
