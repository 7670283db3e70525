// Lines a call's two tracks up on one timeline, for a stereo recording (left:
// the caller, right: the agent), and hands out the interleaved frames as the
// call goes, so that nothing but the agent audio not yet due sits in memory.
//
// The caller's audio is the clock: each received block is written at once,
// beside whatever agent audio falls in the same stretch (silence when none).
// Agent audio is placed when it is sent, right after the agent audio still
// queued for play-out (transports play a response out in real time while the
// TTS delivers it faster), so the gaps between responses are silence. When a
// response is cut off (barge-in), what the transport did not play is taken
// out and the audio queued after it moves up, as it does in the transport.
//
//   RecordingTimeline timeline(16000, [&](std::span<const std::int16_t> stereo) { file.write(stereo); });
//   timeline.agent_audio(1, greeting);   // queued: due from the current position
//   timeline.caller_audio(frame_20ms);   // written: 320 stereo frames
//   timeline.agent_cleared(1, 480);      // the caller barged in after 480 ms of it
//
// Not thread-safe: one call's strand feeds it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <span>
#include <vector>

namespace vox::call {

class RecordingTimeline {
public:
    // Receives interleaved stereo PCM16 frames (caller, agent), in order.
    using Sink = std::function<void(std::span<const std::int16_t> stereo)>;

    // Ten minutes of agent audio ahead of the caller's track: far more than a
    // transport queues, small enough (19 MB at 16 kHz) to bound a stuck call.
    static constexpr std::size_t kDefaultMaxPendingSeconds = 600;

    // `sample_rate` is the call's, both ways; `max_pending_frames` bounds the
    // agent audio held ahead of the caller's track (0: kDefaultMaxPendingSeconds).
    RecordingTimeline(std::uint32_t sample_rate, Sink sink, std::size_t max_pending_frames = 0);

    // Mono caller samples: written at once with the agent audio due beside them.
    void caller_audio(std::span<const std::int16_t> samples);
    // Mono agent samples of `context`, queued after the agent audio still pending.
    // Returns how many were dropped because the pending audio reached its bound.
    std::size_t agent_audio(std::uint64_t context, std::span<const std::int16_t> samples);
    // `context` was cut off after `played_ms` of it: the rest is taken out.
    void agent_cleared(std::uint64_t context, std::uint32_t played_ms);

    // Stereo frames written so far: the position of the call's timeline.
    std::uint64_t position() const { return position_; }
    // Agent frames queued ahead of the position (left out of the file if the call ends first).
    std::size_t pending_agent_frames() const { return pending_.size(); }

private:
    // A stretch of the pending agent audio, [start, end) on the timeline,
    // that came from one context; `offset` is how much of that context came before it.
    struct Segment {
        std::uint64_t context = 0;
        std::uint64_t start = 0;
        std::uint64_t end = 0;
        std::uint64_t offset = 0;
    };

    void remove_pending(std::uint64_t from, std::uint64_t to);
    void forget_written_segments();

    std::uint32_t sample_rate_;
    Sink sink_;
    std::size_t max_pending_frames_;
    std::uint64_t position_ = 0;
    std::deque<std::int16_t> pending_;                       // agent samples from position_ on
    std::vector<Segment> segments_;                          // in timeline order
    std::map<std::uint64_t, std::uint64_t> context_frames_;  // frames queued per context, recent contexts
    std::vector<std::int16_t> stereo_;                       // reused for each write
};

}  // namespace vox::call
