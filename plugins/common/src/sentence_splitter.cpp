#include <vox/plugin_common/sentence_splitter.hpp>

#include <algorithm>
#include <cctype>
#include <iterator>

namespace vox::plugin_common {
namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_closer(char c) { return c == '"' || c == '\'' || c == ')' || c == ']'; }

std::string trimmed(std::string_view text) {
    auto begin = std::find_if_not(text.begin(), text.end(), is_space);
    auto end = std::find_if_not(text.rbegin(), text.rend(), is_space).base();
    return begin < end ? std::string(begin, end) : std::string();
}

// Titles and shorthands whose '.' does not end a sentence; a single letter is an initial.
bool is_abbreviation(std::string_view word) {
    static constexpr std::string_view kAbbreviations[] = {"mr", "mrs", "ms",  "dr",  "prof", "st",  "jr",
                                                          "sr", "vs",  "etc", "e.g", "i.e",  "inc", "ltd"};
    while (!word.empty() && (word.front() == '(' || word.front() == '"')) word.remove_prefix(1);
    if (word.size() == 1) return std::isalpha(static_cast<unsigned char>(word[0])) != 0;
    std::string lower;
    for (char c : word) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return std::find(std::begin(kAbbreviations), std::end(kAbbreviations), lower) != std::end(kAbbreviations);
}

}  // namespace

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
        if (c == '.' && end == i + 1) {
            std::size_t word = i;
            while (word > 0 && !is_space(buffer_[word - 1])) --word;
            if (is_abbreviation(std::string_view(buffer_).substr(word, i - word))) continue;
        }
        return end;
    }
    if (buffer_.size() <= max_chars_) return 0;
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
    buffer_.erase(buffer_.begin(), std::find_if_not(buffer_.begin(), buffer_.end(), is_space));
    return sentences;
}

std::string SentenceSplitter::finish() {
    std::string rest = trimmed(buffer_);
    buffer_.clear();
    return rest;
}

bool has_speech(std::string_view sentence) {
    // Bytes >= 0x80 belong to non-ASCII letters (UTF-8): count them as speech.
    return std::any_of(sentence.begin(), sentence.end(), [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte >= 0x80 || std::isalnum(byte) != 0;
    });
}

}  // namespace vox::plugin_common
