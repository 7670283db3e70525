// Cuts streamed text into sentences so that synthesis of the first one can
// start while an LLM is still writing the rest: first audio comes after one
// sentence, not after the whole answer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vox::flite {

class SentenceSplitter {
public:
    // A run of text longer than `max_chars` without a sentence end is cut at
    // its last clause mark or space, so one long sentence cannot hold back
    // the audio indefinitely.
    explicit SentenceSplitter(std::size_t max_chars = 240) : max_chars_(max_chars) {}

    // Appends text; returns the sentences it completed, in order.
    std::vector<std::string> push(std::string_view text);
    // Returns whatever is left (the last, unterminated sentence) and empties the buffer.
    std::string finish();

    bool empty() const { return buffer_.empty(); }

private:
    // Index one past the end of the first complete sentence in buffer_, or 0.
    std::size_t find_boundary() const;
    bool is_abbreviation(std::size_t dot) const;

    std::size_t max_chars_;
    std::string buffer_;
};

}  // namespace vox::flite
