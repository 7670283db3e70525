// A live call's recording: a stereo PCM16 WAV file at the call's sample rate
// (left: the caller as received, right: the agent as sent to the transport,
// lined up by call::RecordingTimeline), written to disk block by block as the
// call goes, on the call's strand.
//
// The file is created with the first audio, so a call without any has none.
// Recording never fails a call: the first write error (a full disk, a
// directory that cannot be written) is logged once, the partial file is
// removed, and the call goes on unrecorded. finish() closes the file before
// the call's record is stored, and says whether there is a recording to name
// in it.
//
// Thread-safe (the strand feeds it; finish() may come from elsewhere).
#pragma once

#include <vox/core/audio/wav_stream_writer.hpp>
#include <vox/core/call/call_recorder.hpp>
#include <vox/core/call/recording_timeline.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace vox::host {

// Where the recording of `call_id` lives: <recordings_dir>/<call_id>.wav.
std::filesystem::path recording_path(const std::filesystem::path& recordings_dir, const std::string& call_id);
// The API path that serves it (the record's recording_url).
std::string recording_url(const std::string& call_id);

class CallRecording final : public call::CallRecorder {
public:
    CallRecording(const std::filesystem::path& recordings_dir, std::string call_id, std::uint32_t sample_rate);
    ~CallRecording() override;  // finish()

    void caller_audio(const audio::AudioView& audio) noexcept override;
    void agent_audio(std::uint64_t context, const audio::AudioView& audio) noexcept override;
    void agent_cleared(std::uint64_t context, std::uint32_t played_ms) noexcept override;

    // Closes the file (header sizes written). True when a complete recording
    // with some audio is on disk. Later audio is ignored. Idempotent.
    bool finish() noexcept;

    const std::filesystem::path& path() const { return path_; }

private:
    void write(std::span<const std::int16_t> stereo);
    // Gives up on the recording after `error` (logged once) and removes the partial file.
    void fail(const std::string& error) noexcept;
    bool usable(const audio::AudioView& audio, const char* track) noexcept;

    const std::string call_id_;
    const std::uint32_t sample_rate_;
    const std::filesystem::path path_;
    std::mutex mutex_;
    call::RecordingTimeline timeline_;
    std::unique_ptr<audio::WavStreamWriter> file_;  // from the first audio
    bool failed_ = false;
    bool finished_ = false;
    bool complete_ = false;  // finish()'s answer
    bool warned_format_ = false;
    bool warned_dropped_ = false;
};

}  // namespace vox::host
