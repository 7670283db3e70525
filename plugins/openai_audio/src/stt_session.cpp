#include "stt_session.hpp"

#include "transcription_request.hpp"

#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/http_client.hpp>
#include <vox/sdk/error.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vox::openai_audio {
namespace {

using plugin_common::redact;
using plugin_common::RequestControl;

// OpenAI refuses files over 25 MB; audio beyond this (about 13 minutes at
// 16 kHz) is not kept, so one endless turn cannot exhaust memory.
constexpr std::size_t kMaxUtteranceBytes = 24u * 1024 * 1024;

struct Utterance {
    std::vector<std::int16_t> samples;  // mono, at the session's rate
    std::uint64_t start_frame = 0;      // position since the session opened
    std::uint64_t epoch = 0;            // cancel() generation it belongs to
};

}  // namespace

struct OpenAiSttSession::State {
    sdk::Host host;
    Config config;
    std::uint32_t sample_rate;
    sdk::SttSink sink;

    std::mutex mutex;  // everything below
    std::condition_variable work;
    std::vector<std::int16_t> buffer;  // the utterance being pushed
    std::uint64_t buffer_start_frame = 0;
    std::uint64_t frames_pushed = 0;
    std::deque<Utterance> queue;
    std::uint64_t epoch = 0;
    bool closed = false;
    std::shared_ptr<RequestControl> in_flight;  // the request running now, if any

    std::recursive_mutex delivery;  // held while calling the sink; recursive so a callback may cancel()
    std::thread worker;

    State(sdk::Host h, Config c, std::uint32_t rate, sdk::SttSink s)
        : host(h), config(std::move(c)), sample_rate(rate), sink(std::move(s)) {}

    bool current(std::uint64_t utterance_epoch) {
        std::lock_guard lock(mutex);
        return !closed && utterance_epoch == epoch;
    }

    void run() {
        for (;;) {
            Utterance utterance;
            auto control = std::make_shared<RequestControl>();
            {
                std::unique_lock lock(mutex);
                work.wait(lock, [&] { return closed || !queue.empty(); });
                if (closed) return;
                utterance = std::move(queue.front());
                queue.pop_front();
                in_flight = control;
            }
            transcribe(utterance, *control);
            std::lock_guard lock(mutex);
            in_flight.reset();
        }
    }

    void transcribe(const Utterance& utterance, RequestControl& control) {
        sdk::Transcript transcript;
        transcript.is_final = true;
        transcript.start_ms = static_cast<std::uint32_t>(utterance.start_frame * 1000 / sample_rate);
        transcript.end_ms =
            static_cast<std::uint32_t>((utterance.start_frame + utterance.samples.size()) * 1000 / sample_rate);
        try {
            std::string answer;
            plugin_common::post(
                http_settings(config), transcription_request(config, utterance.samples, sample_rate), control,
                [&](std::istream& body) {
                    char chunk[4096];
                    while (body.read(chunk, sizeof chunk).gcount() > 0)
                        answer.append(chunk, static_cast<std::size_t>(body.gcount()));
                },
                [this](const std::string& message) { host.warn(message); });
            transcript.text = transcript_text(answer);
        } catch (const sdk::Error& e) {
            std::lock_guard deliver(delivery);
            if (e.code() != VOX_ERR_CANCELLED && current(utterance.epoch))
                sink.error(e.code(), redact(e.what(), config.api_key));
            return;
        } catch (const std::exception& e) {
            std::lock_guard deliver(delivery);
            if (current(utterance.epoch))
                sink.error(VOX_ERR_INTERNAL, redact(std::string("stt.openai: ") + e.what(), config.api_key));
            return;
        }
        std::lock_guard deliver(delivery);
        if (current(utterance.epoch)) sink.transcript(transcript);
    }
};

OpenAiSttSession::OpenAiSttSession(sdk::Host host, Config config, std::uint32_t sample_rate, sdk::SttSink sink)
    : state_(std::make_unique<State>(host, std::move(config), sample_rate, std::move(sink))) {
    try {
        state_->worker = std::thread([state = state_.get()] { state->run(); });
    } catch (const std::system_error& e) {
        throw sdk::Error(VOX_ERR_UNAVAILABLE, std::string("stt.openai: cannot start a thread: ") + e.what());
    }
}

OpenAiSttSession::~OpenAiSttSession() {
    std::shared_ptr<RequestControl> in_flight;
    {
        std::lock_guard lock(state_->mutex);
        state_->closed = true;
        state_->queue.clear();
        in_flight = state_->in_flight;
    }
    if (in_flight) in_flight->cancel();
    state_->work.notify_all();
    if (state_->worker.joinable()) state_->worker.join();
}

void OpenAiSttSession::push_audio(const vox_audio& audio) {
    if (audio.sample_rate != state_->sample_rate)
        throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "stt.openai: audio at " + std::to_string(audio.sample_rate) +
                                                       " Hz pushed to a session opened at " +
                                                       std::to_string(state_->sample_rate) + " Hz");
    const std::uint32_t channels = audio.channels == 0 ? 1 : audio.channels;
    std::lock_guard lock(state_->mutex);
    if (state_->buffer.empty()) state_->buffer_start_frame = state_->frames_pushed;
    state_->frames_pushed += audio.frames;
    if ((state_->buffer.size() + audio.frames) * sizeof(std::int16_t) > kMaxUtteranceBytes) return;
    // Interleaved channels are averaged to mono: the endpoint wants one voice.
    for (std::size_t frame = 0; frame < audio.frames; ++frame) {
        int sum = 0;
        for (std::uint32_t channel = 0; channel < channels; ++channel) sum += audio.samples[frame * channels + channel];
        state_->buffer.push_back(static_cast<std::int16_t>(sum / static_cast<int>(channels)));
    }
}

void OpenAiSttSession::flush() {
    {
        std::lock_guard lock(state_->mutex);
        if (state_->buffer.empty()) return;
        state_->queue.push_back({std::move(state_->buffer), state_->buffer_start_frame, state_->epoch});
        state_->buffer = {};
    }
    state_->work.notify_one();
}

void OpenAiSttSession::end_input() { flush(); }

void OpenAiSttSession::cancel() noexcept {
    std::shared_ptr<RequestControl> in_flight;
    {
        std::lock_guard lock(state_->mutex);
        ++state_->epoch;
        state_->buffer.clear();
        state_->queue.clear();
        in_flight = state_->in_flight;
    }
    if (in_flight) in_flight->cancel();
    // A transcript may be in the sink right now: wait for it. Every later
    // delivery checks the epoch under this lock.
    std::lock_guard deliver(state_->delivery);
}

}  // namespace vox::openai_audio
