// One stt.openai session: push_audio appends the caller's audio to the
// utterance in memory and returns; flush() (end of the caller's turn) hands
// the utterance to the session's worker thread, which sends it to
// POST /audio/transcriptions and delivers one final transcript (empty text
// when the server heard nothing). There are no partial transcripts: the API
// answers once per file.
//
//   - utterances are transcribed one at a time, in order;
//   - a flush() with no audio since the last one delivers nothing;
//   - after cancel() returns, buffered audio and any utterance queued or in
//     flight are dropped (the HTTP request is aborted) and nothing of them is
//     delivered;
//   - after the session is destroyed (close), no callback runs; the
//     destructor aborts the request in flight and joins the worker.
#pragma once

#include "config.hpp"

#include <vox/sdk/host.hpp>
#include <vox/sdk/stt.hpp>

#include <cstdint>
#include <memory>

namespace vox::openai_audio {

class OpenAiSttSession final : public sdk::SttSession {
public:
    OpenAiSttSession(sdk::Host host, Config config, std::uint32_t sample_rate, sdk::SttSink sink);
    ~OpenAiSttSession() override;
    OpenAiSttSession(const OpenAiSttSession&) = delete;
    OpenAiSttSession& operator=(const OpenAiSttSession&) = delete;

    void push_audio(const vox_audio& audio) override;
    void flush() override;
    void end_input() override;
    void cancel() noexcept override;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace vox::openai_audio
