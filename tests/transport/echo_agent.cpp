#include "echo_agent.hpp"

#include <cmath>
#include <vector>

namespace vox::test {
namespace {

constexpr double kSpeechRms = 500.0;       // about -36 dBFS: the test WAVs are far above, silence is 0
constexpr std::uint32_t kSpeechStartMs = 40;  // voiced this long: the caller is talking

double rms(const std::int16_t* samples, std::size_t count) {
    double sum = 0;
    for (std::size_t i = 0; i < count; ++i) sum += static_cast<double>(samples[i]) * samples[i];
    return count == 0 ? 0.0 : std::sqrt(sum / static_cast<double>(count));
}

std::vector<std::int16_t> tone(std::uint32_t rate, double hz, std::uint32_t ms) {
    std::vector<std::int16_t> samples(static_cast<std::size_t>(rate) * ms / 1000);
    for (std::size_t i = 0; i < samples.size(); ++i)
        samples[i] = static_cast<std::int16_t>(std::lround(6000 * std::sin(2 * M_PI * hz * static_cast<double>(i) / rate)));
    return samples;
}

}  // namespace

EchoAgent::EchoAgent(TransportHost& host, EchoAgentOptions options) : host_(host), options_(options) {}

void EchoAgent::attach() {
    host_.on_started([this](vox_transport_call* call, const nlohmann::json& details) { started(call, details); });
    host_.on_audio_hook([this](vox_transport_call* call, const std::int16_t* samples, std::size_t count) {
        audio(call, samples, count);
    });
    host_.on_played_hook([this](vox_transport_call* call, std::uint64_t context, std::uint32_t ms) {
        played(call, context, ms);
    });
    host_.on_ended_hook([this](vox_transport_call* call, const std::string&) {
        std::lock_guard lock(mutex_);
        calls_.erase(call);
    });
}

void EchoAgent::send(vox_transport_call* handle, const Call& call, nlohmann::json event) {
    event["call_id"] = call.call_id;
    event["t_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - call.started)
                        .count();
    host_.send_event(handle, event);
}

void EchoAgent::respond(vox_transport_call* handle, Call& call, int turn, std::uint32_t ms, double hz) {
    call.context += 1;
    call.response_turn = turn;
    call.response_ms = ms;
    host_.play(handle, call.context, tone(call.rate, hz, ms), call.rate);
    send(handle, call, {{"type", "agent_start_talking"}, {"turn", turn}});
}

void EchoAgent::started(vox_transport_call* handle, const nlohmann::json& details) {
    std::lock_guard lock(mutex_);
    Call& call = calls_[handle];
    call.call_id = details.value("call_id", "");
    call.rate = details.value("sample_rate", 16000U);
    call.started = std::chrono::steady_clock::now();
    call.answers = options_.answers && call.call_id.find("silent") == std::string::npos;
    send(handle, call, {{"type", "call_started"}, {"agent_id", "agent_echo"}, {"sample_rate", call.rate}});
    if (call.answers && options_.greeting_ms > 0) respond(handle, call, 0, options_.greeting_ms, 660.0);
}

void EchoAgent::audio(vox_transport_call* handle, const std::int16_t* samples, std::size_t count) {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(handle);
    if (it == calls_.end()) return;
    Call& call = it->second;
    const auto frame_ms = static_cast<std::uint32_t>(count * 1000 / call.rate);
    const bool voiced = rms(samples, count) > kSpeechRms;

    if (!call.speaking) {
        call.voiced_run_ms = voiced ? call.voiced_run_ms + frame_ms : 0;
        if (call.voiced_run_ms < kSpeechStartMs) return;
        call.speaking = true;
        call.speech_ms = call.voiced_run_ms;
        call.silence_ms = 0;
        send(handle, call, {{"type", "user_start_talking"}, {"turn", call.user_turn + 1}});
        if (call.response_turn >= 0) {  // barge-in
            std::uint32_t heard = host_.clear(handle, call.context);
            int turn = call.response_turn;
            call.response_turn = -1;
            send(handle, call, {{"type", "interruption"}, {"turn", turn}, {"heard_text", "tone " + std::to_string(heard) + " ms"}});
            send(handle, call, {{"type", "transcript"}, {"role", "agent"}, {"final", true}, {"turn", turn},
                                {"text", "tone " + std::to_string(heard) + " ms"}});
            send(handle, call, {{"type", "agent_stop_talking"}, {"turn", turn}, {"interrupted", true}});
        }
        return;
    }
    call.speech_ms += frame_ms;
    call.silence_ms = voiced ? 0 : call.silence_ms + frame_ms;
    if (call.silence_ms < options_.end_of_turn_silence_ms) return;

    call.speaking = false;
    call.voiced_run_ms = 0;
    call.user_turn += 1;
    const std::uint32_t spoken = call.speech_ms - call.silence_ms;
    send(handle, call, {{"type", "user_stop_talking"}, {"turn", call.user_turn}});
    send(handle, call, {{"type", "transcript"}, {"role", "user"}, {"final", true}, {"turn", call.user_turn},
                        {"text", "speech " + std::to_string(spoken / 100 * 100) + " ms"}});
    if (call.answers) respond(handle, call, call.user_turn, options_.tone_ms, 440.0);
}

void EchoAgent::played(vox_transport_call* handle, std::uint64_t context, std::uint32_t played_ms) {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(handle);
    if (it == calls_.end()) return;
    Call& call = it->second;
    if (context != call.context || call.response_turn < 0 || played_ms < call.response_ms) return;
    int turn = call.response_turn;
    call.response_turn = -1;
    send(handle, call, {{"type", "transcript"}, {"role", "agent"}, {"final", true}, {"turn", turn},
                        {"text", "tone " + std::to_string(call.response_ms) + " ms"}});
    send(handle, call, {{"type", "agent_stop_talking"}, {"turn", turn}, {"interrupted", false}});
}

}  // namespace vox::test
