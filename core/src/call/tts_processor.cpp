#include "tts_processor.hpp"

#include <vox/core/log.hpp>
#include <vox/core/pipeline/pipeline.hpp>

namespace vox::call::detail {

using pipeline::Frame;
using pipeline::FrameType;

TtsProcessor::TtsProcessor(CallContext& call)
    : FrameProcessor("tts"),
      call_(call),
      chain_("tts", {call.setup.providers.tts, call.setup.tts_settings}, call.setup.providers.tts_fallbacks) {}

void TtsProcessor::open() {
    chain_.open_first(call_, [this](const FallbackProvider& provider) { open_session(provider); });
}

void TtsProcessor::open_session(const FallbackProvider& provider) {
    // Every callback comes back to this stage as a frame with code "tts" ("word"
    // for word timings), carrying its session in `turn` until process() stamps it.
    auto& pipe = pipeline();
    std::size_t self = index();
    auto make = [now = call_.now_ns, session = session_ + 1](FrameType type, std::uint64_t context) {
        auto f = Frame::make(type, session, 0, now());
        f.response = context;
        f.code = "tts";
        return f;
    };
    tts_ = std::make_unique<TtsClient>(
        *provider.provider,
        TtsCallbacks{
            .on_audio =
                [&pipe, self, make](std::uint64_t context, const audio::AudioView& audio) {
                    auto f = make(FrameType::output_audio, context);
                    f.audio = std::make_shared<const audio::AudioBuffer>(audio::AudioBuffer{
                        {audio.samples.begin(), audio.samples.end()}, audio.sample_rate, audio.channels});
                    pipe.inject(self, std::move(f));
                },
            .on_word =
                [&pipe, self, make](std::uint64_t context, std::string_view word, std::uint32_t start_ms,
                                    std::uint32_t) {
                    auto f = make(FrameType::response_text, context);
                    f.code = "word";
                    f.text = word;
                    f.ms = start_ms;
                    pipe.inject(self, std::move(f));
                },
            .on_done = [&pipe, self,
                        make](std::uint64_t context) { pipe.inject(self, make(FrameType::output_done, context)); },
            .on_error =
                [&pipe, self, make](std::uint64_t context, const ProviderError& error) {
                    auto f = make(FrameType::error, context);
                    f.text = error.what();
                    pipe.inject(self, std::move(f));
                }},
        TtsOptions{.settings = provider.settings, .output_sample_rate = call_.setup.sample_rate});
    ++session_;
}

void TtsProcessor::close() noexcept {
    if (tts_) tts_->close();
}

void TtsProcessor::fail(const std::string& message) {
    if (failed_) return;
    failed_ = true;
    call_.emit({{"type", "error"}, {"code", "error_tts"}, {"message", message}, {"fatal", true}});
    call_.end_call("error_tts", true);
}

void TtsProcessor::process(Frame f) {
    if (failed_ && f.type != FrameType::end) return;
    try {
        switch (f.type) {
        case FrameType::response_start: {
            Response& response = responses_[f.response] = Response{};
            response.generation = f.generation;
            response.turn = f.turn;
            response.code = f.code;
            push(std::move(f));
            return;
        }
        case FrameType::response_text:
            if (f.code == "word")
                from_provider(std::move(f));
            else
                on_text(std::move(f));
            return;
        case FrameType::response_end: on_end(std::move(f)); return;
        case FrameType::output_audio:
        case FrameType::output_done:
        case FrameType::error:
            if (f.code == "tts") {
                from_provider(std::move(f));
                return;
            }
            push(std::move(f));  // key tones, other stages' errors
            return;
        case FrameType::interruption:
            for (const auto& [response, state] : responses_) tts_->cancel(response);
            responses_.clear();
            push(std::move(f));
            return;
        default: push(std::move(f)); return;
        }
    } catch (const ProviderError& error) {
        on_failure(error.what());
    } catch (const std::exception& error) {
        fail(error.what());
    }
}

void TtsProcessor::on_text(Frame f) {
    auto it = responses_.find(f.response);
    if (it == responses_.end() || f.text.empty()) return;
    Response& response = it->second;
    if (response.cut) return;  // never spoken: the output keeps only what can be heard
    if (!response.text_sent && f.code != "filler") {
        TurnTimes& times = call_.turns[response.turn];
        if (times.tts_first_text == 0) times.tts_first_text = f.time_ns;
    }
    response.text_sent = true;
    std::string text = f.text + " ";
    response.text += text;
    push(std::move(f));  // the output stage keeps the text (what was heard)
    tts_->push_text(it->first, text);
}

void TtsProcessor::on_end(Frame f) {
    auto it = responses_.find(f.response);
    if (it == responses_.end()) return;
    std::uint64_t id = it->first;
    if (f.code == "tones" || it->second.cut) {
        // Key tones come as audio already: nothing was synthesised, the response
        // is complete. A cut response had its output_done when it was cut.
        bool tones = f.code == "tones";
        responses_.erase(it);
        auto done = Frame::make(FrameType::output_done, f.turn, f.generation, f.time_ns);
        done.response = id;
        push(std::move(f));
        if (tones) push(std::move(done));
        return;
    }
    it->second.ended = true;
    it->second.flushed_ns = call_.now_ns();
    push(std::move(f));
    tts_->flush(id);
}

void TtsProcessor::fail_if_silent(std::int64_t now_ns, std::uint32_t limit_ms) {
    if (failed_ || limit_ms == 0) return;
    const std::int64_t limit_ns = static_cast<std::int64_t>(limit_ms) * 1'000'000;
    for (const auto& [id, response] : responses_) {
        if (response.cut || response.audible || response.flushed_ns == 0 || response.text.empty()) continue;
        if (now_ns - response.flushed_ns < limit_ns) continue;
        vox::log::warn("call", "the TTS sent no audio for a whole response; switching",
                       {{"call_id", call_.setup.call_id}, {"provider", chain_.current_key()}, {"limit_ms", limit_ms}});
        on_failure(chain_.current_key() + ": no audio " + std::to_string(limit_ms) + " ms after a whole response");
        return;  // the switch handed every open response over
    }
}

void TtsProcessor::from_provider(Frame f) {
    if (f.turn != session_) return;  // a failed session's late callback
    auto it = responses_.find(f.response);
    if (it == responses_.end() || it->second.cut) return;  // cancelled by a barge-in, or cut
    Response& response = it->second;
    f.turn = response.turn;
    f.generation = response.generation;
    switch (f.type) {
    case FrameType::output_audio:
        response.audible = true;
        push(std::move(f));
        return;
    case FrameType::output_done:
        responses_.erase(it);
        push(std::move(f));
        return;
    case FrameType::error: on_failure(f.text); return;
    default: push(std::move(f)); return;  // word timings
    }
}

void TtsProcessor::on_failure(std::string reason) {
    if (failed_) return;
    while (switch_provider(reason)) {
        try {
            hand_over();
            return;
        } catch (const ProviderError& error) {
            reason = error.what();  // the fallback failed too: on to the next
        }
    }
    fail(reason);
}

bool TtsProcessor::switch_provider(std::string& reason) {
    if (tts_) tts_->close();  // no callback of it runs after this
    return chain_.open_next(call_, reason, [this](const FallbackProvider& provider) { open_session(provider); });
}

void TtsProcessor::hand_over() {
    for (auto it = responses_.begin(); it != responses_.end();) {
        auto& [id, response] = *it;
        if (response.cut) {
            ++it;
            continue;
        }
        if (response.audible) {
            // What was said stands: the response ends here, so its turn completes.
            response.cut = true;
            auto done = Frame::make(FrameType::output_done, response.turn, response.generation, call_.now_ns());
            done.response = id;
            done.code = "cut";  // the output stage keeps only the words its audio covers
            push(std::move(done));
            it = response.ended ? responses_.erase(it) : std::next(it);
            continue;
        }
        if (!response.text.empty()) tts_->push_text(id, response.text);
        if (response.ended) {
            tts_->flush(id);
            response.flushed_ns = call_.now_ns();  // the new provider's time starts now
        }
        ++it;
    }
}

}  // namespace vox::call::detail
