#include "stream_parser.hpp"

#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

namespace vox::openai {

void StreamParser::line(std::string_view text) {
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) {  // a blank line ends an event
        dispatch();
        return;
    }
    if (text.front() == ':') return;  // comment (keep-alive)
    std::string_view field = text;
    std::string_view value;
    if (auto colon = text.find(':'); colon != std::string_view::npos) {
        field = text.substr(0, colon);
        value = text.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    if (field != "data") return;  // event, id, retry: not used by this API
    if (has_data_) data_ += '\n';
    data_.append(value);
    has_data_ = true;
}

void StreamParser::end() {
    dispatch();
    emit_tool_calls();
}

void StreamParser::dispatch() {
    if (!has_data_) return;
    std::string data = std::move(data_);
    data_.clear();
    has_data_ = false;
    if (data == "[DONE]") {
        done_ = true;
        emit_tool_calls();
        return;
    }
    chunk(data);
}

void StreamParser::chunk(std::string_view json) {
    auto document = nlohmann::json::parse(json, nullptr, false);
    if (document.is_discarded() || !document.is_object())
        throw sdk::Error(VOX_ERR_UNAVAILABLE, "malformed stream chunk: " + std::string(json.substr(0, 200)));
    if (auto error = document.find("error"); error != document.end()) {
        std::string message = error->is_object() ? error->value("message", "") : error->dump();
        throw sdk::Error(VOX_ERR_UNAVAILABLE, "error in the stream: " + (message.empty() ? error->dump() : message));
    }
    auto choices = document.find("choices");
    if (choices == document.end() || !choices->is_array()) return;  // e.g. a usage-only chunk
    for (const auto& choice : *choices) {
        if (!choice.is_object() || choice.value("index", 0) != 0) continue;  // one answer: choice 0
        if (auto delta = choice.find("delta"); delta != choice.end() && delta->is_object()) {
            if (auto content = delta->find("content"); content != delta->end() && content->is_string()) {
                const auto& text = content->get_ref<const std::string&>();
                if (!text.empty() && handlers_.on_content) handlers_.on_content(text);
            }
            if (auto calls = delta->find("tool_calls"); calls != delta->end() && calls->is_array()) {
                for (const auto& call : *calls) {
                    if (!call.is_object()) continue;
                    auto index = call.value("index", static_cast<long long>(tool_calls_.size()));
                    ToolCall& assembled = tool_calls_[index];
                    if (auto id = call.find("id"); id != call.end() && id->is_string() && !id->get<std::string>().empty())
                        assembled.id = id->get<std::string>();
                    if (auto function = call.find("function"); function != call.end() && function->is_object()) {
                        if (auto name = function->find("name"); name != function->end() && name->is_string())
                            assembled.name += name->get<std::string>();
                        if (auto args = function->find("arguments"); args != function->end() && args->is_string())
                            assembled.arguments += args->get<std::string>();
                    }
                }
            }
        }
        if (auto reason = choice.find("finish_reason"); reason != choice.end() && reason->is_string()) {
            finish_reason_ = reason->get<std::string>();
            emit_tool_calls();
        }
    }
}

void StreamParser::emit_tool_calls() {
    auto calls = std::move(tool_calls_);
    tool_calls_.clear();
    for (auto& [index, call] : calls) {
        if (call.arguments.empty()) call.arguments = "{}";
        if (call.id.empty()) call.id = "call_" + std::to_string(index);
        if (handlers_.on_tool_call) handlers_.on_tool_call(call);
    }
}

}  // namespace vox::openai
