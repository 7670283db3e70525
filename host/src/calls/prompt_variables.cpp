#include "calls/prompt_variables.hpp"

namespace vox::host {
namespace {

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

}  // namespace

std::string fill_variables(std::string_view text, const nlohmann::json& variables) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        auto open = text.find("{{", at);
        if (open == std::string_view::npos) break;
        auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) break;
        out.append(text.substr(at, open - at));
        std::string name(trimmed(text.substr(open + 2, close - open - 2)));
        auto value = variables.is_object() ? variables.find(name) : variables.end();
        if (variables.is_object() && value != variables.end())
            out += value->is_string() ? value->get<std::string>() : value->dump();
        else
            out.append(text.substr(open, close + 2 - open));
        at = close + 2;
    }
    out.append(text.substr(at));
    return out;
}

}  // namespace vox::host
