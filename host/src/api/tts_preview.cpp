#include "api/tts_preview.hpp"

#include <vox/core/providers/tts_client.hpp>

#include <condition_variable>
#include <mutex>
#include <optional>

namespace vox::host {
namespace {

constexpr std::uint64_t kContext = 1;

// What the provider's callbacks deliver, on its threads.
struct Collected {
    std::mutex mutex;
    std::condition_variable changed;
    audio::AudioBuffer audio;
    bool done = false;
    std::optional<std::string> error;
};

void append_mono(audio::AudioBuffer& out, const audio::AudioView& chunk) {
    if (out.sample_rate == 0) out.sample_rate = chunk.sample_rate;
    if (chunk.channels <= 1) {
        out.samples.insert(out.samples.end(), chunk.samples.begin(), chunk.samples.end());
        return;
    }
    for (std::size_t frame = 0; frame < chunk.frames(); ++frame) {
        int sum = 0;
        for (std::uint32_t channel = 0; channel < chunk.channels; ++channel)
            sum += chunk.samples[frame * chunk.channels + channel];
        out.samples.push_back(static_cast<std::int16_t>(sum / static_cast<int>(chunk.channels)));
    }
}

}  // namespace

audio::AudioBuffer synthesise_preview(const Provider& tts, const nlohmann::json& settings, const std::string& text,
                                      std::chrono::milliseconds timeout) {
    Collected collected;
    TtsCallbacks callbacks;
    callbacks.on_audio = [&collected](std::uint64_t, const audio::AudioView& chunk) {
        std::lock_guard lock(collected.mutex);
        append_mono(collected.audio, chunk);
    };
    callbacks.on_done = [&collected](std::uint64_t) {
        std::lock_guard lock(collected.mutex);
        collected.done = true;
        collected.changed.notify_all();
    };
    callbacks.on_error = [&collected](std::uint64_t, const ProviderError& error) {
        std::lock_guard lock(collected.mutex);
        collected.error = error.what();
        collected.changed.notify_all();
    };
    try {
        // Closed at the end of the block: no callback touches `collected` after it.
        TtsClient client(tts, std::move(callbacks), TtsOptions{settings, 0});
        client.push_text(kContext, text);
        client.flush(kContext);
        std::unique_lock lock(collected.mutex);
        if (!collected.changed.wait_for(lock, timeout, [&] { return collected.done || collected.error; }))
            collected.error = "no audio within " + std::to_string(timeout.count() / 1000) + " s";
    } catch (const ProviderError& error) {
        throw TtsPreviewFailed(error.what());
    }
    if (collected.error) throw TtsPreviewFailed(*collected.error);
    if (collected.audio.samples.empty()) throw TtsPreviewFailed("the provider produced no audio");
    return std::move(collected.audio);
}

}  // namespace vox::host
