#include "output_processor.hpp"

#include <vox/core/pipeline/pipeline.hpp>

#include <algorithm>
#include <cmath>

namespace vox::call::detail {

using pipeline::Frame;
using pipeline::FrameType;

namespace {
// Play-out reports may trail the audio a little; beyond this the clock decides.
constexpr std::int64_t kPlayoutSlackNs = 250'000'000;

std::uint32_t samples_to_ms(std::size_t samples, std::uint32_t rate) {
    return rate == 0 ? 0 : static_cast<std::uint32_t>(samples * 1000 / rate);
}
}  // namespace

std::uint32_t OutputProcessor::Response::total_ms() const { return samples_to_ms(audio.size(), sample_rate); }

OutputProcessor::OutputProcessor(CallContext& call) : FrameProcessor("output"), call_(call) {
    const auto& agent = call_.setup.agent;
    if (agent.contains("settings") && agent["settings"].is_object())
        can_interrupt_ = agent["settings"].value("interruption_sensitivity", 0.5) > 0.0;
}

void OutputProcessor::process(Frame f) {
    switch (f.type) {
    case FrameType::response_start: {
        Response& response = responses_[f.response];
        response.turn = f.turn;
        response.filler = f.code == "filler" || f.code == "tones";  // neither is an answer, nor words
        response.transport_context = f.response;
        contexts_[f.response] = f.response;
        break;
    }
    case FrameType::response_text: {
        auto it = responses_.find(f.response);
        if (it == responses_.end()) break;
        if (f.code == "word") {
            it->second.words.push_back({f.text, f.ms});
        } else {
            if (!it->second.text.empty()) it->second.text += ' ';
            it->second.text += f.text;
            // What the agent is about to say, growing clause by clause (the final
            // transcript, at the end, is what was heard).
            if (!it->second.filler)
                call_.emit({{"type", "transcript"},
                            {"role", "agent"},
                            {"text", it->second.text},
                            {"final", false},
                            {"turn", it->second.turn}});
        }
        break;
    }
    case FrameType::output_audio: on_audio(std::move(f)); return;
    case FrameType::output_done: {
        auto it = responses_.find(f.response);
        if (it == responses_.end()) break;
        it->second.synthesis_done = true;
        if (f.code == "cut" && !it->second.filler) {
            // The TTS failed part-way: the caller hears, and the LLM remembers, only what was synthesised.
            Response& cut = it->second;
            cut.text = spoken_prefix(cut.text, cut.words, cut.total_ms());
            call_.conversation.truncate_agent(it->first, cut.text);
        }
        if (it->second.audio.empty()) {  // nothing to say after all
            responses_.erase(it);
            over(f.response);
            break;
        }
        finish_if_played(it);
        break;
    }
    case FrameType::user_started_speaking: pause_for_caller(); break;
    case FrameType::user_stopped_speaking:
        if (f.code == "ignored") resume_after_backchannel();
        break;
    case FrameType::interruption: interrupt(); break;
    default: break;
    }
    update_audible();
    push(std::move(f));
}

void OutputProcessor::on_audio(Frame f) {
    auto it = responses_.find(f.response);
    if (it == responses_.end() || !f.audio) return;
    Response& response = it->second;
    response.sample_rate = f.audio->sample_rate;
    response.audio.insert(response.audio.end(), f.audio->samples.begin(), f.audio->samples.end());
    if (response.first_out_ns == 0) {
        response.first_out_ns = f.time_ns;
        response.playing_since_ns = f.time_ns;
        if (!response.filler) {
            TurnTimes& times = call_.turns[response.turn];
            if (times.first_audio_out == 0) times.first_audio_out = f.time_ns;
            call_.answer_owed_since = 0;
            report_latency(response.turn);
        }
        call_.emit({{"type", "agent_start_talking"}, {"turn", response.turn}});
    }
    if (!response.paused) call_.transport->play(response.transport_context, f.audio->view());
    call_.last_activity_ns = f.time_ns;
    update_audible();
}

void OutputProcessor::pause_for_caller() {
    if (!can_interrupt_) return;
    for (auto& [id, response] : responses_) {
        if (response.first_out_ns == 0 || response.paused) continue;
        std::uint32_t played = call_.transport->clear(response.transport_context);
        response.played_ms = std::max(response.played_ms, response.context_base_ms + played);
        response.paused = true;
    }
}

void OutputProcessor::resume_after_backchannel() {
    std::int64_t now = call_.now_ns();
    for (auto& [id, response] : responses_) {
        if (!response.paused) continue;
        response.paused = false;
        response.transport_context = next_resume_context_++;
        contexts_[response.transport_context] = id;
        response.context_base_ms = response.played_ms;
        response.playing_since_ns = now;
        std::size_t from = static_cast<std::size_t>(response.played_ms) * response.sample_rate / 1000;
        if (from < response.audio.size())
            call_.transport->play(
                response.transport_context,
                audio::AudioView{std::span<const std::int16_t>(response.audio).subspan(from), response.sample_rate, 1});
    }
}

void OutputProcessor::interrupt() {
    for (auto it = responses_.begin(); it != responses_.end();) {
        Response& response = it->second;
        std::uint32_t played = response.played_ms;
        if (response.first_out_ns != 0 && !response.paused)
            played = std::max(played, response.context_base_ms + call_.transport->clear(response.transport_context));
        if (!response.filler) {
            std::string heard = response.first_out_ns == 0
                                    ? std::string()
                                    : heard_prefix(response.text, response.words, played, response.total_ms());
            call_.conversation.truncate_agent(it->first, heard);
            response.text = heard;
        }
        if (response.first_out_ns != 0) {
            call_.emit({{"type", "interruption"}, {"turn", response.turn}, {"heard_text", response.text}});
            finish(response, true, played);
        }
        std::uint64_t id = it->first;
        it = responses_.erase(it);
        over(id);
    }
}

void OutputProcessor::report_latency(std::uint64_t turn) {
    TurnTimes& t = call_.turns[turn];
    if (t.reported || turn == 0 || t.speech_end == 0) return;  // the greeting answers no speech
    t.reported = true;
    double e2e = CallContext::ms_between(t.speech_end, t.first_audio_out);
    double stt = CallContext::ms_between(t.speech_end, t.stt_final);
    double llm = CallContext::ms_between(t.llm_start, t.llm_first_token);
    double tts =
        CallContext::ms_between(t.tts_first_text, t.tts_first_audio != 0 ? t.tts_first_audio : t.first_audio_out);
    nlohmann::json event = {{"type", "metrics"}, {"turn", turn}};
    auto add = [&](const char* stage, const char* field, double value) {
        if (value < 0) return;
        call_.latency.add(stage, value);
        event[field] = std::lround(value);
    };
    add("e2e", "e2e_ms", e2e);
    add("stt", "stt_ms", stt);
    add("llm", "llm_ms", llm);
    add("tts", "tts_ms", tts);
    call_.emit(std::move(event));
}

void OutputProcessor::on_played(std::uint64_t context, std::uint32_t played_ms) {
    auto mapped = contexts_.find(context);
    if (mapped == contexts_.end()) return;
    auto it = responses_.find(mapped->second);
    if (it == responses_.end() || it->second.paused || it->second.transport_context != context) return;
    it->second.played_ms = std::max(it->second.played_ms, it->second.context_base_ms + played_ms);
    finish_if_played(it);
    update_audible();
}

void OutputProcessor::finish_if_played(std::map<std::uint64_t, Response>::iterator it) {
    Response& r = it->second;
    if (!r.synthesis_done || r.paused || r.played_ms < r.total_ms()) return;
    finish(r, false, r.total_ms());
    std::uint64_t id = it->first;
    responses_.erase(it);
    over(id);
}

void OutputProcessor::tick(std::int64_t now_ns) {
    for (auto it = responses_.begin(); it != responses_.end();) {
        Response& r = it->second;
        bool played_by_clock = r.first_out_ns != 0 && !r.paused &&
                               r.context_base_ms * 1'000'000LL + (now_ns - r.playing_since_ns) >=
                                   r.total_ms() * 1'000'000LL + kPlayoutSlackNs;
        if (r.synthesis_done && played_by_clock) {
            finish(r, false, r.total_ms());
            std::uint64_t id = it->first;
            it = responses_.erase(it);
            over(id);
        } else {
            ++it;
        }
    }
    update_audible();
}

void OutputProcessor::finish(Response& response, bool interrupted, std::uint32_t played_ms) {
    std::int64_t start = response.first_out_ns;
    std::int64_t end = start + static_cast<std::int64_t>(std::min(played_ms, response.total_ms())) * 1'000'000;
    if (!response.filler) call_.add_transcript("agent", response.text, start, end);
    if (interrupted || !response.text.empty())  // key tones have no words
        call_.emit({{"type", "transcript"},
                    {"role", "agent"},
                    {"text", response.text},
                    {"final", true},
                    {"turn", response.turn}});
    call_.emit({{"type", "agent_stop_talking"}, {"turn", response.turn}, {"interrupted", interrupted}});
    call_.last_activity_ns = call_.now_ns();
}

void OutputProcessor::over(std::uint64_t response) {
    if (call_.response_over) call_.response_over(response);
}

void OutputProcessor::update_audible() {
    // A paused response still holds the floor: the caller's speech over it is
    // judged as a possible interruption until it is resumed or cut.
    bool audible = false;
    for (const auto& [id, response] : responses_)
        if (response.first_out_ns != 0) audible = true;
    call_.agent_audible = audible;
}

}  // namespace vox::call::detail
