// One tts.openai session: pushed text is cut into sentences per context; the
// session's worker thread sends one POST /audio/speech per sentence
// (response_format "pcm": raw 24 kHz 16-bit mono little-endian) and hands the
// audio on as the chunks arrive, so the first audio comes after the first
// sentence's round trip.
//
// Guarantees (see vox_tts_vtable):
//   - per context, audio arrives in text order, then on_done after flush();
//     a failed request ends the context with one on_error and no on_done;
//   - after cancel(context) returns, nothing more is delivered for that
//     context, its request in flight is aborted (the socket is shut down)
//     and text later pushed to it is dropped;
//   - after the session is destroyed, no callback runs; the destructor aborts
//     the request in flight and joins the worker.
// Every delivery happens under one lock, checked against the cancelled set;
// cancel() takes that lock once to wait out a delivery already in flight. The
// lock is recursive so that a host may call cancel() from inside a callback.
#pragma once

#include "config.hpp"

#include <vox/sdk/host.hpp>
#include <vox/sdk/tts.hpp>

#include <cstdint>
#include <memory>
#include <string_view>

namespace vox::openai_audio {

// The rate of response_format "pcm", fixed by the API.
inline constexpr std::uint32_t kSpeechSampleRate = 24000;

class OpenAiTtsSession final : public sdk::TtsSession {
public:
    OpenAiTtsSession(sdk::Host host, Config config, sdk::TtsSink sink);
    ~OpenAiTtsSession() override;
    OpenAiTtsSession(const OpenAiTtsSession&) = delete;
    OpenAiTtsSession& operator=(const OpenAiTtsSession&) = delete;

    void push_text(std::uint64_t context, std::string_view text) override;
    void flush(std::uint64_t context) override;
    void cancel(std::uint64_t context) noexcept override;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace vox::openai_audio
