// State a call's processors share. Lives in the CallSession; touched only on
// the call's strand.
#pragma once

#include <vox/core/call/call_session.hpp>
#include <vox/core/call/conversation.hpp>
#include <vox/core/call/latency_stats.hpp>
#include <vox/core/log.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <cmath>
#include <memory>
#include <string>

namespace vox::call::detail {

// Monotonic timestamps of one caller turn (0 = not reached).
struct TurnTimes {
    std::int64_t speech_start = 0;     // the first voiced audio of the caller
    std::int64_t speech_end = 0;       // the last voiced audio of the caller
    std::int64_t turn_decided = 0;     // endpointing fired
    std::int64_t stt_final = 0;
    std::int64_t llm_start = 0;
    std::int64_t llm_first_token = 0;
    std::int64_t tts_first_text = 0;
    std::int64_t tts_first_audio = 0;
    std::int64_t first_audio_out = 0;  // handed to the transport
    bool reported = false;
};

struct CallContext {
    CallSetup setup;
    std::shared_ptr<CallTransport> transport;
    std::int64_t start_ns = 0;
    Conversation conversation{""};
    LatencyStats latency;
    std::map<std::uint64_t, TurnTimes> turns;  // by caller turn
    nlohmann::json transcript = nlohmann::json::array();
    nlohmann::json provider_switches = nlohmann::json::array();  // fallbacks taken

    std::uint64_t turn = 0;            // the current caller turn (0: the greeting)
    bool agent_audible = false;        // agent audio is playing at the caller
    std::uint64_t next_response = 1;
    std::int64_t last_activity_ns = 0;  // caller speech or agent audio, for inactivity
    std::int64_t answer_owed_since = 0;  // a caller turn awaits its first answer audio (0: none)

    std::function<void(nlohmann::json)> emit;                      // adds call_id and t_ms
    std::function<void(std::string reason, bool failed)> end_call;  // ends the call (strand)
    std::function<std::int64_t()> now_ns;
    // Output reports that agent response `response` is over: played out, cut
    // off, or it had nothing to play (the flow hangs up or transfers after
    // its last words).
    std::function<void(std::uint64_t response)> response_over;
    // Asks the STT to recognise against a grammar ({} = free speech); the
    // flow's expected answers. False when the STT provider has no grammars.
    std::function<bool(const nlohmann::json& grammar)> set_grammar;
    // Runs work that may block (an HTTP request) off the call's strand.
    std::function<void(std::function<void()>)> run_blocking;

    double seconds(std::int64_t ns) const { return static_cast<double>(ns - start_ns) / 1e9; }
    static double ms_between(std::int64_t from, std::int64_t to) {
        return from == 0 || to == 0 ? -1.0 : static_cast<double>(to - from) / 1e6;
    }
    // A stage ("stt", "llm", "tts") moved from one provider to its next
    // fallback: a provider_fallback event and a line of provider_switches.
    void record_switch(const std::string& stage, const Provider& from, const Provider& to, const std::string& reason) {
        vox::log::warn("call", "switching to a fallback " + stage + " provider",
                       {{"call_id", setup.call_id}, {"from", from.key}, {"to", to.key}, {"reason", reason}});
        nlohmann::json change = {{"stage", stage}, {"from", from.key}, {"to", to.key}, {"reason", reason}};
        nlohmann::json event = change;
        event["type"] = "provider_fallback";
        emit(std::move(event));
        change["t_ms"] = (now_ns() - start_ns) / 1'000'000;
        provider_switches.push_back(std::move(change));
    }
    void add_transcript(const std::string& speaker, const std::string& text, std::int64_t start, std::int64_t end) {
        if (text.empty()) return;
        transcript.push_back({{"speaker", speaker},
                              {"text", text},
                              {"start", std::round(seconds(start) * 1000.0) / 1000.0},
                              {"end", std::round(seconds(end) * 1000.0) / 1000.0}});
    }
};

}  // namespace vox::call::detail
