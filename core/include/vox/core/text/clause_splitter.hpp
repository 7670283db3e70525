// Cuts a stream of LLM tokens into speakable clauses for TTS, so speech can
// start before the answer is complete.
//
//   vox::text::ClauseSplitter splitter;
//   for (auto& token : tokens)
//       for (auto& clause : splitter.push(token)) tts.push_text(ctx, clause + " ");
//   if (auto rest = splitter.flush(); !rest.empty()) tts.push_text(ctx, rest);
//
// A clause ends at a sentence end (. ! ? or an ellipsis, optionally followed
// by closing quotes or brackets) followed by white space, and at , ; : (or a
// dash between spaces) followed by white space once the clause holds at least
// `min_words` words. Never inside numbers (3.14, 1,000, 10:30), after common
// abbreviations ("Dr.", "e.g.") or initials ("J. R. R."). A clause that grows
// past `max_chars` without a boundary is cut at its last space. Not
// thread-safe: one splitter per utterance stream.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vox::text {

struct ClauseSplitterOptions {
    std::size_t min_words = 6;    // for a cut at , ; : or a dash
    std::size_t max_chars = 250;  // forced cut at the last space beyond this
};

class ClauseSplitter {
public:
    explicit ClauseSplitter(ClauseSplitterOptions options = {}) : options_(options) {}

    // Appends a token; returns the clauses it completed (trimmed, non-empty).
    std::vector<std::string> push(std::string_view token);
    // The end of the stream: returns what remains (trimmed; may be empty) and resets.
    std::string flush();
    // Drops everything buffered (barge-in).
    void reset() { buffer_.clear(); }
    const std::string& pending() const { return buffer_; }

private:
    // Index just past a boundary in buffer_, or npos.
    std::size_t find_boundary() const;

    ClauseSplitterOptions options_;
    std::string buffer_;
};

// Splits a whole text at once (push + flush).
std::vector<std::string> split_clauses(std::string_view text, ClauseSplitterOptions options = {});

}  // namespace vox::text
