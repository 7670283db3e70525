// voxctl call's conversation: wait for the agent's greeting, then for each
// WAV speak it, measure the latency to the agent's answer (end of the speech
// sent to its first audio received) and wait for the answer to finish; with a
// barge-in, speak the last WAV while the previous answer plays and measure how
// quickly the agent stops. Then hang up.
#pragma once

#include "media_client.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace voxctl {

// One caller turn: a WAV's samples at the call's rate, and where the speech in it is.
struct Utterance {
    std::vector<std::int16_t> samples;
    std::size_t voiced_begin = 0;  // first voiced sample
    std::size_t voiced_end = 0;    // one past the last voiced sample
};

struct ScriptOptions {
    std::vector<Utterance> says;  // the caller's turns
    std::chrono::milliseconds answer_timeout{15000};
    // Speak the last turn this long after the answer to the one before began (the greeting for a single turn).
    std::optional<std::chrono::milliseconds> barge_in;
};

struct TurnResult {
    std::optional<double> latency_ms;  // end of the speech sent -> first agent audio; none when it timed out
    std::string user_text;             // the final user transcripts of the turn
    std::string agent_text;            // the final agent transcripts of the turn
    bool barge_in = false;
    std::optional<double> barge_in_stop_ms;  // first speech sample sent -> clear received or agent audio stopped
};

struct ScriptResult {
    std::vector<TurnResult> turns;
    std::optional<std::string> ended_reason;
    bool timed_out = false;  // an answer did not come within answer_timeout
};

// Runs the conversation on a started client and hangs up; leaves the client closed.
ScriptResult run_script(MediaClient& client, const ScriptOptions& options);

}  // namespace voxctl
