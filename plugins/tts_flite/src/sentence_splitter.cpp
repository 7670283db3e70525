#include "sentence_splitter.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace vox::flite {
namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_closer(char c) { return c == '"' || c == '\'' || c == ')' || c == ']'; }

// Titles and Latin shorthands whose '.' does not end a sentence.
constexpr std::string_view kAbbreviations[] = {"mr",  "mrs", "ms",  "dr",  "prof", "sr",     "jr",   "st",  "mt", "vs",
                                               "etc", "e.g", "i.e", "inc", "ltd",  "approx", "dept", "fig", "gen"};

std::string trimmed(std::string_view text) {
    auto begin = std::find_if_not(text.begin(), text.end(), is_space);
    auto end = std::find_if_not(text.rbegin(), text.rend(), is_space).base();
    return begin < end ? std::string(begin, end) : std::string();
}

}  // namespace

bool SentenceSplitter::is_abbreviation(std::size_t dot) const {
    std::size_t start = dot;
    while (start > 0 && !is_space(buffer_[start - 1])) --start;
    std::string word;
    for (std::size_t i = start; i < dot; ++i)
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(buffer_[i])));
    while (!word.empty() && (word.front() == '(' || word.front() == '"' || word.front() == '\'')) word.erase(0, 1);
    // A single letter is an initial ("J. Smith"), not the end of a sentence.
    if (word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0])) != 0) return true;
    return std::find(std::begin(kAbbreviations), std::end(kAbbreviations), word) != std::end(kAbbreviations);
}

std::size_t SentenceSplitter::find_boundary() const {
    for (std::size_t i = 0; i < buffer_.size(); ++i) {
        char c = buffer_[i];
        if (c == '\n') {
            if (i > 0) return i + 1;  // a line break ends a sentence (lists, paragraphs)
            continue;
        }
        if (c != '.' && c != '!' && c != '?') continue;
        std::size_t end = i + 1;
        while (end < buffer_.size() && (buffer_[end] == '.' || buffer_[end] == '!' || buffer_[end] == '?')) ++end;
        while (end < buffer_.size() && is_closer(buffer_[end])) ++end;
        // Only whitespace after the mark proves the sentence ended: "3.5" and
        // "example.com" go on, and so does text still being streamed.
        if (end >= buffer_.size() || !is_space(buffer_[end])) {
            i = end - 1;
            continue;
        }
        if (c == '.' && end == i + 1 && is_abbreviation(i)) continue;
        return end;
    }
    if (buffer_.size() <= max_chars_) return 0;
    // Too long without an end: cut after the last clause mark, else the last space.
    std::string_view head(buffer_.data(), max_chars_);
    std::size_t cut = head.find_last_of(",;:");
    if (cut == std::string_view::npos || cut < max_chars_ / 3) cut = head.find_last_of(" \t");
    return cut == std::string_view::npos || cut == 0 ? max_chars_ : cut + 1;
}

std::vector<std::string> SentenceSplitter::push(std::string_view text) {
    buffer_.append(text);
    std::vector<std::string> sentences;
    for (std::size_t end = find_boundary(); end != 0; end = find_boundary()) {
        std::string sentence = trimmed(std::string_view(buffer_).substr(0, end));
        buffer_.erase(0, end);
        if (!sentence.empty()) sentences.push_back(std::move(sentence));
    }
    // Leading spaces would only delay the next boundary check.
    buffer_.erase(buffer_.begin(), std::find_if_not(buffer_.begin(), buffer_.end(), is_space));
    return sentences;
}

std::string SentenceSplitter::finish() {
    std::string rest = trimmed(buffer_);
    buffer_.clear();
    return rest;
}

}  // namespace vox::flite
