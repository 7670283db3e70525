#include "plugin_fixture.hpp"

namespace vox::test {
namespace {

vox_error empty_error() {
    vox_error error{};
    error.struct_size = sizeof(vox_error);
    return error;
}

}  // namespace

RawSttSession::RawSttSession(const Provider& provider, std::uint32_t sample_rate, SttRecorder& recorder,
                             const std::string& settings)
    : vtable_(&provider.vtable<vox_stt_vtable>()), sample_rate_(sample_rate) {
    callbacks_.struct_size = sizeof(vox_stt_callbacks);
    callbacks_.user = &recorder;
    callbacks_.on_transcript = [](void* user, const vox_transcript* transcript) {
        auto& out = *static_cast<SttRecorder*>(user);
        std::lock_guard lock(out.mutex);
        out.transcripts.push_back(
            {transcript->text, transcript->is_final != 0, transcript->start_ms, transcript->end_ms});
        out.changed.notify_all();
    };
    callbacks_.on_error = [](void* user, vox_status code, const char* message) {
        auto& out = *static_cast<SttRecorder*>(user);
        std::lock_guard lock(out.mutex);
        out.errors.push_back({code, message});
        out.changed.notify_all();
    };
    vox_error error = empty_error();
    open_status_ =
        vtable_->open(provider.plugin_context(), settings.c_str(), sample_rate, &callbacks_, &session_, &error);
    if (open_status_ != VOX_OK) open_error_ = error.message;
}

vox_status RawSttSession::push(const std::vector<std::int16_t>& samples) {
    vox_audio audio{sizeof(vox_audio), samples.data(), samples.size(), sample_rate_, 1};
    vox_error error = empty_error();
    return vtable_->push_audio(session_, &audio, &error);
}

vox_status RawSttSession::flush() {
    vox_error error = empty_error();
    return vtable_->flush(session_, &error);
}

void RawSttSession::cancel() { vtable_->cancel(session_); }

void RawSttSession::close() {
    if (session_ != nullptr) vtable_->close(session_);
    session_ = nullptr;
}

RawTtsSession::RawTtsSession(const Provider& provider, TtsRecorder& recorder, const std::string& settings)
    : vtable_(&provider.vtable<vox_tts_vtable>()) {
    callbacks_.struct_size = sizeof(vox_tts_callbacks);
    callbacks_.user = &recorder;
    callbacks_.on_audio = [](void* user, std::uint64_t context, const vox_audio* audio) {
        auto& out = *static_cast<TtsRecorder*>(user);
        std::lock_guard lock(out.mutex);
        auto& state = out.contexts[context];
        if (state.audio_calls++ == 0) state.first_audio = Clock::now();
        state.sample_rate = audio->sample_rate;
        state.samples.insert(state.samples.end(), audio->samples, audio->samples + audio->frames * audio->channels);
        out.changed.notify_all();
    };
    callbacks_.on_done = [](void* user, std::uint64_t context) {
        auto& out = *static_cast<TtsRecorder*>(user);
        std::lock_guard lock(out.mutex);
        ++out.contexts[context].done;
        out.contexts[context].done_at = Clock::now();
        out.changed.notify_all();
    };
    callbacks_.on_error = [](void* user, std::uint64_t context, vox_status code, const char* message) {
        auto& out = *static_cast<TtsRecorder*>(user);
        std::lock_guard lock(out.mutex);
        out.contexts[context].errors.push_back({code, message});
        out.changed.notify_all();
    };
    vox_error error = empty_error();
    open_status_ = vtable_->open(provider.plugin_context(), settings.c_str(), &callbacks_, &session_, &error);
}

vox_status RawTtsSession::push_text(std::uint64_t context, const std::string& text) {
    vox_error error = empty_error();
    return vtable_->push_text(session_, context, text.data(), text.size(), &error);
}

vox_status RawTtsSession::flush(std::uint64_t context) {
    vox_error error = empty_error();
    return vtable_->flush(session_, context, &error);
}

void RawTtsSession::cancel(std::uint64_t context) { vtable_->cancel(session_, context); }

void RawTtsSession::close() {
    if (session_ != nullptr) vtable_->close(session_);
    session_ = nullptr;
}

void OpenAiAudioPlugin::load(const nlohmann::json& overrides) {
    settings_ = {{"base_url", server_.base_url()}, {"api_key", server_.api_key()}, {"retry_delay_ms", 20}};
    settings_.update(overrides);
    registry_.reset();
    RegistryOptions options;
    options.settings_for = [this](const std::string& key) {
        return key == "stt.openai" || key == "tts.openai" ? settings_ : nlohmann::json::object();
    };
    registry_ = std::make_unique<PluginRegistry>(host_, std::move(options));
    ASSERT_TRUE(std::filesystem::exists(VOX_TEST_OPENAI_AUDIO_PLUGIN)) << VOX_TEST_OPENAI_AUDIO_PLUGIN;
    bool loaded = PluginLoader(*registry_).load_file(VOX_TEST_OPENAI_AUDIO_PLUGIN);
    std::string reasons;
    for (const auto& refused : registry_->refused()) reasons += refused.origin + ": " + refused.reason + "\n";
    ASSERT_TRUE(loaded) << reasons;
    stt_ = registry_->find("stt.openai");
    tts_ = registry_->find("tts.openai");
    ASSERT_NE(stt_, nullptr);
    ASSERT_NE(tts_, nullptr);
}

std::vector<std::int16_t> test_audio(std::size_t frames, int seed) {
    std::vector<std::int16_t> samples(frames);
    for (std::size_t i = 0; i < frames; ++i)
        samples[i] = static_cast<std::int16_t>(
            static_cast<int>((i * 37 + static_cast<std::size_t>(seed) * 1009) % 20000) - 10000);
    return samples;
}

std::vector<std::int16_t> expected_speech(std::size_t samples) {
    std::vector<std::int16_t> pcm(samples);
    for (std::size_t i = 0; i < samples; ++i) pcm[i] = AudioTestServer::speech_sample(i);
    return pcm;
}

}  // namespace vox::test
