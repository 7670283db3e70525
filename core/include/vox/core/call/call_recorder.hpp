// What a call's recording is fed with. The session calls it on the call's
// strand, in the order things happen on the call: the caller's audio as it is
// received (this advances the call's timeline), the agent's audio as it is
// handed to the transport, and the transport's report of how much of a
// response was played when it was cut off (barge-in).
//
// The host decides where the recording goes (a WAV file, see voxd's
// calls/call_recording.hpp); core only feeds it. Implementations must not
// block for long: they run on the media path.
#pragma once

#include <vox/core/audio/pcm.hpp>

#include <cstdint>

namespace vox::call {

class CallRecorder {
public:
    virtual ~CallRecorder() = default;
    // Caller audio at the call's sample rate, mono, as received.
    virtual void caller_audio(const audio::AudioView& audio) = 0;
    // Agent audio of transport context `context`, as sent to the transport.
    virtual void agent_audio(std::uint64_t context, const audio::AudioView& audio) = 0;
    // The transport dropped what was left of `context`, having played `played_ms` of it.
    virtual void agent_cleared(std::uint64_t context, std::uint32_t played_ms) = 0;
};

}  // namespace vox::call
