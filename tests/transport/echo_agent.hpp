// A stand-in agent for voxctl call's tests, driven by transport.websocket's
// callbacks like voxd's pipeline would be: a short greeting tone, then for
// every caller turn (energy detection: speech, then 300 ms of silence) a
// 1 s tone with the events a real agent sends (user/agent start and stop
// talking, final transcripts); caller speech during a tone is a barge-in:
// clear, interruption, agent_stop_talking interrupted.
#pragma once

#include "transport_host.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace vox::test {

struct EchoAgentOptions {
    std::uint32_t greeting_ms = 500;
    std::uint32_t tone_ms = 1000;
    std::uint32_t end_of_turn_silence_ms = 300;
    bool answers = true;  // false: never answers (for timeouts)
};

class EchoAgent {
public:
    EchoAgent(TransportHost& host, EchoAgentOptions options);

    // Wires the agent into `host`'s callbacks (the transport's reactor thread).
    void attach();

private:
    struct Call {
        std::string call_id;
        std::uint32_t rate = 16000;
        std::chrono::steady_clock::time_point started;
        bool answers = true;
        // The caller.
        int user_turn = 0;
        bool speaking = false;
        std::uint32_t voiced_run_ms = 0;
        std::uint32_t silence_ms = 0;
        std::uint32_t speech_ms = 0;
        // The agent's current response.
        std::uint64_t context = 0;
        int response_turn = -1;  // -1: not talking
        std::uint32_t response_ms = 0;
    };

    void started(vox_transport_call* call, const nlohmann::json& details);
    void audio(vox_transport_call* call, const std::int16_t* samples, std::size_t count);
    void played(vox_transport_call* call, std::uint64_t context, std::uint32_t played_ms);
    void respond(vox_transport_call* handle, Call& call, int turn, std::uint32_t ms, double hz);
    void send(vox_transport_call* handle, const Call& call, nlohmann::json event);

    TransportHost& host_;
    EchoAgentOptions options_;
    std::mutex mutex_;  // the callbacks all come from the reactor thread; this is belt and braces
    std::map<vox_transport_call*, Call> calls_;
};

}  // namespace vox::test
