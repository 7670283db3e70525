// Cuts streamed text into sentences so a cloud TTS can send the first one
// while an LLM is still writing the rest: the first audio comes after one
// sentence's round trip, not after the whole answer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vox::plugin_common {

class SentenceSplitter {
public:
    // A run longer than `max_chars` without a sentence end is cut at its last
    // clause mark or space, so one long sentence cannot hold the audio back.
    explicit SentenceSplitter(std::size_t max_chars = 300) : max_chars_(max_chars) {}

    // Appends text; returns the sentences it completed, in order.
    std::vector<std::string> push(std::string_view text);
    // What is left (the last, unterminated sentence); empties the buffer.
    std::string finish();

private:
    std::size_t find_boundary() const;  // one past the end of the first complete sentence, or 0

    std::size_t max_chars_;
    std::string buffer_;
};

// True when `sentence` has something to say (a letter or a digit).
bool has_speech(std::string_view sentence);

}  // namespace vox::plugin_common
