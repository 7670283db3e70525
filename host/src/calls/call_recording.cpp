#include "calls/call_recording.hpp"

#include <vox/core/log.hpp>

#include <exception>
#include <system_error>

namespace vox::host {

std::filesystem::path recording_path(const std::filesystem::path& recordings_dir, const std::string& call_id) {
    return recordings_dir / (call_id + ".wav");
}

std::string recording_url(const std::string& call_id) { return "/api/calls/" + call_id + "/recording"; }

CallRecording::CallRecording(const std::filesystem::path& recordings_dir, std::string call_id,
                             std::uint32_t sample_rate)
    : call_id_(std::move(call_id)),
      sample_rate_(sample_rate),
      path_(recording_path(recordings_dir, call_id_)),
      timeline_(sample_rate, [this](std::span<const std::int16_t> stereo) { write(stereo); }) {}

CallRecording::~CallRecording() { finish(); }

void CallRecording::caller_audio(const audio::AudioView& audio) noexcept {
    std::lock_guard lock(mutex_);
    if (finished_ || failed_ || !usable(audio, "caller")) return;
    try {
        timeline_.caller_audio(audio.samples);
    } catch (const std::exception& error) {
        fail(error.what());
    }
}

void CallRecording::agent_audio(std::uint64_t context, const audio::AudioView& audio) noexcept {
    std::lock_guard lock(mutex_);
    if (finished_ || failed_ || !usable(audio, "agent")) return;
    try {
        std::size_t dropped = timeline_.agent_audio(context, audio.samples);
        if (dropped > 0 && !warned_dropped_) {
            warned_dropped_ = true;
            vox::log::warn("calls", "the agent's audio runs too far ahead of the caller's; the excess is not recorded",
                           {{"call_id", call_id_}, {"dropped_samples", dropped}});
        }
    } catch (const std::exception& error) {
        fail(error.what());
    }
}

void CallRecording::agent_cleared(std::uint64_t context, std::uint32_t played_ms) noexcept {
    std::lock_guard lock(mutex_);
    if (finished_ || failed_) return;
    try {
        timeline_.agent_cleared(context, played_ms);
    } catch (const std::exception& error) {
        fail(error.what());
    }
}

bool CallRecording::finish() noexcept {
    std::lock_guard lock(mutex_);
    if (finished_) return complete_;
    finished_ = true;
    if (failed_ || !file_) return false;  // no audio at all, or given up
    try {
        file_->close();
        complete_ = file_->frames_written() > 0;
        vox::log::debug(
            "calls", "call recorded",
            {{"call_id", call_id_},
             {"path", path_.string()},
             {"seconds", static_cast<double>(file_->frames_written()) / sample_rate_},
             {"agent_audio_left_out_s", static_cast<double>(timeline_.pending_agent_frames()) / sample_rate_}});
    } catch (const std::exception& error) {
        fail(error.what());
        complete_ = false;
    }
    file_.reset();
    return complete_;
}

void CallRecording::write(std::span<const std::int16_t> stereo) {
    if (failed_ || stereo.empty()) return;
    if (!file_) {
        std::error_code ec;
        std::filesystem::create_directories(path_.parent_path(), ec);
        if (ec) {
            fail("cannot create the recordings directory '" + path_.parent_path().string() + "': " + ec.message());
            return;
        }
        file_ = std::make_unique<audio::WavStreamWriter>(path_, sample_rate_, 2);  // throws AudioError
    }
    file_->write(stereo);
}

void CallRecording::fail(const std::string& error) noexcept {
    failed_ = true;
    try {
        vox::log::error("calls", "cannot record the call; it goes on without a recording",
                        {{"call_id", call_id_}, {"path", path_.string()}, {"error", error}});
    } catch (...) {  // logging must not take the call down either
    }
    file_.reset();
    std::error_code ec;
    std::filesystem::remove(path_, ec);
}

bool CallRecording::usable(const audio::AudioView& audio, const char* track) noexcept {
    bool rate_ok = audio.sample_rate == 0 || audio.sample_rate == sample_rate_;
    if (audio.channels == 1 && rate_ok) return true;
    if (!warned_format_) {
        warned_format_ = true;
        try {
            vox::log::warn("calls", "audio not at the call's format is left out of the recording",
                           {{"call_id", call_id_},
                            {"track", track},
                            {"sample_rate", audio.sample_rate},
                            {"channels", audio.channels},
                            {"call_sample_rate", sample_rate_}});
        } catch (...) {}
    }
    return false;
}

}  // namespace vox::host
