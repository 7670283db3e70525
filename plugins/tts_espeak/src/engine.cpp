#include "engine.hpp"

#include <vox/sdk/error.hpp>

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <exception>
#include <mutex>

namespace vox::espeak {
namespace {

struct RawWord {
    int text_position = 0;  // 1-based, in characters
    int length = 0;         // in characters
    int audio_ms = 0;
};

// One synthesis in progress: what the synth callback reads and fills.
struct Run {
    const AudioHandler* handler = nullptr;
    std::uint32_t sample_rate = 0;
    bool stopped = false;
    std::exception_ptr error;  // from the handler; never let it unwind through espeak's C frames
    std::size_t frames = 0;
    std::vector<RawWord> words;
    std::vector<int> clause_ends_ms;  // espeakEVENT_END / MSG_TERMINATED
};

struct Engine {
    std::mutex mutex;  // every call into espeak-ng (see the header)
    std::uint32_t sample_rate = 0;
    std::vector<bool> available;  // by catalogue index
    std::string current_voice;    // espeak name last set, to skip reloading it
    Run* run = nullptr;           // the synthesis in progress, read by the callback
};

Engine& engine() {
    static Engine* instance = new Engine();  // never destroyed (see the header)
    return *instance;
}

int on_synth(short* wav, int count, espeak_EVENT* events) {
    Run* run = engine().run;  // set under the engine mutex, which the caller of espeak_Synth holds
    if (run == nullptr) return 1;
    for (espeak_EVENT* event = events; event != nullptr && event->type != espeakEVENT_LIST_TERMINATED; ++event) {
        if (event->type == espeakEVENT_WORD)
            run->words.push_back({event->text_position, event->length, event->audio_position});
        else if (event->type == espeakEVENT_END || event->type == espeakEVENT_MSG_TERMINATED)
            run->clause_ends_ms.push_back(event->audio_position);
    }
    if (run->stopped) return 1;
    if (wav == nullptr || count <= 0) return 0;
    try {
        run->frames += static_cast<std::size_t>(count);
        std::span<const std::int16_t> chunk(wav, static_cast<std::size_t>(count));
        if (!(*run->handler)(chunk, run->sample_rate)) run->stopped = true;
    } catch (...) {
        run->error = std::current_exception();
        run->stopped = true;
    }
    return run->stopped ? 1 : 0;  // 1 makes espeak abandon the synthesis
}

// Byte offset of the `index`-th (0-based) code point of UTF-8 `text`, or npos.
std::size_t byte_of_char(const std::string& text, int index) {
    std::size_t byte = 0;
    for (int i = 0; i < index; ++i) {
        if (byte >= text.size()) return std::string::npos;
        ++byte;
        while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0U) == 0x80U) ++byte;
    }
    return byte <= text.size() ? byte : std::string::npos;
}

std::vector<WordTiming> word_timings(const Run& run, const std::string& text, std::uint32_t total_ms) {
    std::vector<WordTiming> words;
    for (std::size_t i = 0; i < run.words.size(); ++i) {
        const RawWord& raw = run.words[i];
        std::size_t begin = byte_of_char(text, raw.text_position - 1);
        std::size_t end = byte_of_char(text, raw.text_position - 1 + raw.length);
        if (raw.text_position < 1 || raw.length <= 0 || begin == std::string::npos || end == std::string::npos)
            continue;
        // A word lasts until the next word starts or its clause ends, whichever is first.
        int end_ms = static_cast<int>(total_ms);
        if (i + 1 < run.words.size()) end_ms = std::min(end_ms, run.words[i + 1].audio_ms);
        for (int clause_end : run.clause_ends_ms)
            if (clause_end > raw.audio_ms) end_ms = std::min(end_ms, clause_end);
        if (end_ms <= raw.audio_ms) continue;
        words.push_back({text.substr(begin, end - begin), static_cast<std::uint32_t>(std::max(0, raw.audio_ms)),
                         static_cast<std::uint32_t>(end_ms)});
    }
    return words;
}

void check(espeak_ERROR status, const std::string& what) {
    if (status != EE_OK)
        throw sdk::Error(VOX_ERR_INTERNAL, "espeak-ng " + what + " failed (" + std::to_string(status) + ")");
}

}  // namespace

void initialize_engine() {
    Engine& e = engine();
    std::lock_guard lock(e.mutex);
    if (e.sample_rate != 0) return;
    // NULL path: espeak-ng's compiled-in data directory (Debian:
    // /usr/lib/x86_64-linux-gnu/espeak-ng-data). DONT_EXIT: report a missing
    // data directory instead of exiting the process.
    int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, kChunkMs, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0)
        throw sdk::Error(VOX_ERR_UNAVAILABLE,
                         "espeak-ng could not start: its data is missing (install the espeak-ng-data package)");
    espeak_SetSynthCallback(&on_synth);
    auto catalog = voice_catalog();
    bool any = false;
    e.available.assign(catalog.size(), false);
    for (std::size_t i = 0; i < catalog.size(); ++i) {
        e.available[i] = espeak_SetVoiceByName(std::string(catalog[i].espeak_name).c_str()) == EE_OK;
        any = any || e.available[i];
    }
    e.current_voice.clear();  // whichever loaded last; set again before use
    if (!any) throw sdk::Error(VOX_ERR_UNAVAILABLE, "espeak-ng loads none of its voices (is espeak-ng-data complete?)");
    e.sample_rate = static_cast<std::uint32_t>(rate);
}

bool voice_available(const VoiceInfo& voice) {
    Engine& e = engine();
    auto catalog = voice_catalog();
    auto index = static_cast<std::size_t>(&voice - catalog.data());
    std::lock_guard lock(e.mutex);
    return e.sample_rate != 0 && index < e.available.size() && e.available[index];
}

SynthesisResult synthesize(const VoiceInfo& voice, const Prosody& prosody, const std::string& text,
                           const AudioHandler& on_audio) {
    Engine& e = engine();
    std::lock_guard lock(e.mutex);
    if (e.sample_rate == 0) throw sdk::Error(VOX_ERR_UNAVAILABLE, "espeak-ng is not initialised");
    if (e.current_voice != voice.espeak_name) {
        e.current_voice.clear();
        check(espeak_SetVoiceByName(std::string(voice.espeak_name).c_str()),
              "loading voice '" + std::string(voice.id) + "'");
        e.current_voice = voice.espeak_name;
    }
    // Set every time: a voice change may reset them, and they are cheap.
    check(espeak_SetParameter(espeakRATE, prosody.words_per_minute, 0), "setting the rate");
    check(espeak_SetParameter(espeakPITCH, prosody.pitch, 0), "setting the pitch");

    Run run;
    run.handler = &on_audio;
    run.sample_rate = e.sample_rate;
    e.run = &run;
    // Plain UTF-8 text (no SSML: '<' is read, not parsed); ENDPAUSE keeps the
    // pause after each sentence, as the sentences are synthesised one by one.
    espeak_ERROR status = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                       espeakCHARS_UTF8 | espeakENDPAUSE, nullptr, nullptr);
    e.run = nullptr;
    if (run.error) std::rethrow_exception(run.error);

    SynthesisResult result;
    result.stopped = run.stopped;
    result.frames = run.frames;
    result.sample_rate = e.sample_rate;
    if (result.stopped) return result;
    if (status != EE_OK)
        throw sdk::Error(VOX_ERR_INTERNAL, "espeak-ng failed to synthesise (" + std::to_string(status) + "): \"" +
                                               text.substr(0, 80) + "\"");
    auto total_ms = static_cast<std::uint32_t>(run.frames * 1000 / e.sample_rate);
    result.words = word_timings(run, text, total_ms);
    return result;
}

}  // namespace vox::espeak
