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
        SttCallbacks{
            .on_transcript =
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

void SttProcessor::process(Frame frame) {
    switch (frame.type) {
    case FrameType::user_started_speaking:
        utterance_turn_ = frame.turn;
        push(std::move(frame));
        return;
    case FrameType::input_audio:
        if (failed_ || !stt_) return;
        try {
            stt_->push_audio(frame.audio->view());
        } catch (const std::exception& error) {
            failed_ = true;
            call_.emit({{"type", "error"}, {"code", "error_stt"}, {"message", error.what()}, {"fatal", true}});
            call_.end_call("error_stt", true);
        }
        return;  // audio stops here
    case FrameType::user_stopped_speaking:
        if (stt_ && !failed_) {
            if (frame.code == "ignored") {
                stt_->cancel();  // a backchannel over the agent: forget it
            } else {
                awaiting_final_.push_back(frame.turn);
                try {
                    stt_->flush();
                } catch (const std::exception& error) {
                    failed_ = true;
                    call_.end_call("error_stt", true);
                    return;
                }
            }
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
            failed_ = true;
            call_.emit({{"type", "error"}, {"code", "error_stt"}, {"message", frame.text}, {"fatal", true}});
            call_.end_call("error_stt", true);
            return;
        }
        push(std::move(frame));
        return;
    default: push(std::move(frame)); return;
    }
}

void SttProcessor::on_transcript(Frame frame) {
    if (!frame.is_final) {
        if (!frame.text.empty())
            call_.emit({{"type", "transcript"}, {"role", "user"}, {"text", frame.text}, {"final", false},
                        {"turn", utterance_turn_}});
        return;
    }
    std::uint64_t turn = utterance_turn_;
    if (!awaiting_final_.empty()) {
        turn = awaiting_final_.front();
        awaiting_final_.pop_front();
    }
    TurnTimes& times = call_.turns[turn];
    times.stt_final = frame.time_ns;
    call_.emit({{"type", "transcript"}, {"role", "user"}, {"text", frame.text}, {"final", true}, {"turn", turn}});
    if (frame.text.empty()) return;  // noise: nothing to answer
    call_.add_transcript("user", frame.text, times.speech_start != 0 ? times.speech_start : frame.time_ns,
                         times.speech_end != 0 ? times.speech_end : frame.time_ns);
    frame.turn = turn;
    frame.code.clear();
    push(std::move(frame));
}

}  // namespace vox::call::detail
