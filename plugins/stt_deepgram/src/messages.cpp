#include "messages.hpp"

#include <nlohmann/json.hpp>

namespace vox::deepgram {

std::optional<Result> parse_result(std::string_view text) {
    auto document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object() || document.value("type", "") != "Results") return {};
    Result result;
    auto flag = [&](const char* key) {
        auto found = document.find(key);
        return found != document.end() && found->is_boolean() && found->get<bool>();
    };
    auto number = [](const nlohmann::json& object, const char* key, double fallback) {
        auto found = object.find(key);
        return found != object.end() && found->is_number() ? found->get<double>() : fallback;
    };
    result.is_final = flag("is_final");
    result.speech_final = flag("speech_final");
    result.from_finalize = flag("from_finalize");
    result.start_s = number(document, "start", 0);
    result.duration_s = number(document, "duration", 0);
    auto channel = document.find("channel");
    if (channel == document.end() || !channel->is_object()) return result;
    auto alternatives = channel->find("alternatives");
    if (alternatives == channel->end() || !alternatives->is_array() || alternatives->empty()) return result;
    const auto& best = alternatives->front();
    if (!best.is_object()) return result;
    if (auto transcript = best.find("transcript"); transcript != best.end() && transcript->is_string())
        result.transcript = transcript->get<std::string>();
    result.confidence = number(best, "confidence", -1);
    return result;
}

CloseReason parse_close(std::string_view payload) {
    CloseReason close;
    if (payload.size() >= 2) {
        close.code = (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
        close.reason = std::string(payload.substr(2, 200));
    }
    std::string detail = "close code " + std::to_string(close.code) + (close.reason.empty() ? "" : " " + close.reason);
    if (close.reason.find("DATA-0000") != std::string::npos) {
        close.transient = false;
        close.status = VOX_ERR_INVALID_ARGUMENT;
        close.message = "Deepgram could not decode the audio as linear16 PCM at the stated rate (" + detail + ")";
    } else if (close.reason.find("NET-0001") != std::string::npos) {
        close.message = "Deepgram received no audio or KeepAlive within its timeout (" + detail + ")";
    } else if (close.reason.find("NET-0000") != std::string::npos) {
        close.message = "Deepgram's service timed out internally (" + detail + ")";
    } else if (close.code == 1008) {
        close.transient = false;
        close.status = VOX_ERR_INVALID_ARGUMENT;
        close.message = "Deepgram closed the stream for a policy violation, e.g. a request it refuses (" + detail + ")";
    } else if (close.code == 1002 || close.code == 1003 || close.code == 1007) {
        close.transient = false;
        close.status = VOX_ERR_INVALID_ARGUMENT;
        close.message = "Deepgram refused the data sent (" + detail + ")";
    } else if (close.code == 1011) {
        close.message = "Deepgram's server failed (" + detail + ")";
    } else {
        close.message = "Deepgram closed the stream (" + detail + ")";
    }
    return close;
}

HandshakeFailure classify_handshake(int http_status, const std::string& reason, const std::string& dg_error) {
    HandshakeFailure failure;
    std::string detail = "HTTP " + std::to_string(http_status) + (reason.empty() ? "" : " " + reason);
    if (!dg_error.empty()) detail += ": " + dg_error.substr(0, 300);
    if (http_status == 401 || http_status == 403) {
        failure.status = VOX_ERR_AUTH;
        failure.message = "Deepgram refused the API key (" + detail + ")";
    } else if (http_status == 429) {
        failure.status = VOX_ERR_RATE_LIMITED;
        failure.message = "Deepgram rate limit or concurrency limit reached (" + detail + ")";
    } else if (http_status == 400 || http_status == 404 || http_status == 422) {
        failure.status = VOX_ERR_INVALID_ARGUMENT;
        failure.message = "Deepgram refused the stream's parameters, e.g. model or language (" + detail + ")";
    } else if (http_status == 408 || http_status == 504) {
        failure.status = VOX_ERR_TIMEOUT;
        failure.transient = true;
        failure.message = "Deepgram timed out (" + detail + ")";
    } else {
        failure.status = VOX_ERR_UNAVAILABLE;
        failure.transient = http_status >= 500 || http_status < 400;
        failure.message = "Deepgram is unavailable (" + detail + ")";
    }
    return failure;
}

}  // namespace vox::deepgram
