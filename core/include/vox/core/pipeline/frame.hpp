// Frames: what flows through a call's pipeline. Audio is immutable and shared
// (a frame copy is cheap); every frame carries the caller turn it belongs to
// and the generation it was made in. A barge-in starts a new generation, and
// a data frame of an older generation is dropped wherever it is seen.
#pragma once

#include <vox/core/audio/pcm.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vox::pipeline {

enum class FrameType : std::uint8_t {
    // System lane: never waits behind data.
    input_audio,             // caller audio (real time; the oldest is dropped when late)
    user_started_speaking,   // voice activity began
    interruption,            // flush-start: drop queued work, cancel providers, clear play-out
    dtmf,                    // text = the digit
    end,                     // the call is ending: release providers
    // Data lane: ordered.
    user_paused,             // the caller is silent for a moment (their turn may be ending)
    user_stopped_speaking,   // end of the caller's turn decided
    transcript,              // text, is_final (user speech)
    response_start,          // an agent response begins (text = what triggered it)
    response_text,           // a clause of the agent's answer, for TTS
    response_end,            // the LLM (or script) finished the response
    output_audio,            // agent audio for the transport
    output_done,             // TTS delivered all audio of the response
    flush_stop,              // second phase of barge-in: reset per-turn state
    error,                   // text = message, code = stage ("stt", "llm", "tts")
    flow_result,             // a call-flow step or routing decision came back (text = JSON)
};

enum class Lane : std::uint8_t { system, data };

constexpr Lane lane_of(FrameType type) {
    switch (type) {
    case FrameType::input_audio:
    case FrameType::user_started_speaking:
    case FrameType::interruption:
    case FrameType::dtmf:
    case FrameType::end: return Lane::system;
    default: return Lane::data;
    }
}

std::string_view to_string(FrameType type);

struct Frame {
    FrameType type{};
    std::uint64_t turn = 0;
    std::uint64_t generation = 0;   // 0: belongs to no generation (never stale)
    std::uint64_t response = 0;     // the agent response a frame belongs to (0: none)
    std::int64_t time_ns = 0;  // monotonic time the frame was made
    std::shared_ptr<const audio::AudioBuffer> audio;  // input_audio, output_audio
    std::string text;
    std::string code;
    std::uint32_t ms = 0;  // a time within the response's audio (word timings)
    bool is_final = false;

    Lane lane() const { return lane_of(type); }

    static Frame make(FrameType type, std::uint64_t turn, std::uint64_t generation, std::int64_t time_ns) {
        Frame frame;
        frame.type = type;
        frame.turn = turn;
        frame.generation = generation;
        frame.time_ns = time_ns;
        return frame;
    }
};

}  // namespace vox::pipeline
