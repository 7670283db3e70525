// One tts.elevenlabs session. Each utterance context gets its own WebSocket
// to stream-input, opened (with retries and backoff) by the context's worker
// thread at its first push_text: text chunks go out as they are pushed, base64
// PCM and character alignment come back (on_audio, on_word), and flush()
// sends the end of input, after which isFinal ends the context (on_done).
// When the WebSocket cannot be opened (unreachable, 5xx handshake after the
// retries), the context falls back to POST .../stream, one request per
// sentence, without word timings.
//
// Guarantees (see vox_tts_vtable):
//   - per context, audio in text order, then exactly one of on_done / on_error;
//   - after cancel(context) returns nothing more is delivered for it, its
//     socket or request is shut down, and later text for it is dropped;
//   - after the session is destroyed no callback runs (workers are joined).
// Deliveries happen under one recursive lock checked against the cancelled
// set, so cancel() (also from inside a callback) waits out one in flight.
#pragma once

#include "config.hpp"

#include <vox/sdk/host.hpp>
#include <vox/sdk/tts.hpp>

#include <cstdint>
#include <memory>
#include <string_view>

namespace vox::elevenlabs {

class ElevenLabsTtsSession final : public sdk::TtsSession {
public:
    ElevenLabsTtsSession(sdk::Host host, Config config, sdk::TtsSink sink);
    ~ElevenLabsTtsSession() override;
    ElevenLabsTtsSession(const ElevenLabsTtsSession&) = delete;
    ElevenLabsTtsSession& operator=(const ElevenLabsTtsSession&) = delete;

    void push_text(std::uint64_t context, std::string_view text) override;
    void flush(std::uint64_t context) override;
    void cancel(std::uint64_t context) noexcept override;

    struct State;

private:
    std::shared_ptr<State> state_;
};

}  // namespace vox::elevenlabs
