#include "messages.hpp"

#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cctype>

namespace vox::elevenlabs {
namespace {

std::string dump(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json voice_settings(const Config& config) {
    return {{"stability", config.stability}, {"similarity_boost", config.similarity_boost}};
}

[[noreturn]] void bad(const std::string& what) {
    throw sdk::Error(VOX_ERR_UNAVAILABLE, "tts.elevenlabs: unexpected message from the server: " + what);
}

std::vector<std::uint32_t> times(const nlohmann::json& alignment, const char* key) {
    std::vector<std::uint32_t> result;
    auto found = alignment.find(key);
    if (found == alignment.end() || !found->is_array()) return result;
    for (const auto& value : *found)
        result.push_back(value.is_number() ? static_cast<std::uint32_t>(std::max(0.0, value.get<double>())) : 0);
    return result;
}

bool is_space(const std::string& c) { return c.size() == 1 && std::isspace(static_cast<unsigned char>(c[0])) != 0; }

}  // namespace

std::string opening_message(const Config& config) {
    return dump({{"text", " "}, {"voice_settings", voice_settings(config)}});
}

std::string text_message(std::string_view text, bool flush) {
    std::string chunk(text);
    if (chunk.empty() || chunk.back() != ' ') chunk += ' ';
    nlohmann::json message{{"text", chunk}};
    if (flush) message["flush"] = true;
    return dump(message);
}

bool ends_sentence(std::string_view text) {
    auto end = text.find_last_not_of(" \t\r\n\"')");
    return end != std::string_view::npos && std::string_view(".!?;:").find(text[end]) != std::string_view::npos;
}

std::string end_of_input_message() { return dump({{"text", ""}}); }

std::string http_stream_body(const Config& config, std::string_view text) {
    return dump({{"text", std::string(text)}, {"model_id", config.model}, {"voice_settings", voice_settings(config)}});
}

vox_status status_for_error(std::string_view error_text) {
    std::string lower(error_text);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("quota") != std::string::npos || lower.find("rate") != std::string::npos ||
        lower.find("too_many") != std::string::npos || lower.find("concurren") != std::string::npos)
        return VOX_ERR_RATE_LIMITED;
    if (lower.find("api_key") != std::string::npos || lower.find("auth") != std::string::npos ||
        lower.find("unauthori") != std::string::npos)
        return VOX_ERR_AUTH;
    return VOX_ERR_UNAVAILABLE;
}

std::vector<unsigned char> decode_base64(std::string_view text) {
    static const std::array<int, 256> table = [] {
        std::array<int, 256> t{};
        t.fill(-1);
        const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = i;
        return t;
    }();
    std::vector<unsigned char> out;
    out.reserve(text.size() / 4 * 3);
    std::uint32_t bits = 0;
    int count = 0;
    for (char c : text) {
        if (c == '=') break;
        int value = table[static_cast<unsigned char>(c)];
        if (value < 0) {
            if (std::isspace(static_cast<unsigned char>(c)) != 0) continue;
            bad("audio is not base64");
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        if (++count == 4) {
            out.push_back(static_cast<unsigned char>(bits >> 16));
            out.push_back(static_cast<unsigned char>(bits >> 8));
            out.push_back(static_cast<unsigned char>(bits));
            bits = 0;
            count = 0;
        }
    }
    if (count == 1) bad("audio is truncated base64");
    if (count == 2) out.push_back(static_cast<unsigned char>(bits >> 4));
    if (count == 3) {
        out.push_back(static_cast<unsigned char>(bits >> 10));
        out.push_back(static_cast<unsigned char>(bits >> 2));
    }
    return out;
}

ServerMessage parse_server_message(std::string_view json) {
    auto document = nlohmann::json::parse(json, nullptr, false);
    if (document.is_discarded() || !document.is_object()) bad("not a JSON object");
    ServerMessage message;
    // Errors: {"message": "...", "error": "quota_exceeded", "code": 1008} and the like.
    if (auto error = document.find("error"); error != document.end() && !error->is_null()) {
        std::string code = error->is_string() ? error->get<std::string>() : error->dump();
        std::string text = document.value("message", std::string());
        message.error = std::make_pair(status_for_error(code + " " + text),
                                       "tts.elevenlabs: " + code + (text.empty() ? "" : ": " + text));
        return message;
    }
    if (auto audio = document.find("audio"); audio != document.end() && audio->is_string()) {
        auto bytes = decode_base64(audio->get<std::string>());
        if (bytes.size() % 2 != 0) bad("audio of an odd number of bytes");
        message.audio.resize(bytes.size() / 2);
        for (std::size_t i = 0; i < message.audio.size(); ++i)
            message.audio[i] =
                static_cast<std::int16_t>(static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8)));
    }
    // normalizedAlignment follows the text as spoken, alignment the text as sent: words are the sent ones.
    for (const char* key : {"alignment", "normalizedAlignment"}) {
        auto alignment = document.find(key);
        if (alignment == document.end() || !alignment->is_object()) continue;
        auto chars = alignment->find("chars");
        if (chars == alignment->end() || !chars->is_array()) continue;
        for (const auto& c : *chars) message.chars.push_back(c.is_string() ? c.get<std::string>() : " ");
        message.char_start_ms = times(*alignment, "charStartTimesMs");
        message.char_duration_ms = times(*alignment, "charsDurationsMs");
        message.char_start_ms.resize(message.chars.size(),
                                     message.char_start_ms.empty() ? 0 : message.char_start_ms.back());
        message.char_duration_ms.resize(message.chars.size(), 0);
        break;
    }
    if (auto final = document.find("isFinal"); final != document.end() && final->is_boolean())
        message.is_final = final->get<bool>();
    return message;
}

std::vector<Word> WordTracker::add(const ServerMessage& message, std::uint32_t offset_ms) {
    std::vector<Word> words;
    for (std::size_t i = 0; i < message.chars.size(); ++i) {
        const std::string& c = message.chars[i];
        if (is_space(c)) {
            if (current_) words.push_back(std::move(*current_));
            current_.reset();
            continue;
        }
        std::uint32_t start = offset_ms + message.char_start_ms[i];
        if (!current_) current_ = Word{{}, start, start};
        current_->text += c;
        current_->end_ms = start + message.char_duration_ms[i];
    }
    return words;
}

std::optional<Word> WordTracker::finish() {
    auto last = std::move(current_);
    current_.reset();
    return last;
}

}  // namespace vox::elevenlabs
