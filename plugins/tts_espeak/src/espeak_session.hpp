// One tts.espeak session: buffers pushed text per context, cuts it into
// sentences and synthesises them one after another on the host's work pool,
// streaming audio out as espeak-ng produces it (the same design as
// tts.flite's session).
//
// Guarantees (see vox_tts_vtable):
//   - per context, audio arrives in text order, then words, then on_done;
//   - after cancel(context) returns, nothing more is delivered for that
//     context (audio, words, done or error), and its synthesis in progress
//     stops at the next chunk (the synth callback returns 1); text later
//     pushed to it is dropped;
//   - after the session is destroyed, no callback runs at all.
// Every delivery happens under one lock, checked against the cancelled set;
// cancel() and the destructor take that lock once to wait out a delivery
// already in flight. The lock is recursive so that a host may call cancel()
// from inside a callback. Synthesis itself is serialised process-wide by the
// engine's mutex (engine.hpp); that mutex is never taken while this
// session's delivery lock is held by anyone but the synthesis itself.
#pragma once

#include "settings.hpp"
#include "voices.hpp"

#include <vox/sdk/host.hpp>
#include <vox/sdk/tts.hpp>

#include <cstdint>
#include <memory>
#include <string_view>

namespace vox::espeak {

class EspeakSession final : public sdk::TtsSession {
public:
    EspeakSession(sdk::Host host, const VoiceInfo& voice, const Settings& settings, sdk::TtsSink sink);
    ~EspeakSession() override;
    EspeakSession(const EspeakSession&) = delete;
    EspeakSession& operator=(const EspeakSession&) = delete;

    void push_text(std::uint64_t context, std::string_view text) override;
    void flush(std::uint64_t context) override;
    void cancel(std::uint64_t context) noexcept override;

private:
    struct Shared;  // state shared with work queued on the host's pool
    std::shared_ptr<Shared> shared_;
};

}  // namespace vox::espeak
