#include "stt_processor.hpp"

#include <vox/core/log.hpp>
#include <vox/core/pipeline/pipeline.hpp>

namespace vox::call::detail {

using pipeline::Frame;
using pipeline::FrameType;

namespace {
// Caller audio kept for a fallback, at most (the oldest goes first).
constexpr std::uint32_t kMaxUnconfirmedMs = 30'000;
}  // namespace

SttProcessor::SttProcessor(CallContext& call)
    : FrameProcessor("stt"),
      call_(call),
      chain_("stt", {call.setup.providers.stt, call.setup.stt_settings}, call.setup.providers.stt_fallbacks) {}

void SttProcessor::open() {
    chain_.open_first(call_, [this](const FallbackProvider& provider) { open_session(provider); });
}

void SttProcessor::open_session(const FallbackProvider& provider) {
    auto& pipe = pipeline();
    std::size_t self = index();
    std::uint64_t session = ++session_;
    // Each frame carries its session in `response`: those of a failed one are dropped.
    stt_ = std::make_unique<SttClient>(
        *provider.provider,
        SttCallbacks{.on_transcript =
                         [&pipe, self, session, now = call_.now_ns](const SttTranscript& t) {
                             auto frame = Frame::make(FrameType::transcript, 0, 0, now());
                             frame.text = t.text;
                             frame.is_final = t.is_final;
                             frame.code = "provider";
                             frame.response = session;
                             pipe.inject(self, std::move(frame));
                         },
                     .on_error =
                         [&pipe, self, session, now = call_.now_ns](const ProviderError& error) {
                             auto frame = Frame::make(FrameType::error, 0, 0, now());
                             frame.code = "stt";
                             frame.text = error.what();
                             frame.response = session;
                             pipe.inject(self, std::move(frame));
                         }},
        SttOptions{.settings = provider.settings, .input_sample_rate = call_.setup.sample_rate});
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

void SttProcessor::on_failure(std::string reason) {
    if (failed_) return;
    while (switch_provider(reason)) {
        try {
            replay();
            complete_turn_if_ready();  // nothing was left to recognise again
            return;
        } catch (const ProviderError& error) {
            reason = error.what();  // the fallback failed too: on to the next
        } catch (const std::exception& error) {
            fail(error.what());
            return;
        }
    }
    fail(reason);
}

bool SttProcessor::switch_provider(std::string& reason) {
    if (stt_) stt_->close();  // no callback of it runs after this
    return chain_.open_next(call_, reason, [this](const FallbackProvider& provider) { open_session(provider); });
}

void SttProcessor::replay() {
    if (!grammar_.is_null() && !grammar_.empty()) {
        try {
            if (!stt_->set_grammar(grammar_))
                vox::log::warn("call", "the fallback STT has no grammars; it recognises free speech",
                               {{"call_id", call_.setup.call_id}});
        } catch (const ProviderError& error) {
            call_.emit({{"type", "error"},
                        {"code", "stt_grammar_refused"},
                        {"message", std::string("the STT cannot recognise the expected answer: ") + error.what()},
                        {"fatal", false}});
        }
    }
    // Segments whose audio was all dropped (the bound) cannot be recognised again.
    std::erase_if(unconfirmed_, [](const Segment& segment) { return segment.audio.empty(); });
    awaiting_finals_ = 0;
    audio_since_flush_ = false;
    for (const auto& segment : unconfirmed_) {
        for (const auto& audio : segment.audio) stt_->push_audio(audio->view());
        if (segment.flushed) {
            ++awaiting_finals_;
            stt_->flush();
        } else {
            audio_since_flush_ = true;
        }
    }
}

void SttProcessor::reset_turn() {
    segments_.clear();
    held_.clear();
    unconfirmed_.clear();
    unconfirmed_samples_ = 0;
    audio_since_flush_ = false;
    holding_silence_ = false;
    turn_ended_ = false;
}

void SttProcessor::keep_audio(const Frame& frame) {
    if (unconfirmed_.empty() || unconfirmed_.back().flushed) unconfirmed_.emplace_back();
    unconfirmed_.back().audio.push_back(frame.audio);
    unconfirmed_samples_ += frame.audio->samples.size();
    const std::size_t limit = static_cast<std::size_t>(call_.setup.sample_rate) * kMaxUnconfirmedMs / 1000;
    // Segments stay (emptied) so each final still confirms its own.
    for (auto& segment : unconfirmed_)
        while (unconfirmed_samples_ > limit && !segment.audio.empty()) {
            unconfirmed_samples_ -= segment.audio.front()->samples.size();
            segment.audio.pop_front();
        }
}

void SttProcessor::confirm_segment(bool flushed) {
    if (!flushed) {  // a final the provider sent of its own accord: all sent so far is recognised
        unconfirmed_.clear();
        unconfirmed_samples_ = 0;
        return;
    }
    while (!unconfirmed_.empty()) {  // the oldest flushed segment is recognised
        Segment segment = std::move(unconfirmed_.front());
        unconfirmed_.pop_front();
        for (const auto& audio : segment.audio) unconfirmed_samples_ -= audio->samples.size();
        if (segment.flushed) return;
    }
}

void SttProcessor::push_audio(const Frame& frame) {
    keep_audio(frame);
    try {
        stt_->push_audio(frame.audio->view());
        audio_since_flush_ = true;
    } catch (const ProviderError& error) {
        on_failure(error.what());
    } catch (const std::exception& error) {
        fail(error.what());
    }
}

void SttProcessor::finalise_segment() {
    held_.clear();
    if (!audio_since_flush_) return;
    audio_since_flush_ = false;
    ++awaiting_finals_;
    if (!unconfirmed_.empty()) unconfirmed_.back().flushed = true;
    try {
        stt_->flush();
    } catch (const ProviderError& error) {
        on_failure(error.what());
    } catch (const std::exception& error) {
        fail(error.what());
    }
}

void SttProcessor::process(Frame frame) {
    if (failed_ || !stt_) {
        // The provider's own frames stop here too: a dead session's late words are no turn.
        bool from_provider = (frame.type == FrameType::transcript && frame.code == "provider") ||
                             (frame.type == FrameType::error && frame.code == "stt");
        if (frame.type != FrameType::input_audio && !from_provider) push(std::move(frame));
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
            if (frame.response == session_) on_transcript(std::move(frame));
            return;
        }
        push(std::move(frame));
        return;
    case FrameType::error:
        if (frame.code == "stt") {
            if (frame.response == session_) on_failure(frame.text);
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
    confirm_segment(awaiting_finals_ > 0);
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
        bool taken = stt_->set_grammar(grammar);
        if (taken) grammar_ = grammar;
        return taken;
    } catch (const ProviderError& error) {
        call_.emit({{"type", "error"},
                    {"code", "stt_grammar_refused"},
                    {"message", std::string("the STT cannot recognise the expected answer: ") + error.what()},
                    {"fatal", false}});
        return false;
    }
}

}  // namespace vox::call::detail
