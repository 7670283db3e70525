// One tts.flite session: buffers pushed text per context, cuts it into
// sentences and synthesises them one after another on the host's work pool,
// streaming audio out as flite produces it.
//
// Guarantees (see vox_tts_vtable):
//   - per context, audio arrives in text order, then words, then on_done;
//   - after cancel(context) returns, nothing more is delivered for that
//     context (audio, words, done or error), and its synthesis in progress
//     stops at the next chunk; text later pushed to it is dropped;
//   - after the session is destroyed, no callback runs at all.
// Every delivery happens under one lock, checked against the cancelled set;
// cancel() and the destructor take that lock once to wait out a delivery
// already in flight. The lock is recursive so that a host may call cancel()
// from inside a callback.
#pragma once

#include "settings.hpp"
#include "voices.hpp"

#include <vox/sdk/host.hpp>
#include <vox/sdk/tts.hpp>

#include <cstdint>
#include <memory>
#include <string_view>

namespace vox::flite {

class FliteSession final : public sdk::TtsSession {
public:
    FliteSession(sdk::Host host, Voice& voice, const Settings& settings, sdk::TtsSink sink);
    ~FliteSession() override;
    FliteSession(const FliteSession&) = delete;
    FliteSession& operator=(const FliteSession&) = delete;

    void push_text(std::uint64_t context, std::string_view text) override;
    void flush(std::uint64_t context) override;
    void cancel(std::uint64_t context) noexcept override;

private:
    struct Shared;  // state shared with work queued on the host's pool
    std::shared_ptr<Shared> shared_;
};

}  // namespace vox::flite
