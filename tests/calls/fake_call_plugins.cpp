#include "fake_call_plugins.hpp"

#include <vox/core/providers/provider_error.hpp>

#include <cstring>

namespace vox::calltest {
namespace {

struct FakeCall {};  // stands for vox_transport_call: only its address matters

FakeTransport& transport_of(void* ctx) { return *static_cast<FakeTransport*>(ctx); }

void record(vox_transport_call*, std::string action) {
    auto& fake = fake_transport();
    std::lock_guard lock(fake.mutex);
    fake.actions.push_back(std::move(action));
    fake.changed.notify_all();
}

vox_status init(const vox_host_services*, const char*, void** plugin_ctx, vox_error*) {
    *plugin_ctx = &fake_transport();
    return VOX_OK;
}
void deinit(void*) {}

vox_status start(void* ctx, const char* settings_json, const vox_transport_callbacks* callbacks, vox_error*) {
    auto& fake = transport_of(ctx);
    std::lock_guard lock(fake.mutex);
    fake.callbacks = *callbacks;
    fake.start_settings = json::parse(settings_json);
    fake.started = true;
    return VOX_OK;
}

vox_status dial(void* ctx, const char* request_json, vox_error*) {
    auto& fake = transport_of(ctx);
    std::lock_guard lock(fake.mutex);
    fake.dials.push_back(json::parse(request_json));
    fake.changed.notify_all();
    return VOX_OK;
}

vox_status play(vox_transport_call* call, uint64_t context, const vox_audio* audio, vox_error*) {
    record(call, "play:" + std::to_string(context) + ":" + std::to_string(audio->frames));
    return VOX_OK;
}
uint32_t clear(vox_transport_call* call, uint64_t context) {
    record(call, "clear:" + std::to_string(context));
    return 120;
}
vox_status transfer(vox_transport_call*, const char*, vox_error*) { return VOX_ERR_UNSUPPORTED; }
vox_status hangup(vox_transport_call* call, const char* reason, vox_error*) {
    record(call, std::string("hangup:") + reason);
    return VOX_OK;
}
void stop(void* ctx) {
    auto& fake = transport_of(ctx);
    std::lock_guard lock(fake.mutex);
    fake.stopped = true;
}
vox_status send_event(vox_transport_call* call, const char* event_json, vox_error*) {
    std::function<void(const json&)> hook;
    {
        std::lock_guard lock(fake_transport().mutex);
        hook = fake_transport().on_event;
    }
    if (hook) hook(json::parse(event_json));
    record(call, std::string("event:") + event_json);
    return VOX_OK;
}
vox_status describe(void*, vox_string_sink* out, vox_error*) {
    static const std::string text = "{\"listen_url\":\"ws://127.0.0.1:8081\"}";
    out->write(out->user, text.data(), text.size());
    return VOX_OK;
}

const vox_transport_vtable kTransportVtable{sizeof(vox_transport_vtable), &start, &dial, &play, &clear, &transfer,
                                            &hangup, &stop, &send_event};
const vox_provider kTransport{sizeof(vox_provider),   VOX_PROVIDER_TRANSPORT, "websocket", "fake web calls", "{}",
                              "{\"type\":\"object\"}", &kTransportVtable,      &describe};

// STT, LLM and TTS providers that are never opened (the fake pipeline does not).
vox_status stt_open(void*, const char*, uint32_t, const vox_stt_callbacks*, vox_stt_session**, vox_error*) {
    return VOX_ERR_UNSUPPORTED;
}
vox_status stt_push(vox_stt_session*, const vox_audio*, vox_error*) { return VOX_OK; }
vox_status stt_flush(vox_stt_session*, vox_error*) { return VOX_OK; }
void stt_cancel(vox_stt_session*) {}
void stt_close(vox_stt_session*) {}
const vox_stt_vtable kSttVtable{sizeof(vox_stt_vtable), &stt_open, &stt_push, &stt_flush, &stt_flush, &stt_cancel,
                                &stt_close, nullptr};  // no grammars
const vox_provider kStt{sizeof(vox_provider), VOX_PROVIDER_STT, "fake", "fake stt", "{}",
                        "{\"type\":\"object\",\"properties\":{\"language\":{\"type\":\"string\"}}}", &kSttVtable,
                        nullptr};

vox_status llm_start(void*, const char*, uint64_t, const vox_llm_callbacks*, vox_error*) { return VOX_ERR_UNSUPPORTED; }
void llm_cancel(void*, uint64_t) {}
vox_status llm_models(void*, vox_string_sink*, vox_error*) { return VOX_OK; }
const vox_llm_vtable kLlmVtable{sizeof(vox_llm_vtable), &llm_start, &llm_cancel, &llm_models};
const vox_provider kLlm{sizeof(vox_provider), VOX_PROVIDER_LLM, "fake", "fake llm", "{}", "{\"type\":\"object\"}",
                        &kLlmVtable, nullptr};

vox_status tts_open(void*, const char*, const vox_tts_callbacks*, vox_tts_session**, vox_error*) {
    return VOX_ERR_UNSUPPORTED;
}
vox_status tts_push(vox_tts_session*, uint64_t, const char*, size_t, vox_error*) { return VOX_OK; }
vox_status tts_flush(vox_tts_session*, uint64_t, vox_error*) { return VOX_OK; }
void tts_cancel(vox_tts_session*, uint64_t) {}
void tts_close(vox_tts_session*) {}
const vox_tts_vtable kTtsVtable{sizeof(vox_tts_vtable), &tts_open, &tts_push, &tts_flush, &tts_cancel, &tts_close};
const vox_provider kTts{sizeof(vox_provider),
                        VOX_PROVIDER_TTS,
                        "fake",
                        "fake tts",
                        "{\"voices\":[{\"id\":\"v1\",\"language\":\"en-US\"}]}",
                        "{\"type\":\"object\",\"properties\":{\"voice\":{\"type\":\"string\"},"
                        "\"speed\":{\"type\":\"number\"}}}",
                        &kTtsVtable,
                        nullptr};

const vox_provider* const kProviders[] = {&kTransport, &kStt, &kLlm, &kTts};
const vox_plugin_descriptor kDescriptor{sizeof(vox_plugin_descriptor), VOX_ABI_MAJOR, VOX_ABI_MINOR, "fake_calls",
                                        "0.0.1", "call engine test plugin", &init, &deinit, kProviders, 4};

}  // namespace

FakeTransport& fake_transport() {
    static FakeTransport instance;
    return instance;
}

const vox_plugin_descriptor* fake_call_plugin_entry() { return &kDescriptor; }

void FakeTransport::reset() {
    std::lock_guard lock(mutex);
    callbacks = {};
    start_settings = nullptr;
    dials.clear();
    actions.clear();
    on_event = nullptr;
    started = stopped = false;
}

void FakeTransport::join(vox_transport_call* call, const std::string& call_id, std::uint32_t sample_rate) {
    vox_transport_callbacks cb;
    {
        std::lock_guard lock(mutex);
        cb = callbacks;
    }
    std::string details = json{{"call_id", call_id}, {"sample_rate", sample_rate}}.dump();
    cb.on_call_started(cb.user, call, details.c_str());
}

void FakeTransport::send_audio(vox_transport_call* call, std::size_t frames) {
    std::vector<int16_t> samples(frames, 100);
    vox_audio audio{sizeof(vox_audio), samples.data(), frames, 16000, 1};
    callbacks.on_audio(callbacks.user, call, &audio);
}

void FakeTransport::caller_hangs_up(vox_transport_call* call) { callbacks.on_call_ended(callbacks.user, call, "user_hangup"); }

std::vector<std::string> FakeTransport::actions_snapshot() {
    std::lock_guard lock(mutex);
    return actions;
}

bool FakeTransport::wait_for_action(const std::string& prefix, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [&] {
        for (const auto& action : actions)
            if (action.rfind(prefix, 0) == 0) return true;
        return false;
    });
}

// --- the pipeline --------------------------------------------------------------

FakePipeline::FakePipeline()
    : thread_([this] {
          std::unique_lock lock(mutex_);
          while (true) {
              changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
              if (queue_.empty()) return;
              auto fn = std::move(queue_.front());
              queue_.pop_front();
              lock.unlock();
              fn();
              lock.lock();
          }
      }) {}

FakePipeline::~FakePipeline() { stop(); }

std::shared_ptr<call::CallSession> FakePipeline::create_session(call::CallSetup setup,
                                                                std::shared_ptr<call::CallTransport> transport,
                                                                std::shared_ptr<call::CallObserver> observer) {
    if (!fail_provider_.empty()) throw ProviderError(VOX_ERR_UNSUPPORTED, fail_provider_, "no such voice");
    auto session = std::make_shared<FakeSession>(std::move(setup), std::move(transport), std::move(observer), *this);
    std::lock_guard lock(mutex_);
    sessions_.push_back(session);
    changed_.notify_all();
    return session;
}

void FakePipeline::post(std::function<void()> fn) {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    queue_.push_back(std::move(fn));
    changed_.notify_all();
}

void FakePipeline::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        changed_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
}

std::shared_ptr<FakeSession> FakePipeline::session(std::size_t index, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return sessions_.size() > index; });
    return sessions_.size() > index ? sessions_[index] : nullptr;
}

// --- sessions ----------------------------------------------------------------

FakeSession::FakeSession(call::CallSetup setup, std::shared_ptr<call::CallTransport> transport,
                         std::shared_ptr<call::CallObserver> observer, FakePipeline& pipeline)
    : CallSession(setup.call_id),
      setup_(std::move(setup)),
      transport_(std::move(transport)),
      observer_(std::move(observer)),
      pipeline_(pipeline) {}

void FakeSession::start() {
    std::lock_guard lock(mutex_);
    started_ = true;
    changed_.notify_all();
}

void FakeSession::push_audio(const audio::AudioView& audio) {
    std::lock_guard lock(mutex_);
    audio_frames_ += audio.frames();
}

void FakeSession::push_dtmf(char) {}
void FakeSession::on_played(std::uint64_t, std::uint32_t) {}

void FakeSession::end(std::string reason) {
    {
        std::lock_guard lock(mutex_);
        end_requests_.push_back(reason);
        changed_.notify_all();
        if (ended_) return;
        ended_ = true;
    }
    auto self = std::static_pointer_cast<FakeSession>(shared_from_this());
    pipeline_.post([self, reason] {
        self->transport_->hangup(reason);
        self->observer_->on_ended(result_for(reason));
    });
}

void FakeSession::finish(call::CallResult result) {
    {
        std::lock_guard lock(mutex_);
        ended_ = true;
    }
    observer_->on_ended(result);
}

bool FakeSession::active() const {
    std::lock_guard lock(mutex_);
    return !ended_;
}

bool FakeSession::started() const {
    std::lock_guard lock(mutex_);
    return started_;
}

std::size_t FakeSession::audio_frames() const {
    std::lock_guard lock(mutex_);
    return audio_frames_;
}

std::vector<std::string> FakeSession::end_requests() const {
    std::lock_guard lock(mutex_);
    return end_requests_;
}

bool FakeSession::wait_end_requested(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return !end_requests_.empty(); });
}

call::CallResult FakeSession::result_for(const std::string& reason) {
    call::CallResult result;
    result.disconnection_reason = reason;
    result.failed = reason != "user_hangup" && reason != "api_hangup" && reason != "agent_hangup";
    result.duration_seconds = 12.5;
    result.transcript = json::array({{{"speaker", "agent"}, {"text", "Hello."}, {"start", 0.1}, {"end", 0.9}},
                                     {{"speaker", "user"}, {"text", "Hi there."}, {"start", 1.5}, {"end", 2.2}}});
    result.latency = {{"e2e", {{"p50", 500}, {"p90", 600}, {"p95", 650}, {"p99", 700}, {"min", 400}, {"max", 710},
                               {"count", 2}}}};
    result.mean_e2e_latency_ms = 550;
    result.turns = 2;
    return result;
}

}  // namespace vox::calltest
