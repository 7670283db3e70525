#include "stt_processor.hpp"

#include <vox/core/log.hpp>
#include <vox/core/pipeline/pipeline.hpp>

namespace vox::call::detail {

using pipeline::Frame;
using pipeline::FrameType;

SttProcessor::SttProcessor(CallContext& call) : FrameProcessor("stt"), call_(call) {}

void SttProcessor::open() {
    auto& pipe = pipeline();
    std::size_t self = index();
    stt_ = std::make_unique<SttClient>(
        *call_.setup.providers.stt,
        SttCallbacks{.on_transcript =
                         [&pipe, self, now = call_.now_ns](const SttTranscript& t) {
                             auto frame = Frame::make(FrameType::transcript, 0, 0, now());
                             frame.text = t.text;
                             frame.is_final = t.is_final;
                             frame.code = "provider";
                             pipe.inject(self, std::move(frame));
                         },
                     .on_error =
                         [&pipe, self, now = call_.now_ns](const ProviderError& error) {
                             auto frame = Frame::make(FrameType::error, 0, 0, now());
                             frame.code = "stt";
                             frame.text = error.what();
                             pipe.inject(self, std::move(frame));
                         }},
        SttOptions{.settings = call_.setup.stt_settings, .input_sample_rate = call_.setup.sample_rate});
}

void SttProcessor::close() noexcept {
    if (stt_) stt_->close();
}

void SttProcessor::fail(const std::string& message) {
    if (failed_) return;
    failed_ = true;
    call_.emit({{"type", "error"}, {"code", "error_stt"}, {"message", message}, {"fatal", true}});
    call_.end_call("error_stt", true);
}

void SttProcessor::reset_turn() {
    segments_.clear();
    held_.clear();
    audio_since_flush_ = false;
    holding_silence_ = false;
    turn_ended_ = false;
}

void SttProcessor::push_audio(const Frame& frame) {
    try {
        stt_->push_audio(frame.audio->view());
        audio_since_flush_ = true;
    } catch (const std::exception& error) {
        fail(error.what());
    }
}

void SttProcessor::finalise_segment() {
    held_.clear();
    if (!audio_since_flush_) return;
    audio_since_flush_ = false;
    ++awaiting_finals_;
    try {
        stt_->flush();
    } catch (const std::exception& error) {
        fail(error.what());
    }
}

void SttProcessor::process(Frame frame) {
    if (failed_ || !stt_) {
        if (frame.type != FrameType::input_audio) push(std::move(frame));
        return;
    }
    switch (frame.type) {
    case FrameType::user_started_speaking:
        if (turn_ != frame.turn && awaiting_finals_ == 0) reset_turn();
        turn_ = frame.turn;
        turn_ended_ = false;
        push(std::move(frame));
        return;
    case FrameType::input_audio:
        if (holding_silence_) {
            // After a pause: keep silence back unless the caller speaks again.
            held_.push_back(std::move(frame));
            if (held_.back().code != "voiced") return;
            holding_silence_ = false;
            for (const auto& held : held_) push_audio(held);
            held_.clear();
            return;
        }
        push_audio(frame);
        return;  // audio stops here
    case FrameType::user_paused:
        finalise_segment();
        holding_silence_ = true;
        return;
    case FrameType::user_stopped_speaking:
        if (frame.code == "ignored") {
            stt_->cancel();  // a backchannel over the agent: forget it
            awaiting_finals_ = 0;
            reset_turn();
        } else {
            finalise_segment();
            holding_silence_ = false;
            turn_ended_ = true;
            turn_ended_ns_ = frame.time_ns;
            complete_turn_if_ready();
        }
        push(std::move(frame));
        return;
    case FrameType::transcript:
        if (frame.code == "provider") {
            on_transcript(std::move(frame));
            return;
        }
        push(std::move(frame));
        return;
    case FrameType::error:
        if (frame.code == "stt") {
            fail(frame.text);
            return;
        }
        push(std::move(frame));
        return;
    default: push(std::move(frame)); return;
    }
}

void SttProcessor::on_transcript(Frame frame) {
    if (!frame.is_final) {
        std::string partial = frame.text;
        for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) partial = *it + " " + partial;
        if (!frame.text.empty())
            call_.emit(
                {{"type", "transcript"}, {"role", "user"}, {"text", partial}, {"final", false}, {"turn", turn_}});
        return;
    }
    if (awaiting_finals_ > 0) --awaiting_finals_;
    if (!frame.text.empty()) segments_.push_back(frame.text);
    complete_turn_if_ready();
}

void SttProcessor::complete_turn_if_ready() {
    if (!turn_ended_ || awaiting_finals_ > 0) return;
    std::string text;
    for (const auto& segment : segments_) text += (text.empty() ? "" : " ") + segment;
    std::uint64_t turn = turn_;
    reset_turn();
    TurnTimes& times = call_.turns[turn];
    std::int64_t now = call_.now_ns();
    times.stt_final = now;
    call_.emit({{"type", "transcript"}, {"role", "user"}, {"text", text}, {"final", true}, {"turn", turn}});
    if (text.empty()) return;  // noise: nothing to answer
    call_.add_transcript("user", text, times.speech_start != 0 ? times.speech_start : now,
                         times.speech_end != 0 ? times.speech_end : now);
    auto out = Frame::make(FrameType::transcript, turn, 0, now);
    out.text = std::move(text);
    out.is_final = true;
    push(std::move(out));
}

bool SttProcessor::set_grammar(const nlohmann::json& grammar) {
    if (!stt_ || failed_) return false;
    try {
        return stt_->set_grammar(grammar);
    } catch (const ProviderError& error) {
        call_.emit({{"type", "error"},
                    {"code", "stt_grammar_refused"},
                    {"message", std::string("the STT cannot recognise the expected answer: ") + error.what()},
                    {"fatal", false}});
        return false;
    }
}

}  // namespace vox::call::detail
