#include <vox/core/text/clause_splitter.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace vox::text {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_closer(char c) { return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}'; }

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Words that end in a period without ending the sentence (lower case, without the final period).
bool is_abbreviation(std::string_view word) {
    static constexpr std::array<std::string_view, 44> kAbbreviations = {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "ave", "blvd", "rd", "vs", "etc",
        "e.g", "i.e", "eg", "ie", "cf", "inc", "ltd", "co", "corp", "no", "nos", "vol", "dept", "approx", "est",
        "fig", "gen", "gov", "lt", "col", "sgt", "capt", "rev", "hon", "jan", "feb", "aug", "sept", "oct"};
    std::string key = lower(word);
    if (std::find(kAbbreviations.begin(), kAbbreviations.end(), key) != kAbbreviations.end()) return true;
    // Initials and dotted acronyms: "J", "U.S", "a.m", "p.m".
    if (key.size() == 1 && std::isalpha(static_cast<unsigned char>(key[0]))) return true;
    if (key.find('.') != std::string::npos) {
        bool dotted = true;
        for (std::size_t i = 0; i < key.size(); ++i)
            dotted = dotted && (i % 2 == 0 ? std::isalpha(static_cast<unsigned char>(key[i])) != 0 : key[i] == '.');
        if (dotted) return true;
    }
    return false;
}

std::size_t count_words(std::string_view text) {
    std::size_t words = 0;
    bool in_word = false;
    for (char c : text) {
        bool word_char = !is_space(c);
        if (word_char && !in_word) ++words;
        in_word = word_char;
    }
    return words;
}

std::string trim(std::string_view text) {
    auto first = text.find_first_not_of(" \t\r\n\f\v");
    if (first == std::string_view::npos) return {};
    auto last = text.find_last_not_of(" \t\r\n\f\v");
    return std::string(text.substr(first, last - first + 1));
}

}  // namespace

std::size_t ClauseSplitter::find_boundary() const {
    const std::string& b = buffer_;
    for (std::size_t i = 0; i < b.size(); ++i) {
        char c = b[i];
        bool sentence = c == '.' || c == '!' || c == '?';
        bool pause = c == ',' || c == ';' || c == ':';
        bool dash = c == '-' && i > 0 && is_space(b[i - 1]) && (i + 1 >= b.size() || is_space(b[i + 1]) || b[i + 1] == '-');
        if (!sentence && !pause && !dash) continue;
        // Extend over repeated marks ("?!", "...", "--") and closing quotes or brackets.
        std::size_t end = i + 1;
        while (end < b.size() && (b[end] == '.' || b[end] == '!' || b[end] == '?' || (dash && b[end] == '-'))) ++end;
        while (end < b.size() && is_closer(b[end])) ++end;
        if (end >= b.size()) return std::string::npos;  // the next token decides
        if (!is_space(b[end])) {
            i = end - 1;
            continue;  // 3.14, 1,000, 10:30, example.com
        }
        if (sentence && c == '.' && end == i + 1) {
            // The word before the period: an abbreviation or an initial?
            std::size_t start = i;
            while (start > 0 && !is_space(b[start - 1])) --start;
            std::string_view word(b.data() + start, i - start);
            while (!word.empty() && (word.front() == '"' || word.front() == '(' || word.front() == '\'')) word.remove_prefix(1);
            if (!word.empty() && is_abbreviation(word)) continue;
        }
        if (!sentence && count_words(std::string_view(b.data(), i)) < options_.min_words) continue;
        return end;
    }
    return std::string::npos;
}

std::vector<std::string> ClauseSplitter::push(std::string_view token) {
    buffer_.append(token);
    std::vector<std::string> clauses;
    for (;;) {
        std::size_t cut = find_boundary();
        if (cut == std::string::npos && buffer_.size() > options_.max_chars) {
            auto space = buffer_.find_last_of(" \t\n", options_.max_chars);
            if (space != std::string::npos && space > 0) cut = space;
        }
        if (cut == std::string::npos) break;
        std::string clause = trim(std::string_view(buffer_).substr(0, cut));
        buffer_.erase(0, cut);
        // Keep the buffer free of leading white space so word counts stay right.
        auto first = buffer_.find_first_not_of(" \t\r\n\f\v");
        buffer_.erase(0, first == std::string::npos ? buffer_.size() : first);
        if (!clause.empty()) clauses.push_back(std::move(clause));
    }
    return clauses;
}

std::string ClauseSplitter::flush() {
    std::string rest = trim(buffer_);
    buffer_.clear();
    return rest;
}

std::vector<std::string> split_clauses(std::string_view text, ClauseSplitterOptions options) {
    ClauseSplitter splitter(options);
    auto clauses = splitter.push(text);
    if (auto rest = splitter.flush(); !rest.empty()) clauses.push_back(std::move(rest));
    return clauses;
}

}  // namespace vox::text
