// One live call: the caller's audio in, the agent's audio out, and between
// them voice-activity detection, turn-taking with barge-in, STT, the LLM and
// TTS, run as a frame pipeline on the call's own strand of the shared
// CallRuntime pool (no thread per call).
//
//   auto session = vox::call::CallSession::create(runtime, std::move(setup), transport, observer);
//   session->start();                  // greets (speak_first) or listens
//   session->push_audio(view);         // transport thread: caller audio at setup.sample_rate
//   session->end("api_hangup");        // or it ends itself (inactivity, errors, ...)
//
// The session reports everything through the CallObserver: events (the
// objects of docs/protocol.md section 4; the host forwards them to the event
// sockets and to the caller's client through the transport's send_event) and
// exactly one on_ended with the call's result.
#pragma once

#include <vox/core/audio/pcm.hpp>
#include <vox/core/call/call_recorder.hpp>
#include <vox/core/call/call_runtime.hpp>
#include <vox/core/plugin_registry.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vox::call {

// What a session needs from the transport its caller is on. Called from the
// session's strand; implementations must not block for long.
class CallTransport {
public:
    virtual ~CallTransport() = default;
    // Queues agent audio of response `context` (at the call's sample rate) for play-out.
    virtual void play(std::uint64_t context, const audio::AudioView& audio) = 0;
    // Barge-in: drops queued audio of `context`; returns how many ms of it were played.
    virtual std::uint32_t clear(std::uint64_t context) = 0;
    // The session ends the call (the transport must not report the end back).
    virtual void hangup(std::string_view reason) = 0;
    // Hands the caller to `to` (E.164 number or SIP URI). Throws
    // ProviderError when the transport cannot; on success the call is over
    // for the agent. The default: this transport cannot transfer.
    virtual void transfer(std::string_view to);
};

// A fallback STT or TTS provider and the session settings it is opened with
// (the agent's voice is for its primary TTS; a fallback has its own).
struct FallbackProvider {
    const Provider* provider = nullptr;
    nlohmann::json settings = nlohmann::json::object();
};

// Providers resolved by the host from the agent (and its defaults).
struct CallProviders {
    const Provider* stt = nullptr;
    const Provider* llm = nullptr;  // may be null: the agent then only says its begin message
    const Provider* tts = nullptr;
    const Provider* vad = nullptr;  // may be null: a built-in energy detector is used
    // Taken in order when the LLM fails (a refused connection, a timeout on
    // the first token, an error mid-stream): before it has spoken, the same
    // turn is asked again of the next; after, the next turns are.
    std::vector<const Provider*> llm_fallbacks{};
    // Taken in order when the STT fails (it refuses to open, or errs mid-call):
    // the caller's turn not yet recognised is sent again to the next.
    std::vector<FallbackProvider> stt_fallbacks{};
    // Taken in order when the TTS fails (it refuses to open, or errs on a
    // response): a response with no audio yet is spoken again by the next;
    // one already audible ends there, and the next responses go to the next.
    std::vector<FallbackProvider> tts_fallbacks{};
};

struct CallSetup {
    std::string call_id;
    nlohmann::json agent;                                 // the agent as the API returns it
    nlohmann::json variables = nlohmann::json::object();  // {{name}} substitutions
    std::uint32_t sample_rate = 16000;                    // the transport's audio rate, both ways
    CallProviders providers;
    nlohmann::json stt_settings = nlohmann::json::object();
    nlohmann::json tts_settings = nlohmann::json::object();  // e.g. {"voice": agent.voice}
    nlohmann::json vad_settings = nlohmann::json::object();
    // Dead air: when a caller turn has waited this long for the first answer
    // audio, the agent says a filler and asks the LLM again; after the second
    // limit the call ends as "dead_air".
    std::uint32_t filler_after_ms = 4000;
    std::uint32_t dead_air_end_ms = 12000;
    std::string filler_text = "One moment, please.";
    // An answer whose LLM stream goes quiet this long after it began speaking is cut short.
    std::uint32_t llm_stall_ms = 5000;
    // A TTS that has sent no audio this long after it was given a whole
    // response (flushed) is taken for hung: the next fallback speaks it, or
    // the call ends as error_tts. 0: wait for the provider's own timeout.
    std::uint32_t tts_first_audio_ms = 3000;
    // The agent's call flow (core/schemas/flow.json); null or without nodes:
    // the agent converses freely with its LLM.
    nlohmann::json flow;
    // The flow_node provider of each node type the flow uses, by type name.
    std::map<std::string, const Provider*> flow_node_types;
    // Runs the agent's http tools (agent.tools): the builtin flow_node.function
    // provider; null when the agent has none.
    const Provider* http_tool_runner = nullptr;
    // A caller answer the flow expects in full (all the digits of a phone
    // number) is waited for this long after a pause before it is taken as it is.
    std::uint32_t answer_wait_ms = 3000;
    // Fed the caller's audio as received and the agent's as sent, on the
    // call's strand; null: the call is not recorded.
    std::shared_ptr<CallRecorder> recorder;
};

// What a finished call leaves for its record (docs/protocol.md sections 5, 6).
struct CallResult {
    std::string disconnection_reason;                     // user_hangup, inactivity, error_llm, ...
    bool failed = false;                                  // status "failed" rather than "completed"
    double duration_seconds = 0;                          // from start() to the end
    nlohmann::json transcript = nlohmann::json::array();  // [{"speaker","text","start","end"}], seconds
    nlohmann::json latency = nlohmann::json::object();    // {"e2e","stt","llm","tts"}: percentiles, ms
    double mean_e2e_latency_ms = 0;                       // 0 when no turn was answered
    std::size_t turns = 0;                                // caller turns answered
    // With a flow: the nodes entered, in order ([{"node_id","type","t_ms"}]),
    // and the variables its nodes collected.
    nlohmann::json flow_path = nlohmann::json::array();
    nlohmann::json collected_variables = nlohmann::json::object();
    // Providers the call switched away from: [{"stage","from","to","reason","t_ms"}].
    nlohmann::json provider_switches = nlohmann::json::array();
};

class CallObserver {
public:
    virtual ~CallObserver() = default;
    // An event of docs/protocol.md section 4 ("type", "call_id", "t_ms", ...).
    // Runs on the session's strand; must not block for long or call back into the session.
    virtual void on_event(const nlohmann::json& event) = 0;
    // Exactly once, after the last event (call_ended is sent by the host once the record is stored).
    virtual void on_ended(const CallResult& result) = 0;
};

class CallSession : public std::enable_shared_from_this<CallSession> {
public:
    // Throws ProviderError when a provider refuses to open a session (bad voice, ...).
    static std::shared_ptr<CallSession> create(CallRuntime& runtime, CallSetup setup,
                                               std::shared_ptr<CallTransport> transport,
                                               std::shared_ptr<CallObserver> observer);
    virtual ~CallSession() = default;

    // Starts the pipeline: call_started, then the greeting or listening.
    virtual void start() = 0;
    // Caller audio at setup.sample_rate, mono. Any thread; cheap (copies and posts).
    virtual void push_audio(const audio::AudioView& audio) = 0;
    virtual void push_dtmf(char digit) = 0;
    // The transport played `played_ms` of response `context`.
    virtual void on_played(std::uint64_t context, std::uint32_t played_ms) = 0;
    // Ends the call from outside (the caller hung up, the API, shutdown). Any
    // thread; idempotent. on_ended follows (asynchronously).
    virtual void end(std::string reason) = 0;
    // True until on_ended has been delivered.
    virtual bool active() const = 0;

    const std::string& call_id() const { return call_id_; }

protected:
    explicit CallSession(std::string call_id) : call_id_(std::move(call_id)) {}

private:
    std::string call_id_;
};

}  // namespace vox::call
