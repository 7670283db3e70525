#include <vox/core/flow/answer_expectation.hpp>

#include <cctype>
#include <map>

namespace vox::flow {

std::string spoken_digits(const std::string& text) {
    static const std::map<std::string, char> words = {{"zero", '0'}, {"oh", '0'},    {"o", '0'},     {"one", '1'},
                                                      {"two", '2'},  {"three", '3'}, {"four", '4'},  {"five", '5'},
                                                      {"six", '6'},  {"seven", '7'}, {"eight", '8'}, {"nine", '9'}};
    std::string digits;
    std::string word;
    for (char c : text + " ") {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            digits += c;
        } else if (std::isalpha(static_cast<unsigned char>(c))) {
            word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            if (auto it = words.find(word); it != words.end()) digits += it->second;
            word.clear();
        }
    }
    return digits;
}

bool answer_complete(const nlohmann::json& expect, const std::string& text) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return false;
    if (!expect.is_object() || expect.value("type", "") != "digits") return true;
    auto wanted = expect.value("min_digits", 1LL);
    return static_cast<long long>(spoken_digits(text).size()) >= wanted;
}

}  // namespace vox::flow
