#include "call_script.hpp"

#include <algorithm>
#include <thread>

namespace voxctl {
namespace {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using namespace std::chrono_literals;

constexpr auto kGreetingWait = 2s;      // no greeting within this: go on
constexpr auto kGreetingQuiet = 600ms;  // the greeting is over after this much agent silence
constexpr auto kAnswerQuiet = 800ms;    // an answer is over after this much agent silence
constexpr auto kStopGap = 100ms;        // agent frames come every 20 ms: a gap this long means it stopped
constexpr auto kLongest = 120s;         // bound on waiting for an answer to finish
constexpr auto kHangupWait = 3s;
constexpr auto kPoll = 20ms;

double ms_between(TimePoint from, TimePoint to) { return std::chrono::duration<double, std::milli>(to - from).count(); }

std::optional<TimePoint> first_audio_from(const MediaState& state, TimePoint from) {
    auto it = std::lower_bound(state.agent_audio.begin(), state.agent_audio.end(), from,
                               [](const MediaState::AgentFrame& frame, TimePoint t) { return frame.at < t; });
    if (it == state.agent_audio.end()) return std::nullopt;
    return it->at;
}

bool stop_talking_seen(const MediaState& state, int turn, TimePoint after) {
    return std::any_of(state.events.begin(), state.events.end(), [&](const MediaState::Event& event) {
        return event.at >= after && event.message.value("type", "") == "agent_stop_talking" &&
               event.message.value("turn", -1) == turn;
    });
}

bool quiet_for(const MediaState& state, std::chrono::milliseconds quiet) {
    return !state.agent_audio.empty() && Clock::now() - state.agent_audio.back().at >= quiet;
}

// When the caller stopped hearing the agent after `from` (the first speech
// sample of a barge-in): at the first clear (the client drops what it holds),
// or when the play-out of the frames received ran dry (a client plays each
// frame after the previous one, or when it arrives) and stayed dry for
// kStopGap, whichever came first. `decided` says whether it can be told yet.
// Nothing when the agent was not audible at `from` and sent no clear.
std::optional<TimePoint> agent_stop(const MediaState& state, TimePoint from, TimePoint now, bool& decided) {
    std::optional<TimePoint> cleared;
    for (auto at : state.clears)
        if (at >= from) {
            cleared = at;
            break;
        }
    TimePoint play_end{};  // when the audio received so far has played out
    auto clear = state.clears.begin();
    bool audible = false;
    bool checked_from = false;
    std::optional<TimePoint> dry;
    for (const auto& frame : state.agent_audio) {
        for (; clear != state.clears.end() && *clear <= frame.at; ++clear) play_end = std::min(play_end, *clear);
        if (!checked_from && frame.at > from) {
            audible = play_end > from || frame.at - from < kStopGap;
            checked_from = true;
        }
        if (checked_from && frame.at > play_end + kStopGap) {
            if (audible) dry = std::max(play_end, from);
            break;
        }
        play_end = std::max(play_end, frame.at) + frame.length;
    }
    if (!checked_from) audible = play_end > from;
    if (!dry && audible && now > play_end + kStopGap) dry = std::max(play_end, from);
    decided = cleared.has_value() || dry.has_value() || (!audible && now - from >= kStopGap);
    if (cleared && dry) return std::min(*cleared, *dry);
    return cleared ? cleared : dry;
}

// Waits with `lock` held until `done()` or `deadline`; re-checks every 20 ms for conditions on time.
template <class Done>
bool wait_until(MediaClient& client, std::unique_lock<std::mutex>& lock, TimePoint deadline, Done done) {
    while (!done()) {
        auto now = Clock::now();
        if (now >= deadline) return false;
        client.changed().wait_until(lock, std::min(deadline, now + kPoll));
    }
    return true;
}

// Final transcripts into their turns: by the event's "turn" (1-based), else by when they came.
void collect_texts(const MediaState& state, const std::vector<TimePoint>& turn_starts, std::vector<TurnResult>& turns) {
    for (const auto& event : state.events) {
        const auto& message = event.message;
        if (message.value("type", "") != "transcript" || !message.value("final", false)) continue;
        long index = message.value("turn", 0L) - 1;
        if (!message.contains("turn")) {
            auto later = std::upper_bound(turn_starts.begin(), turn_starts.end(), event.at);
            index = static_cast<long>(later - turn_starts.begin()) - 1;
        }
        if (index < 0 || index >= static_cast<long>(turns.size())) continue;
        std::string& text = message.value("role", "") == "user" ? turns[static_cast<std::size_t>(index)].user_text
                                                                  : turns[static_cast<std::size_t>(index)].agent_text;
        std::string piece = message.value("text", "");
        if (piece.empty()) continue;
        text += (text.empty() ? "" : " ") + piece;
    }
}

}  // namespace

ScriptResult run_script(MediaClient& client, const ScriptOptions& options) {
    ScriptResult result;
    std::vector<TimePoint> turn_starts;
    std::unique_lock lock(client.mutex());
    MediaState& state = client.state();

    // The greeting (turn 0): wait for it to start, then to end, unless the only turn barges into it.
    const TimePoint origin = client.origin();
    wait_until(client, lock, Clock::now() + kGreetingWait,
               [&] { return !state.agent_audio.empty() || stop_talking_seen(state, 0, origin) || state.closed; });
    std::optional<TimePoint> previous_answer;
    if (!state.agent_audio.empty()) previous_answer = state.agent_audio.front().at;
    const bool barge_into_greeting = options.barge_in && options.says.size() == 1;
    if (previous_answer && !barge_into_greeting)
        wait_until(client, lock, Clock::now() + kLongest, [&] {
            return stop_talking_seen(state, 0, origin) || quiet_for(state, kGreetingQuiet) || state.closed;
        });

    const std::size_t count = options.says.size();
    for (std::size_t k = 0; k < count && !state.closed; ++k) {
        TurnResult turn;
        turn.barge_in = options.barge_in.has_value() && k + 1 == count;
        if (turn.barge_in && previous_answer) {
            auto at = *previous_answer + *options.barge_in;
            lock.unlock();
            std::this_thread::sleep_until(at);
            lock.lock();
        }
        const Utterance& say = options.says[k];
        lock.unlock();
        client.say(say.samples, say.voiced_begin, say.voiced_end);
        lock.lock();
        auto speaking = std::chrono::milliseconds(say.voiced_end * 1000 / client.sample_rate());
        wait_until(client, lock, Clock::now() + speaking + 2s,
                   [&] { return state.speech_ended.has_value() || state.closed; });
        if (!state.speech_ended || !state.speech_started) break;
        const TimePoint speech_start = *state.speech_started;
        const TimePoint speech_end = *state.speech_ended;
        turn_starts.push_back(speech_start);

        TimePoint answer_from = speech_end;
        if (turn.barge_in) {
            bool decided = false;
            wait_until(client, lock, speech_start + options.answer_timeout, [&] {
                agent_stop(state, speech_start, Clock::now(), decided);
                return decided || state.closed;
            });
            if (auto stop = agent_stop(state, speech_start, Clock::now(), decided)) {
                turn.barge_in_stop_ms = std::max(0.0, ms_between(speech_start, *stop));
                answer_from = std::max(speech_end, *stop + 1us);  // the interrupted answer's last frame is not the new one
            }
        }

        wait_until(client, lock, answer_from + options.answer_timeout,
                   [&] { return first_audio_from(state, answer_from).has_value() || state.closed; });
        auto answer = first_audio_from(state, answer_from);
        if (!answer) {
            result.timed_out = !state.closed;
            result.turns.push_back(turn);
            break;
        }
        turn.latency_ms = ms_between(speech_end, *answer);
        previous_answer = answer;
        result.turns.push_back(turn);

        const bool next_barges_in = options.barge_in.has_value() && k + 2 == count;
        if (!next_barges_in)
            wait_until(client, lock, Clock::now() + kLongest, [&] {
                return stop_talking_seen(state, static_cast<int>(k + 1), speech_end) ||
                       quiet_for(state, kAnswerQuiet) || state.closed;
            });
    }

    bool hung_up = false;
    if (!state.closed) {
        lock.unlock();
        client.send_json({{"type", "hangup"}});
        lock.lock();
        hung_up = true;
        wait_until(client, lock, Clock::now() + kHangupWait,
                   [&] { return state.ended_reason.has_value() || state.closed; });
    }
    collect_texts(state, turn_starts, result.turns);
    result.ended_reason = state.ended_reason;
    // A server that closes normally after our hangup without a call_ended: the protocol calls that user_hangup.
    if (!result.ended_reason && hung_up && state.closed && state.close_code.value_or(0) == 1000)
        result.ended_reason = "user_hangup";
    lock.unlock();
    client.close();
    return result;
}

}  // namespace voxctl
