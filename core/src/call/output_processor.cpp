#include "output_processor.hpp"

#include <vox/core/pipeline/pipeline.hpp>

#include <cmath>

namespace vox::call::detail {

using pipeline::Frame;
using pipeline::FrameType;

namespace {
// Play-out reports may trail the audio a little; beyond this the clock decides.
constexpr std::int64_t kPlayoutSlackNs = 250'000'000;
}  // namespace

OutputProcessor::OutputProcessor(CallContext& call) : FrameProcessor("output"), call_(call) {}

void OutputProcessor::process(Frame f) {
    switch (f.type) {
    case FrameType::response_start: {
        Response& response = responses_[f.response];
        response.turn = f.turn;
        response.filler = f.code == "filler";
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
        }
        break;
    }
    case FrameType::output_audio: on_audio(std::move(f)); return;
    case FrameType::output_done: {
        auto it = responses_.find(f.response);
        if (it == responses_.end()) break;
        it->second.synthesis_done = true;
        if (it->second.sent_ms == 0) {  // nothing to say after all
            responses_.erase(it);
            break;
        }
        if (it->second.played_ms >= it->second.sent_ms) finish(it->first, it->second, false, it->second.played_ms);
        break;
    }
    case FrameType::interruption: {
        for (auto it = responses_.begin(); it != responses_.end();) {
            Response& response = it->second;
            std::uint32_t played = response.first_out_ns == 0 ? 0 : call_.transport->clear(it->first);
            if (!response.filler) {
                std::string heard = response.first_out_ns == 0
                                        ? std::string()
                                        : heard_prefix(response.text, response.words, played, response.sent_ms);
                call_.conversation.truncate_agent(it->first, heard);
                response.text = heard;
            }
            if (response.first_out_ns != 0) {
                call_.emit({{"type", "interruption"}, {"turn", response.turn}, {"heard_text", response.text}});
                finish(it->first, response, true, played);
            }
            it = responses_.erase(it);
        }
        update_audible();
        break;
    }
    default: break;
    }
    push(std::move(f));
}

void OutputProcessor::on_audio(Frame f) {
    auto it = responses_.find(f.response);
    if (it == responses_.end() || !f.audio) return;
    Response& response = it->second;
    if (response.first_out_ns == 0) {
        response.first_out_ns = f.time_ns;
        if (!response.filler) {
            TurnTimes& times = call_.turns[response.turn];
            if (times.first_audio_out == 0) times.first_audio_out = f.time_ns;
            call_.answer_owed_since = 0;
            report_latency(response.turn);
        }
        call_.emit({{"type", "agent_start_talking"}, {"turn", response.turn}});
    }
    call_.transport->play(f.response, f.audio->view());
    response.sent_ms += static_cast<std::uint32_t>(std::lround(f.audio->duration_seconds() * 1000.0));
    call_.last_activity_ns = f.time_ns;
    update_audible();
}

void OutputProcessor::report_latency(std::uint64_t turn) {
    TurnTimes& t = call_.turns[turn];
    if (t.reported || turn == 0 || t.speech_end == 0) return;  // the greeting answers no speech
    t.reported = true;
    double e2e = CallContext::ms_between(t.speech_end, t.first_audio_out);
    double stt = CallContext::ms_between(t.speech_end, t.stt_final);
    double llm = CallContext::ms_between(t.llm_start, t.llm_first_token);
    double tts = CallContext::ms_between(t.tts_first_text, t.tts_first_audio != 0 ? t.tts_first_audio : t.first_audio_out);
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
    auto it = responses_.find(context);
    if (it == responses_.end()) return;
    it->second.played_ms = std::max(it->second.played_ms, played_ms);
    if (it->second.synthesis_done && it->second.played_ms >= it->second.sent_ms) {
        finish(it->first, it->second, false, it->second.played_ms);
        responses_.erase(it);
        update_audible();
    }
}

void OutputProcessor::tick(std::int64_t now_ns) {
    for (auto it = responses_.begin(); it != responses_.end();) {
        Response& r = it->second;
        bool played_by_clock = r.first_out_ns != 0 &&
                               now_ns - r.first_out_ns >= static_cast<std::int64_t>(r.sent_ms) * 1'000'000 + kPlayoutSlackNs;
        if (r.synthesis_done && played_by_clock) {
            finish(it->first, r, false, r.sent_ms);
            it = responses_.erase(it);
        } else {
            ++it;
        }
    }
    update_audible();
}

void OutputProcessor::finish(std::uint64_t id, Response& response, bool interrupted, std::uint32_t played_ms) {
    (void)id;
    std::int64_t start = response.first_out_ns;
    std::int64_t end = start + static_cast<std::int64_t>(std::min(played_ms, response.sent_ms)) * 1'000'000;
    if (!response.filler) call_.add_transcript("agent", response.text, start, end);
    call_.emit({{"type", "transcript"}, {"role", "agent"}, {"text", response.text}, {"final", true}, {"turn", response.turn}});
    call_.emit({{"type", "agent_stop_talking"}, {"turn", response.turn}, {"interrupted", interrupted}});
    call_.last_activity_ns = call_.now_ns();
}

void OutputProcessor::update_audible() {
    bool audible = false;
    for (const auto& [id, response] : responses_)
        if (response.first_out_ns != 0) audible = true;
    call_.agent_audible = audible;
}

}  // namespace vox::call::detail
