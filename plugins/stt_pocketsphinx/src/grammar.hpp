// Recognition grammars for stt.pocketsphinx (ABI 1.2 set_grammar): the JSON
// shapes of vox/plugin.h turned into JSGF for pocketsphinx's FSG search.
//
//   {"type":"yes_no"}                                    yes / no with carrier phrases
//   {"type":"digits","min_digits":1,"max_digits":16}     digit words, length bounded
//   {"type":"choice","choices":["morning","afternoon"]}  one phrase, optional "the"/"in the"/"please"
//   {"type":"date"}                                      [on|next] weekday | today | tomorrow | ...
//   {} or null                                           free speech (no grammar)
//
// Every word must be in the decoder's dictionary: an FSG search cannot
// recognise a word it has no pronunciation for, and pocketsphinx would only
// log it and drop the word silently.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace vox::pocketsphinx {

// The words of a pocketsphinx dictionary file, loaded on first use (the
// cmudict file holds 135k entries: ~0.1 s, so only sessions that use
// grammars pay for it). Thread-safe.
class WordList {
public:
    explicit WordList(std::string dict_path) : path_(std::move(dict_path)) {}
    // Throws sdk::Error(VOX_ERR_UNAVAILABLE) when the file cannot be read.
    bool contains(const std::string& word) const;

private:
    std::string path_;
    mutable std::once_flag loaded_;
    mutable std::unordered_set<std::string> words_;
};

// The JSGF text for `grammar_json`, or nullopt for free speech ({} or null).
// Throws sdk::Error(VOX_ERR_INVALID_ARGUMENT) naming what is wrong: not JSON,
// an unknown type or key, bad bounds, an empty choice, a word for which
// `known_word` returns false.
std::optional<std::string> grammar_to_jsgf(std::string_view grammar_json,
                                           const std::function<bool(const std::string&)>& known_word);

}  // namespace vox::pocketsphinx
