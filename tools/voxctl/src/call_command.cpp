// voxctl call: place a web call to an agent through voxd (POST /api/calls/start,
// then the media socket of docs/protocol.md section 2), speak WAV files as the
// caller in real time, and report per turn the latency to the agent's answer
// and the transcripts, optionally recording the agent's side.
#include "call_api.hpp"
#include "call_script.hpp"
#include "command.hpp"
#include "media_client.hpp"

#include <vox/core/audio/level.hpp>
#include <vox/core/audio/resampler.hpp>
#include <vox/core/audio/wav.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace voxctl {
namespace {

// sysexits(3), as scripts and benchmarks expect of a client.
constexpr int kExitCannotConnect = 69;  // EX_UNAVAILABLE: voxd unreachable, or it refused the call
constexpr int kExitTimedOut = 75;       // EX_TEMPFAIL: an answer did not come in time
constexpr int kExitUsageSysexits = 64;  // EX_USAGE

// A WAV file as mono PCM (channels averaged), at its own rate.
vox::audio::AudioBuffer read_mono(const std::string& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw UsageError("cannot read " + file + ": no such file");
    vox::audio::AudioBuffer audio;
    try {
        audio = vox::audio::read_wav(file);
    } catch (const std::exception& e) {
        throw UsageError(file + " is not a readable WAV file: " + e.what());
    }
    if (audio.frames() == 0) throw UsageError(file + " holds no audio");
    if (audio.channels == 1) return audio;
    vox::audio::AudioBuffer mono;
    mono.sample_rate = audio.sample_rate;
    mono.samples.resize(audio.frames());
    for (std::size_t i = 0; i < audio.frames(); ++i) {
        long sum = 0;
        for (std::uint32_t c = 0; c < audio.channels; ++c) sum += audio.samples[i * audio.channels + c];
        mono.samples[i] = static_cast<std::int16_t>(sum / static_cast<long>(audio.channels));
    }
    return mono;
}

// A caller turn at the call's rate, with where its speech is: the 10 ms windows
// louder than -50 dBFS and than 35 dB below the loudest one. Leading and
// trailing silence in the file are sent too, but the latency counts from the
// end of the speech and a barge-in from its start.
Utterance utterance_of(const vox::audio::AudioBuffer& audio, std::uint32_t rate) {
    Utterance utterance;
    utterance.samples = vox::audio::resample(audio.view(), rate).samples;
    const std::size_t window = rate / 100;
    const std::size_t windows = utterance.samples.size() / window;
    std::vector<double> levels(windows);
    double loudest = -200;
    for (std::size_t w = 0; w < windows; ++w) {
        levels[w] = vox::audio::rms_dbfs(std::span<const std::int16_t>(utterance.samples).subspan(w * window, window));
        loudest = std::max(loudest, levels[w]);
    }
    const double threshold = std::max(-50.0, loudest - 35.0);
    utterance.voiced_begin = 0;
    utterance.voiced_end = utterance.samples.size();
    auto first = std::find_if(levels.begin(), levels.end(), [&](double level) { return level >= threshold; });
    if (first == levels.end()) return utterance;  // no speech found: the whole file counts
    auto last = std::find_if(levels.rbegin(), levels.rend(), [&](double level) { return level >= threshold; });
    utterance.voiced_begin = static_cast<std::size_t>(first - levels.begin()) * window;
    utterance.voiced_end = std::min(utterance.samples.size(), static_cast<std::size_t>(levels.rend() - last) * window);
    return utterance;
}

std::string quoted(const std::string& text) { return text.empty() ? "-" : "\"" + text + "\""; }

nlohmann::json number_or_null(const std::optional<double>& value) {
    return value ? nlohmann::json(static_cast<long>(std::lround(*value))) : nlohmann::json(nullptr);
}

void print_human(const StartedCall& call, const ScriptResult& result) {
    std::cout << "call " << call.call_id << " (" << call.sample_rate << " Hz)\n";
    for (std::size_t i = 0; i < result.turns.size(); ++i) {
        const TurnResult& turn = result.turns[i];
        std::cout << "turn " << i + 1 << ": ";
        if (turn.latency_ms)
            std::cout << "latency " << std::lround(*turn.latency_ms) << " ms";
        else
            std::cout << "no answer";
        if (turn.barge_in) {
            std::cout << ", barge-in: agent stopped ";
            if (turn.barge_in_stop_ms)
                std::cout << "after " << std::lround(*turn.barge_in_stop_ms) << " ms";
            else
                std::cout << "- (it was not talking)";
        }
        std::cout << "\n  caller: " << quoted(turn.user_text) << "\n  agent:  " << quoted(turn.agent_text) << "\n";
    }
    std::cout << "ended: " << result.ended_reason.value_or("(no call_ended)") << "\n";
}

nlohmann::json to_json(const StartedCall& call, const ScriptResult& result) {
    nlohmann::json turns = nlohmann::json::array();
    for (const TurnResult& turn : result.turns) {
        nlohmann::json item = {{"latency_ms", number_or_null(turn.latency_ms)},
                               {"user_text", turn.user_text},
                               {"agent_text", turn.agent_text}};
        if (turn.barge_in) item["barge_in_stop_ms"] = number_or_null(turn.barge_in_stop_ms);
        turns.push_back(item);
    }
    return {{"call_id", call.call_id},
            {"turns", turns},
            {"ended_reason", result.ended_reason ? nlohmann::json(*result.ended_reason) : nlohmann::json(nullptr)}};
}

int run_call(const ParsedArgs& args) {
    StartCallRequest request;
    request.base_url = args.required("url");
    if (request.base_url.rfind("http://", 0) != 0)
        throw UsageError("--url must be voxd's http:// address, e.g. http://127.0.0.1:8080");
    const char* env_key = std::getenv("VOX_API_KEY");
    request.api_key = args.value_or("api-key", env_key != nullptr ? env_key : "");
    if (request.api_key.empty()) throw UsageError("missing --api-key (or VOX_API_KEY)");
    request.agent_id = args.required("agent");
    request.sample_rate = static_cast<std::uint32_t>(parse_integer("sample-rate", args.value_or("sample-rate", "16000"), 8000, 48000));
    if (request.sample_rate != 8000 && request.sample_rate != 16000 && request.sample_rate != 24000 &&
        request.sample_rate != 48000)
        throw UsageError("--sample-rate must be 8000, 16000, 24000 or 48000");
    if (auto variables = args.value("variables")) {
        request.variables = nlohmann::json::parse(*variables, nullptr, false);
        if (!request.variables.is_object())
            throw UsageError("--variables must be a JSON object, e.g. '{\"customer_name\":\"Ada\"}'");
    }
    ScriptOptions script;
    script.answer_timeout = std::chrono::seconds(parse_integer("answer-timeout", args.value_or("answer-timeout", "15"), 1, 600));
    if (auto barge = args.value("barge-in-ms"))
        script.barge_in = std::chrono::milliseconds(parse_integer("barge-in-ms", *barge, 0, 600000));
    const std::vector<std::string> files = args.values("say");
    if (files.empty()) throw UsageError("give at least one --say FILE.wav (what the caller says)");
    std::vector<vox::audio::AudioBuffer> says;
    for (const auto& file : files) says.push_back(read_mono(file));
    const auto record = args.value("record");

    StartedCall call;
    std::unique_ptr<MediaClient> client;
    try {
        call = start_call(request);
        client = std::make_unique<MediaClient>(args.value_or("socket-url", call.socket_url), call.sample_rate);
    } catch (const CallApiError& error) {
        std::cerr << "voxctl call: " << error.what() << "\n";
        return kExitCannotConnect;
    }
    for (const auto& audio : says) script.says.push_back(utterance_of(audio, call.sample_rate));

    client->start();
    ScriptResult result = run_script(*client, script);
    {
        std::lock_guard lock(client->mutex());
        if (!client->state().failure.empty()) std::cerr << "voxctl call: " << client->state().failure << "\n";
    }
    if (record) {
        auto samples = client->recording(std::chrono::steady_clock::now());
        vox::audio::write_wav(*record, vox::audio::AudioView{samples, call.sample_rate, 1});
    }

    if (args.flag("json"))
        std::cout << to_json(call, result).dump() << "\n";
    else
        print_human(call, result);
    if (result.timed_out) {
        std::cerr << "voxctl call: turn " << result.turns.size() << ": no answer within "
                  << script.answer_timeout.count() / 1000 << " s (--answer-timeout)\n";
        return kExitTimedOut;
    }
    return kExitOk;
}

}  // namespace

Command make_call_command() {
    Command command;
    command.name = "call";
    command.summary = "place a web call to an agent and speak WAV files to it";
    command.usage = "voxctl call --url URL --api-key KEY --agent ID --say FILE.wav [--say FILE.wav ...] [options]";
    command.description =
        "Starts a web call through voxd (POST /api/calls/start), joins its media socket (docs/protocol.md) and\n"
        "acts as the caller in real time: 20 ms frames every 20 ms, silence between turns. It waits for the\n"
        "agent's greeting, then speaks each --say file, measures the latency (end of the speech sent to the\n"
        "first agent audio received) and waits for the answer to finish; then it hangs up. Files are resampled\n"
        "to the call's rate; their leading and trailing silence is sent but not counted as speech. With\n"
        "--barge-in-ms N the last --say starts N ms after the previous answer began, and its turn reports\n"
        "barge_in_stop_ms: first speech sample sent to the clear received or the agent's audio stopping.\n"
        "\n"
        "--json prints {\"call_id\", \"turns\": [{\"latency_ms\", \"user_text\", \"agent_text\"}], \"ended_reason\"}.\n"
        "Exit status: 0 done, 64 bad usage, 69 voxd unreachable or it refused the call, 75 an answer timed out.\n"
        "\n"
        "Examples:\n"
        "  voxctl tts --text \"What are your opening hours?\" --out q.wav\n"
        "  voxctl call --url http://127.0.0.1:8080 --api-key $KEY --agent agent_123 --say q.wav --record a.wav\n"
        "  voxctl call ... --say q1.wav --say q2.wav --barge-in-ms 500 --json";
    command.options = {
        {"url", "URL", "voxd's address, e.g. http://127.0.0.1:8080"},
        {"api-key", "KEY", "an API key (default: $VOX_API_KEY)"},
        {"agent", "ID", "the agent to call"},
        {"say", "FILE.wav", "what the caller says in one turn; repeat for more turns"},
        {"record", "FILE.wav", "write the agent's audio, time-aligned, at the call's rate"},
        {"json", "", "print the result as JSON"},
        {"sample-rate", "HZ", "the call's audio rate: 8000, 16000 (default), 24000 or 48000"},
        {"variables", "JSON", "dynamic variables for the agent, a JSON object of strings"},
        {"answer-timeout", "SECONDS", "give up on an answer after this long (default: 15)"},
        {"socket-url", "WSURL", "join this media socket instead of the socket_url voxd returns"},
        {"barge-in-ms", "MS", "speak the last --say this long after the previous answer began"},
    };
    command.usage_exit = kExitUsageSysexits;
    command.run = run_call;
    return command;
}

}  // namespace voxctl
