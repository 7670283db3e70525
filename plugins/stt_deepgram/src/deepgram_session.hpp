// One stt.deepgram session: a WebSocket to Deepgram's live /v1/listen.
//
// Threads: push_audio/flush/end_input only queue work and return. A sender
// thread writes the queue to the socket (PCM16 LE binary frames, Finalize and
// CloseStream text frames) and sends KeepAlive when no audio went out for
// `keepalive_ms`. A reader thread parses Deepgram's Results.
//
// Results:
//   - interim results (is_final false) → partial transcripts: the segments
//     finalised since the last delivered final plus the interim words;
//   - is_final results are gathered; each flush() sends Finalize and delivers
//     exactly one final transcript (the gathered segments, possibly empty)
//     when Deepgram answers from_finalize, when everything sent up to the
//     flush is already final, or after `finalize_timeout_ms` at the latest;
//   - end_input() sends CloseStream; Deepgram's last results complete the
//     pending finals.
//   - cancel(): queued audio is dropped, pending finals are not delivered,
//     and results of audio sent before it are discarded.
//
// Failures: the first connect happens in the constructor (open), retried with
// backoff when transient; a stream lost mid-way (drop, server error close,
// silence while audio goes unanswered) is reconnected once per utterance and
// the audio not yet finalised is re-sent; otherwise on_error.
#pragma once

#include "config.hpp"

#include <vox/sdk/host.hpp>
#include <vox/sdk/stt.hpp>

#include <cstdint>
#include <memory>

namespace vox::deepgram {

class DeepgramSession final : public sdk::SttSession {
public:
    DeepgramSession(sdk::Host host, const Config& config, const SessionSettings& settings, std::uint32_t sample_rate,
                    sdk::SttSink sink);
    ~DeepgramSession() override;  // closes the socket, joins the threads
    DeepgramSession(const DeepgramSession&) = delete;
    DeepgramSession& operator=(const DeepgramSession&) = delete;

    void push_audio(const vox_audio& audio) override;
    void flush() override;
    void end_input() override;
    void cancel() noexcept override;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace vox::deepgram
