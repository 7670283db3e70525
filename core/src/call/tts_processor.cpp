#include "tts_processor.hpp"

#include <vox/core/pipeline/pipeline.hpp>

#include <mutex>

namespace vox::call::detail {

using pipeline::Frame;
using pipeline::FrameType;

TtsProcessor::TtsProcessor(CallContext& call) : FrameProcessor("tts"), call_(call) {}

// The generation each TTS context was started in, read by provider threads.
struct TtsProcessor::ContextGenerations {
    std::mutex mutex;
    std::map<std::uint64_t, std::uint64_t> by_context;
    std::uint64_t get(std::uint64_t context) {
        std::lock_guard lock(mutex);
        auto it = by_context.find(context);
        return it == by_context.end() ? 0 : it->second;
    }
};

void TtsProcessor::open() {
    auto& pipe = pipeline();
    std::size_t next = index() + 1;
    std::size_t self = index();
    auto now = call_.now_ns;
    auto generations = std::make_shared<ContextGenerations>();
    generations_ = generations;
    tts_ = std::make_unique<TtsClient>(
        *call_.setup.providers.tts,
        TtsCallbacks{.on_audio =
                         [&pipe, next, now, generations](std::uint64_t context, const audio::AudioView& audio) {
                             auto f = Frame::make(FrameType::output_audio, 0, generations->get(context), now());
                             f.response = context;
                             f.audio = std::make_shared<const audio::AudioBuffer>(audio::AudioBuffer{
                                 {audio.samples.begin(), audio.samples.end()}, audio.sample_rate, audio.channels});
                             pipe.inject(next, std::move(f));
                         },
                     .on_word =
                         [&pipe, next, now, generations](std::uint64_t context, std::string_view word,
                                                         std::uint32_t start_ms, std::uint32_t) {
                             auto f = Frame::make(FrameType::response_text, 0, generations->get(context), now());
                             f.response = context;
                             f.code = "word";
                             f.text = word;
                             f.ms = start_ms;
                             pipe.inject(next, std::move(f));
                         },
                     .on_done =
                         [&pipe, next, now, generations](std::uint64_t context) {
                             auto f = Frame::make(FrameType::output_done, 0, generations->get(context), now());
                             f.response = context;
                             pipe.inject(next, std::move(f));
                         },
                     .on_error =
                         [&pipe, self, now, generations](std::uint64_t context, const ProviderError& error) {
                             auto f = Frame::make(FrameType::error, 0, generations->get(context), now());
                             f.response = context;
                             f.code = "tts";
                             f.text = error.what();
                             pipe.inject(self, std::move(f));
                         }},
        TtsOptions{.settings = call_.setup.tts_settings, .output_sample_rate = call_.setup.sample_rate});
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
            {
                std::lock_guard lock(generations_->mutex);
                generations_->by_context[f.response] = f.generation;
            }
            responses_[f.response] = Response{f.generation, f.turn, false, f.code};
            push(std::move(f));
            return;
        }
        case FrameType::response_text: {
            auto it = responses_.find(f.response);
            if (it == responses_.end() || f.text.empty()) return;
            if (!it->second.text_sent && f.code != "filler") {
                TurnTimes& times = call_.turns[it->second.turn];
                if (times.tts_first_text == 0) times.tts_first_text = f.time_ns;
            }
            it->second.text_sent = true;
            tts_->push_text(f.response, f.text + " ");
            push(std::move(f));  // the output stage keeps the text (what was heard)
            return;
        }
        case FrameType::response_end: {
            auto it = responses_.find(f.response);
            if (it == responses_.end()) return;
            responses_.erase(it);
            if (f.code == "tones") {
                // Key tones come as audio already: nothing was synthesised, the response is complete.
                auto done = Frame::make(FrameType::output_done, f.turn, f.generation, f.time_ns);
                done.response = f.response;
                push(std::move(f));
                push(std::move(done));
                return;
            }
            tts_->flush(f.response);
            push(std::move(f));
            return;
        }
        case FrameType::interruption:
            for (const auto& [response, state] : responses_) tts_->cancel(response);
            responses_.clear();
            push(std::move(f));
            return;
        case FrameType::error:
            if (f.code == "tts") {
                fail(f.text);
                return;
            }
            push(std::move(f));
            return;
        default: push(std::move(f)); return;
        }
    } catch (const std::exception& error) {
        fail(error.what());
    }
}

}  // namespace vox::call::detail
