// Unit tests of the header-only C++ SDK: a plugin class defined here offers
// one provider of each kind through the SDK adapters, and the tests call it the
// way the host does, through the C descriptor and vtables (no dlopen).
#include <vox/plugin.h>
#include <vox/sdk.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using vox::sdk::Error;

// ---- What the plugin's providers do ---------------------------------------

// Throws what `text` asks for: "error:<code>" a vox::sdk::Error with that code,
// "std" a std::runtime_error, "int" a non-exception, "alloc" std::bad_alloc.
void throw_if_asked(std::string_view text) {
    if (text.rfind("error:", 0) == 0) {
        auto code = static_cast<vox_status>(std::stoi(std::string(text.substr(6))));
        throw Error(code, "asked for status " + std::string(vox::sdk::status_name(code)));
    }
    if (text == "std") throw std::runtime_error("a standard exception");
    if (text == "int") throw 42;
    if (text == "alloc") throw std::bad_alloc();
    if (text == "long") throw Error(VOX_ERR_INVALID_ARGUMENT, std::string(2000, 'x'));
}

class EchoTtsSession : public vox::sdk::TtsSession {
public:
    explicit EchoTtsSession(vox::sdk::TtsSink sink) : sink_(sink) {}
    // One sample per character of text; a word timing per push; done on flush.
    void push_text(std::uint64_t context, std::string_view text) override {
        throw_if_asked(text);
        std::vector<std::int16_t> samples(text.size(), 100);
        sink_.audio(context, samples.data(), samples.size(), 16000);
        sink_.word(context, std::string(text), 0, 10);
    }
    void flush(std::uint64_t context) override { sink_.done(context); }
    void cancel(std::uint64_t context) noexcept override { last_cancelled = context; }
    static inline std::uint64_t last_cancelled = 0;

private:
    vox::sdk::TtsSink sink_;
};

class EchoTts : public vox::sdk::TtsProvider {
public:
    std::unique_ptr<vox::sdk::TtsSession> open(std::string_view settings_json, vox::sdk::TtsSink sink) override {
        throw_if_asked(settings_json);
        return std::make_unique<EchoTtsSession>(sink);
    }
    std::string describe() override { return R"({"voices":["runtime"]})"; }
};

class CountingSttSession : public vox::sdk::SttSession {
public:
    CountingSttSession(vox::sdk::SttSink sink, std::uint32_t rate) : sink_(sink), rate_(rate) {}
    void push_audio(const vox_audio& audio) override {
        if (audio.sample_rate != rate_) throw Error(VOX_ERR_UNSUPPORTED, "unexpected sample rate");
        frames_ += audio.frames;
        sink_.transcript({"partial " + std::to_string(frames_), false, 0, ms(), -1.0F});
    }
    void flush() override { sink_.transcript({"final " + std::to_string(frames_), true, 0, ms(), 0.5F}); }
    void end_input() override { sink_.error(VOX_ERR_CANCELLED, "input ended"); }
    void cancel() noexcept override { frames_ = 0; }

private:
    std::uint32_t ms() const { return static_cast<std::uint32_t>(frames_ * 1000 / rate_); }
    vox::sdk::SttSink sink_;
    std::uint32_t rate_;
    std::size_t frames_ = 0;
};

class CountingStt : public vox::sdk::SttProvider {
public:
    std::unique_ptr<vox::sdk::SttSession> open(std::string_view settings_json, std::uint32_t sample_rate,
                                               vox::sdk::SttSink sink) override {
        throw_if_asked(settings_json);
        return std::make_unique<CountingSttSession>(sink, sample_rate);
    }
};

class ScriptedLlm : public vox::sdk::LlmProvider {
public:
    void start(std::string_view request_json, vox::sdk::LlmSink sink) override {
        throw_if_asked(request_json);
        sink.token("Hel");
        sink.token("lo");
        sink.tool_call("call_1", "lookup", R"({"q":"x"})");
        sink.done("stop");
    }
    void cancel(std::uint64_t generation) noexcept override { cancelled = generation; }
    std::string list_models() override { return R"(["scripted-1"])"; }
    std::uint64_t cancelled = 0;
};

class MeanVadSession : public vox::sdk::VadSession {
public:
    float process(const vox_audio& audio) override {
        if (audio.frames == 0) throw Error(VOX_ERR_INVALID_ARGUMENT, "empty chunk");
        ++chunks_;
        return audio.samples[0] > 0 ? 1.0F : 0.0F;
    }
    void reset() noexcept override { chunks_ = 0; }

private:
    int chunks_ = 0;
};

class MeanVad : public vox::sdk::VadProvider {
public:
    std::unique_ptr<vox::sdk::VadSession> open(std::string_view settings_json, std::uint32_t) override {
        throw_if_asked(settings_json);
        return std::make_unique<MeanVadSession>();
    }
};

class SayNode : public vox::sdk::FlowNodeType {
public:
    std::string validate(std::string_view config_json) override {
        throw_if_asked(config_json);
        if (config_json.find("\"say\"") == std::string_view::npos)
            return R"([{"field":"say","message":"is required"}])";
        return config_json == R"({"say":"hi","strict":true})" ? "[]" : "";
    }
    std::string step(std::string_view state_json) override {
        throw_if_asked(state_json);
        return R"({"say":"hi","next":"end"})";
    }
};

struct TestPlugin : vox::sdk::Plugin {
    TestPlugin(vox::sdk::Host host, std::string_view config_json) : Plugin(host), config(config_json) {
        throw_if_asked(config_json);
        ++instances;
        this->host().info("test plugin constructed");
    }
    ~TestPlugin() override { --instances; }

    std::string config;
    EchoTts tts;
    CountingStt stt;
    ScriptedLlm llm;
    MeanVad vad;
    SayNode node;
    static inline int instances = 0;
};

constexpr const char* kCaps = R"({"streaming":true})";

const vox_plugin_descriptor* test_descriptor() {
    static const vox_provider tts =
        vox::sdk::tts_provider<&TestPlugin::tts>({"echo", "Echo TTS", kCaps, R"({"type":"object"})"});
    static const vox_provider stt = vox::sdk::stt_provider<&TestPlugin::stt>({"counting", "Counting STT", kCaps});
    static const vox_provider llm = vox::sdk::llm_provider<&TestPlugin::llm>({"scripted", "Scripted LLM", kCaps});
    static const vox_provider vad = vox::sdk::vad_provider<&TestPlugin::vad>({"mean", "Mean VAD", kCaps});
    static const vox_provider node = vox::sdk::flow_node_provider<&TestPlugin::node>({"say", "Say node", kCaps});
    static const vox_provider* const providers[] = {&tts, &stt, &llm, &vad, &node};
    static const vox_plugin_descriptor descriptor =
        vox::sdk::plugin_descriptor<TestPlugin>({"sdk_test", "1.2.3", "Plugin of the SDK tests"}, providers);
    return &descriptor;
}

}  // namespace

// The exported entry, as a real plugin has it (see also static_entry_test.cpp).
VOX_PLUGIN_ENTRY(test_descriptor)

namespace {

// ---- Host side ----------------------------------------------------------------

vox_error make_error() {
    vox_error err{};
    err.struct_size = sizeof(vox_error);
    return err;
}

const vox_provider& provider_of(vox_provider_kind kind) {
    const vox_plugin_descriptor* d = vox_plugin_entry();
    for (std::size_t i = 0; i < d->provider_count; ++i)
        if (d->providers[i]->kind == kind) return *d->providers[i];
    throw std::logic_error("no provider of that kind");
}

template <class VTable>
const VTable& vtable_of(vox_provider_kind kind) {
    return *static_cast<const VTable*>(provider_of(kind).vtable);
}

void append(void* user, const char* data, std::size_t length) { static_cast<std::string*>(user)->append(data, length); }

vox_string_sink string_sink(std::string& text) { return {sizeof(vox_string_sink), &text, &append}; }

// Owns an initialised plugin instance for one test.
class PluginFixture : public ::testing::Test {
protected:
    void SetUp() override {
        err_ = make_error();
        ASSERT_EQ(descriptor_->init(nullptr, R"({"vad.mean":{}})", &ctx_, &err_), VOX_OK) << err_.message;
        ASSERT_NE(ctx_, nullptr);
    }
    void TearDown() override {
        if (ctx_ != nullptr) descriptor_->deinit(ctx_);
        EXPECT_EQ(TestPlugin::instances, 0);
    }
    const vox_plugin_descriptor* descriptor_ = vox_plugin_entry();
    void* ctx_ = nullptr;
    vox_error err_{};
};

// What arrives through TTS callbacks.
struct TtsRecord {
    std::vector<std::uint64_t> audio_contexts;
    std::size_t frames = 0;
    std::uint32_t rate = 0;
    std::vector<std::string> words;
    std::vector<std::uint64_t> done;
    int errors = 0;
};

vox_tts_callbacks tts_callbacks(TtsRecord& record) {
    vox_tts_callbacks callbacks{};
    callbacks.struct_size = sizeof(vox_tts_callbacks);
    callbacks.user = &record;
    callbacks.on_audio = [](void* user, std::uint64_t context, const vox_audio* audio) {
        auto& r = *static_cast<TtsRecord*>(user);
        r.audio_contexts.push_back(context);
        r.frames += audio->frames;
        r.rate = audio->sample_rate;
        EXPECT_EQ(audio->struct_size, sizeof(vox_audio));
        EXPECT_EQ(audio->channels, 1U);
    };
    callbacks.on_word = [](void* user, std::uint64_t, const char* word, std::uint32_t, std::uint32_t) {
        static_cast<TtsRecord*>(user)->words.emplace_back(word);
    };
    callbacks.on_done = [](void* user, std::uint64_t context) {
        static_cast<TtsRecord*>(user)->done.push_back(context);
    };
    callbacks.on_error = [](void* user, std::uint64_t, vox_status, const char*) {
        ++static_cast<TtsRecord*>(user)->errors;
    };
    return callbacks;
}

// A callback that must never run.
int trap_calls = 0;
void trap_word(void*, std::uint64_t, const char*, std::uint32_t, std::uint32_t) { ++trap_calls; }
void trap_done(void*, std::uint64_t) { ++trap_calls; }
void trap_tts_error(void*, std::uint64_t, vox_status, const char*) { ++trap_calls; }

// ---- The descriptor -------------------------------------------------------------

TEST(SdkDescriptor, FillsVersionFieldsAndNames) {
    const vox_plugin_descriptor* d = vox_plugin_entry();
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d, test_descriptor()) << "the entry returns the same static descriptor every time";
    EXPECT_EQ(d->struct_size, sizeof(vox_plugin_descriptor));
    EXPECT_EQ(d->abi_major, static_cast<std::uint32_t>(VOX_ABI_MAJOR));
    EXPECT_EQ(d->abi_minor, static_cast<std::uint32_t>(VOX_ABI_MINOR));
    EXPECT_STREQ(d->name, "sdk_test");
    EXPECT_STREQ(d->version, "1.2.3");
    EXPECT_STREQ(d->description, "Plugin of the SDK tests");
    EXPECT_NE(d->init, nullptr);
    EXPECT_NE(d->deinit, nullptr);
    ASSERT_EQ(d->provider_count, 5U);
    EXPECT_TRUE(VOX_STRUCT_HAS(d, vox_plugin_descriptor, provider_count));
}

TEST(SdkDescriptor, ProvidersCarryKindNameJsonAndSizedVtables) {
    const vox_plugin_descriptor* d = vox_plugin_entry();
    const vox_provider_kind kinds[] = {VOX_PROVIDER_TTS, VOX_PROVIDER_STT, VOX_PROVIDER_LLM, VOX_PROVIDER_VAD,
                                       VOX_PROVIDER_FLOW_NODE};
    const char* names[] = {"echo", "counting", "scripted", "mean", "say"};
    const std::size_t vtable_sizes[] = {sizeof(vox_tts_vtable), sizeof(vox_stt_vtable), sizeof(vox_llm_vtable),
                                        sizeof(vox_vad_vtable), sizeof(vox_flow_node_vtable)};
    for (std::size_t i = 0; i < d->provider_count; ++i) {
        const vox_provider& p = *d->providers[i];
        SCOPED_TRACE(names[i]);
        EXPECT_EQ(p.struct_size, sizeof(vox_provider));
        EXPECT_EQ(p.kind, kinds[i]);
        EXPECT_STREQ(p.name, names[i]);
        EXPECT_STREQ(p.capabilities_json, kCaps);
        EXPECT_STREQ(p.settings_schema_json, R"({"type":"object"})") << "the default schema is an open object";
        ASSERT_NE(p.vtable, nullptr);
        EXPECT_EQ(*static_cast<const std::size_t*>(p.vtable), vtable_sizes[i]);
        EXPECT_NE(p.describe, nullptr);
    }
}

TEST(SdkDescriptor, InitPassesConfigAndDeinitDestroys) {
    const vox_plugin_descriptor* d = vox_plugin_entry();
    void* ctx = nullptr;
    vox_error err = make_error();
    ASSERT_EQ(d->init(nullptr, R"({"tts.echo":{"voice":"a"}})", &ctx, &err), VOX_OK);
    EXPECT_EQ(TestPlugin::instances, 1);
    EXPECT_EQ(static_cast<TestPlugin*>(ctx)->config, R"({"tts.echo":{"voice":"a"}})");
    d->deinit(ctx);
    EXPECT_EQ(TestPlugin::instances, 0);

    ASSERT_EQ(d->init(nullptr, nullptr, &ctx, &err), VOX_OK) << "a NULL config reads as {}";
    EXPECT_EQ(static_cast<TestPlugin*>(ctx)->config, "{}");
    d->deinit(ctx);
}

TEST(SdkDescriptor, InitFailureBecomesStatusAndMessage) {
    const vox_plugin_descriptor* d = vox_plugin_entry();
    void* ctx = nullptr;
    vox_error err = make_error();
    EXPECT_EQ(d->init(nullptr, "error:7", &ctx, &err), VOX_ERR_AUTH);
    EXPECT_EQ(err.code, VOX_ERR_AUTH);
    EXPECT_STREQ(err.message, "asked for status auth");
    EXPECT_EQ(ctx, nullptr);
    EXPECT_EQ(TestPlugin::instances, 0);
}

// ---- Host services through vox::sdk::Host ---------------------------------------

struct FakeHost {
    std::vector<std::string> lines;
    int counters = 0;
    int work = 0;
    bool refuse_work = false;
};

vox_host_services fake_services(FakeHost& fake) {
    vox_host_services services{};
    services.struct_size = sizeof(vox_host_services);
    services.abi_major = VOX_ABI_MAJOR;
    services.abi_minor = VOX_ABI_MINOR;
    services.host = &fake;
    services.log = [](void* host, vox_log_level, const char* message) {
        static_cast<FakeHost*>(host)->lines.emplace_back(message);
    };
    services.post_work = [](void* host, void (*fn)(void*), void* arg) {
        auto& f = *static_cast<FakeHost*>(host);
        if (f.refuse_work) return VOX_ERR_UNAVAILABLE;
        fn(arg);  // inline, for the test
        return VOX_OK;
    };
    services.monotonic_ns = [](void*) -> std::uint64_t { return 42; };
    services.counter_add = [](void* host, const char*, const char*, double) {
        ++static_cast<FakeHost*>(host)->counters;
    };
    return services;
}

TEST(SdkHost, ForwardsToTheServicesTable) {
    FakeHost fake;
    vox_host_services services = fake_services(fake);
    const vox_plugin_descriptor* d = vox_plugin_entry();
    void* ctx = nullptr;
    ASSERT_EQ(d->init(&services, "{}", &ctx, nullptr), VOX_OK);
    ASSERT_EQ(fake.lines.size(), 1U);
    EXPECT_EQ(fake.lines[0], "test plugin constructed");

    const vox::sdk::Host& host = static_cast<TestPlugin*>(ctx)->host();
    EXPECT_EQ(host.monotonic_ns(), 42U);
    host.counter_add("tts.echo", "chars", 3);
    EXPECT_EQ(fake.counters, 1);
    host.post_work([&] { ++fake.work; });
    host.post_work([] { throw std::runtime_error("swallowed on the pool"); });
    EXPECT_EQ(fake.work, 1);
    fake.refuse_work = true;
    try {
        host.post_work([&] { ++fake.work; });
        ADD_FAILURE() << "post_work should throw when the host refuses";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), VOX_ERR_UNAVAILABLE);
    }
    EXPECT_EQ(fake.work, 1);
    d->deinit(ctx);
}

TEST(SdkHost, OlderHostWithoutCounterAddIsNotCalledBeyondItsSize) {
    FakeHost fake;
    vox_host_services services = fake_services(fake);
    services.struct_size = offsetof(vox_host_services, counter_add);  // built before counter_add existed
    vox::sdk::Host host(&services);
    host.counter_add("tts.echo", "chars", 1);
    EXPECT_EQ(fake.counters, 0);
    EXPECT_EQ(host.monotonic_ns(), 42U);
}

TEST(SdkHost, WithoutServicesEverythingIsANoOp) {
    vox::sdk::Host host;
    host.info("nobody listens");
    host.counter_add("tts.echo", "chars", 1);
    EXPECT_EQ(host.monotonic_ns(), 0U);
    EXPECT_THROW(host.post_work([] {}), Error);
}

// ---- Errors at the boundary --------------------------------------------------------

using SdkErrors = PluginFixture;

TEST_F(SdkErrors, SdkErrorKeepsItsCodeAndMessage) {
    const auto& tts = vtable_of<vox_tts_vtable>(VOX_PROVIDER_TTS);
    TtsRecord record;
    vox_tts_callbacks callbacks = tts_callbacks(record);
    vox_tts_session* session = nullptr;
    ASSERT_EQ(tts.open(ctx_, "{}", &callbacks, &session, &err_), VOX_OK);

    for (vox_status code : {VOX_ERR_INVALID_ARGUMENT, VOX_ERR_UNSUPPORTED, VOX_ERR_UNAVAILABLE, VOX_ERR_RATE_LIMITED}) {
        std::string text = "error:" + std::to_string(static_cast<int>(code));
        vox_error err = make_error();
        EXPECT_EQ(tts.push_text(session, 1, text.data(), text.size(), &err), code);
        EXPECT_EQ(err.code, code);
        EXPECT_EQ(std::string(err.message), std::string("asked for status ") + vox::sdk::status_name(code));
    }
    tts.close(session);
}

TEST_F(SdkErrors, OtherExceptionsBecomeInternal) {
    const auto& tts = vtable_of<vox_tts_vtable>(VOX_PROVIDER_TTS);
    TtsRecord record;
    vox_tts_callbacks callbacks = tts_callbacks(record);
    vox_tts_session* session = nullptr;
    ASSERT_EQ(tts.open(ctx_, "{}", &callbacks, &session, &err_), VOX_OK);

    struct Case {
        std::string text;
        std::string message;
    };
    for (const Case& c :
         {Case{"std", "a standard exception"}, Case{"int", "unknown exception"}, Case{"alloc", "out of memory"}}) {
        vox_error err = make_error();
        EXPECT_EQ(tts.push_text(session, 1, c.text.data(), c.text.size(), &err), VOX_ERR_INTERNAL) << c.text;
        EXPECT_EQ(err.code, VOX_ERR_INTERNAL);
        EXPECT_EQ(err.message, c.message);
    }
    tts.close(session);
}

TEST_F(SdkErrors, FailedOpenReturnsNoSession) {
    const auto& tts = vtable_of<vox_tts_vtable>(VOX_PROVIDER_TTS);
    TtsRecord record;
    vox_tts_callbacks callbacks = tts_callbacks(record);
    vox_tts_session* session = nullptr;
    EXPECT_EQ(tts.open(ctx_, "error:2", &callbacks, &session, &err_), VOX_ERR_UNSUPPORTED);
    EXPECT_EQ(session, nullptr);
    EXPECT_STREQ(err_.message, "asked for status unsupported");
}

TEST_F(SdkErrors, LongMessagesAreTruncatedAndTerminated) {
    const auto& vad = vtable_of<vox_vad_vtable>(VOX_PROVIDER_VAD);
    vox_vad_session* session = nullptr;
    EXPECT_EQ(vad.open(ctx_, "long", 16000, &session, &err_), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(std::strlen(err_.message), static_cast<std::size_t>(VOX_ERROR_MESSAGE_CAPACITY - 1));
    EXPECT_EQ(err_.message[0], 'x');
}

TEST_F(SdkErrors, NullOrUndersizedErrorRecordIsLeftAlone) {
    const auto& vad = vtable_of<vox_vad_vtable>(VOX_PROVIDER_VAD);
    vox_vad_session* session = nullptr;
    EXPECT_EQ(vad.open(ctx_, "error:5", 16000, &session, nullptr), VOX_ERR_TIMEOUT);

    vox_error small = make_error();
    small.struct_size = offsetof(vox_error, message);  // a caller that cannot hold a message
    small.code = VOX_OK;
    EXPECT_EQ(vad.open(ctx_, "error:5", 16000, &session, &small), VOX_ERR_TIMEOUT);
    EXPECT_EQ(small.code, VOX_OK) << "a record too small for the message is not written";
    EXPECT_EQ(session, nullptr);
}

TEST(SdkErrorNames, EveryStatusHasAName) {
    EXPECT_STREQ(vox::sdk::status_name(VOX_OK), "ok");
    EXPECT_STREQ(vox::sdk::status_name(VOX_ERR_INTERNAL), "internal");
    EXPECT_STREQ(vox::sdk::status_name(static_cast<vox_status>(99)), "unknown");
}

// ---- TTS ------------------------------------------------------------------------------

using SdkTts = PluginFixture;

TEST_F(SdkTts, StreamsAudioWordsAndDonePerContext) {
    const auto& tts = vtable_of<vox_tts_vtable>(VOX_PROVIDER_TTS);
    TtsRecord record;
    vox_tts_callbacks callbacks = tts_callbacks(record);
    vox_tts_session* session = nullptr;
    ASSERT_EQ(tts.open(ctx_, R"({"voice":"a"})", &callbacks, &session, &err_), VOX_OK);
    ASSERT_NE(session, nullptr);

    ASSERT_EQ(tts.push_text(session, 7, "Hello", 5, &err_), VOX_OK);
    ASSERT_EQ(tts.push_text(session, 7, "there!", 3, &err_), VOX_OK) << "length, not NUL, ends the text";
    ASSERT_EQ(tts.flush(session, 7, &err_), VOX_OK);
    EXPECT_EQ(record.audio_contexts, (std::vector<std::uint64_t>{7, 7}));
    EXPECT_EQ(record.frames, 8U);
    EXPECT_EQ(record.rate, 16000U);
    EXPECT_EQ(record.words, (std::vector<std::string>{"Hello", "the"}));
    EXPECT_EQ(record.done, (std::vector<std::uint64_t>{7}));

    tts.cancel(session, 9);
    EXPECT_EQ(EchoTtsSession::last_cancelled, 9U);
    tts.close(session);
}

TEST_F(SdkTts, CallbacksAreCopiedAtOpen) {
    const auto& tts = vtable_of<vox_tts_vtable>(VOX_PROVIDER_TTS);
    TtsRecord record;
    vox_tts_session* session = nullptr;
    {
        auto callbacks = std::make_unique<vox_tts_callbacks>(tts_callbacks(record));
        ASSERT_EQ(tts.open(ctx_, "{}", callbacks.get(), &session, &err_), VOX_OK);
        std::memset(callbacks.get(), 0xAB, sizeof(vox_tts_callbacks));  // the host's copy may die at once
    }
    ASSERT_EQ(tts.push_text(session, 1, "abc", 3, &err_), VOX_OK);
    EXPECT_EQ(record.frames, 3U);
    tts.close(session);
}

TEST_F(SdkTts, OlderSmallerCallbacksLeaveNewerCallbacksNull) {
    const auto& tts = vtable_of<vox_tts_vtable>(VOX_PROVIDER_TTS);
    TtsRecord record;
    vox_tts_callbacks callbacks = tts_callbacks(record);
    // A host built when the struct ended after on_audio: whatever follows in
    // memory must not be taken for on_word, on_done and on_error.
    callbacks.struct_size = offsetof(vox_tts_callbacks, on_word);
    callbacks.on_word = &trap_word;
    callbacks.on_done = &trap_done;
    callbacks.on_error = &trap_tts_error;
    trap_calls = 0;

    vox_tts_session* session = nullptr;
    ASSERT_EQ(tts.open(ctx_, "{}", &callbacks, &session, &err_), VOX_OK);
    ASSERT_EQ(tts.push_text(session, 3, "abcd", 4, &err_), VOX_OK);
    ASSERT_EQ(tts.flush(session, 3, &err_), VOX_OK);
    EXPECT_EQ(record.frames, 4U) << "on_audio is covered by struct_size";
    EXPECT_EQ(trap_calls, 0) << "callbacks beyond struct_size were called";
    EXPECT_TRUE(record.done.empty());
    tts.close(session);
}

TEST_F(SdkTts, DescribeWritesRunTimeCapabilities) {
    const vox_provider& p = provider_of(VOX_PROVIDER_TTS);
    std::string text;
    vox_string_sink sink = string_sink(text);
    ASSERT_EQ(p.describe(ctx_, &sink, &err_), VOX_OK);
    EXPECT_EQ(text, R"({"voices":["runtime"]})");
}

// ---- STT ------------------------------------------------------------------------------

struct SttRecord {
    std::vector<std::string> texts;
    std::vector<int> finals;
    std::vector<std::uint32_t> end_ms;
    std::vector<float> confidence;
    std::vector<vox_status> errors;
};

vox_stt_callbacks stt_callbacks(SttRecord& record) {
    vox_stt_callbacks callbacks{};
    callbacks.struct_size = sizeof(vox_stt_callbacks);
    callbacks.user = &record;
    callbacks.on_transcript = [](void* user, const vox_transcript* t) {
        auto& r = *static_cast<SttRecord*>(user);
        EXPECT_EQ(t->struct_size, sizeof(vox_transcript));
        r.texts.emplace_back(t->text);
        r.finals.push_back(t->is_final);
        r.end_ms.push_back(t->end_ms);
        r.confidence.push_back(t->confidence);
    };
    callbacks.on_error = [](void* user, vox_status code, const char*) {
        static_cast<SttRecord*>(user)->errors.push_back(code);
    };
    return callbacks;
}

void trap_stt_error(void*, vox_status, const char*) { ++trap_calls; }

using SdkStt = PluginFixture;

TEST_F(SdkStt, PartialThenFinalTranscripts) {
    const auto& stt = vtable_of<vox_stt_vtable>(VOX_PROVIDER_STT);
    SttRecord record;
    vox_stt_callbacks callbacks = stt_callbacks(record);
    vox_stt_session* session = nullptr;
    ASSERT_EQ(stt.open(ctx_, "{}", 16000, &callbacks, &session, &err_), VOX_OK);

    std::vector<std::int16_t> samples(1600, 0);
    vox_audio audio{sizeof(vox_audio), samples.data(), samples.size(), 16000, 1};
    ASSERT_EQ(stt.push_audio(session, &audio, &err_), VOX_OK);
    ASSERT_EQ(stt.push_audio(session, &audio, &err_), VOX_OK);
    ASSERT_EQ(stt.flush(session, &err_), VOX_OK);
    EXPECT_EQ(record.texts, (std::vector<std::string>{"partial 1600", "partial 3200", "final 3200"}));
    EXPECT_EQ(record.finals, (std::vector<int>{0, 0, 1}));
    EXPECT_EQ(record.end_ms.back(), 200U);
    EXPECT_FLOAT_EQ(record.confidence.front(), -1.0F);
    EXPECT_FLOAT_EQ(record.confidence.back(), 0.5F);

    audio.sample_rate = 8000;
    EXPECT_EQ(stt.push_audio(session, &audio, &err_), VOX_ERR_UNSUPPORTED);
    EXPECT_STREQ(err_.message, "unexpected sample rate");

    ASSERT_EQ(stt.end_input(session, &err_), VOX_OK);
    EXPECT_EQ(record.errors, (std::vector<vox_status>{VOX_ERR_CANCELLED}));
    stt.cancel(session);
    stt.close(session);
}

TEST_F(SdkStt, OlderSmallerCallbacksLeaveOnErrorNull) {
    const auto& stt = vtable_of<vox_stt_vtable>(VOX_PROVIDER_STT);
    SttRecord record;
    vox_stt_callbacks callbacks = stt_callbacks(record);
    callbacks.struct_size = offsetof(vox_stt_callbacks, on_error);
    callbacks.on_error = &trap_stt_error;
    trap_calls = 0;
    vox_stt_session* session = nullptr;
    ASSERT_EQ(stt.open(ctx_, "{}", 16000, &callbacks, &session, &err_), VOX_OK);
    ASSERT_EQ(stt.flush(session, &err_), VOX_OK);
    ASSERT_EQ(stt.end_input(session, &err_), VOX_OK);
    EXPECT_EQ(record.texts.size(), 1U);
    EXPECT_EQ(trap_calls, 0);
    stt.close(session);
}

TEST_F(SdkStt, DefaultDescribeWritesNothingUseful) {
    const vox_provider& p = provider_of(VOX_PROVIDER_STT);
    std::string text;
    vox_string_sink sink = string_sink(text);
    ASSERT_EQ(p.describe(ctx_, &sink, &err_), VOX_OK);
    EXPECT_TRUE(text.empty()) << "empty means: use the static capabilities";
}

// ---- LLM ------------------------------------------------------------------------------

struct LlmRecord {
    std::string text;
    std::vector<std::uint64_t> generations;
    std::string tool;
    std::string finish;
};

void trap_tool_call(void*, std::uint64_t, const char*, const char*, const char*) { ++trap_calls; }
void trap_llm_done(void*, std::uint64_t, const char*) { ++trap_calls; }

vox_llm_callbacks llm_callbacks(LlmRecord& record) {
    vox_llm_callbacks callbacks{};
    callbacks.struct_size = sizeof(vox_llm_callbacks);
    callbacks.user = &record;
    callbacks.on_token = [](void* user, std::uint64_t generation, const char* text, std::size_t length) {
        auto& r = *static_cast<LlmRecord*>(user);
        r.text.append(text, length);
        r.generations.push_back(generation);
    };
    callbacks.on_tool_call = [](void* user, std::uint64_t, const char* id, const char* name, const char* args) {
        static_cast<LlmRecord*>(user)->tool = std::string(id) + " " + name + " " + args;
    };
    callbacks.on_done = [](void* user, std::uint64_t, const char* reason) {
        static_cast<LlmRecord*>(user)->finish = reason;
    };
    return callbacks;
}

using SdkLlm = PluginFixture;

TEST_F(SdkLlm, StreamsTokensToolCallsAndDone) {
    const auto& llm = vtable_of<vox_llm_vtable>(VOX_PROVIDER_LLM);
    LlmRecord record;
    vox_llm_callbacks callbacks = llm_callbacks(record);
    ASSERT_EQ(llm.start(ctx_, R"({"messages":[]})", 77, &callbacks, &err_), VOX_OK);
    EXPECT_EQ(record.text, "Hello");
    EXPECT_EQ(record.generations, (std::vector<std::uint64_t>{77, 77}));
    EXPECT_EQ(record.tool, R"(call_1 lookup {"q":"x"})");
    EXPECT_EQ(record.finish, "stop");

    llm.cancel(ctx_, 77);
    EXPECT_EQ(static_cast<TestPlugin*>(ctx_)->llm.cancelled, 77U);

    std::string models;
    vox_string_sink sink = string_sink(models);
    ASSERT_EQ(llm.list_models(ctx_, &sink, &err_), VOX_OK);
    EXPECT_EQ(models, R"(["scripted-1"])");

    EXPECT_EQ(llm.start(ctx_, "error:8", 78, &callbacks, &err_), VOX_ERR_RATE_LIMITED);
    EXPECT_EQ(err_.code, VOX_ERR_RATE_LIMITED);
}

TEST_F(SdkLlm, OlderSmallerCallbacksOnlyGetTokens) {
    const auto& llm = vtable_of<vox_llm_vtable>(VOX_PROVIDER_LLM);
    LlmRecord record;
    vox_llm_callbacks callbacks = llm_callbacks(record);
    callbacks.struct_size = offsetof(vox_llm_callbacks, on_tool_call);
    callbacks.on_tool_call = &trap_tool_call;
    callbacks.on_done = &trap_llm_done;
    trap_calls = 0;
    ASSERT_EQ(llm.start(ctx_, "{}", 1, &callbacks, &err_), VOX_OK);
    EXPECT_EQ(record.text, "Hello");
    EXPECT_EQ(trap_calls, 0);
}

TEST_F(SdkLlm, ASinkWithoutCallbacksIsSilent) {
    const auto& llm = vtable_of<vox_llm_vtable>(VOX_PROVIDER_LLM);
    EXPECT_EQ(llm.start(ctx_, "{}", 1, nullptr, &err_), VOX_OK);
}

// ---- VAD ------------------------------------------------------------------------------

using SdkVad = PluginFixture;

TEST_F(SdkVad, ProcessWritesProbability) {
    const auto& vad = vtable_of<vox_vad_vtable>(VOX_PROVIDER_VAD);
    vox_vad_session* session = nullptr;
    ASSERT_EQ(vad.open(ctx_, "{}", 16000, &session, &err_), VOX_OK);
    std::int16_t positive[4] = {5, 5, 5, 5};
    std::int16_t negative[4] = {-5, 5, 5, 5};
    vox_audio audio{sizeof(vox_audio), positive, 4, 16000, 1};
    float probability = -1.0F;
    ASSERT_EQ(vad.process(session, &audio, &probability, &err_), VOX_OK);
    EXPECT_FLOAT_EQ(probability, 1.0F);
    audio.samples = negative;
    ASSERT_EQ(vad.process(session, &audio, &probability, &err_), VOX_OK);
    EXPECT_FLOAT_EQ(probability, 0.0F);

    audio.frames = 0;
    probability = -1.0F;
    EXPECT_EQ(vad.process(session, &audio, &probability, &err_), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_STREQ(err_.message, "empty chunk");
    EXPECT_FLOAT_EQ(probability, -1.0F) << "untouched on failure";
    vad.reset(session);
    vad.close(session);
}

// ---- Flow node ------------------------------------------------------------------------

using SdkFlowNode = PluginFixture;

TEST_F(SdkFlowNode, ValidConfigWritesNoProblems) {
    const auto& node = vtable_of<vox_flow_node_vtable>(VOX_PROVIDER_FLOW_NODE);
    for (const char* config : {R"({"say":"hi"})", R"({"say":"hi","strict":true})"}) {
        std::string problems;
        vox_string_sink sink = string_sink(problems);
        EXPECT_EQ(node.validate(ctx_, config, &sink, &err_), VOX_OK) << config;
        EXPECT_TRUE(problems.empty()) << "\"\" and \"[]\" both mean valid";
    }
}

TEST_F(SdkFlowNode, InvalidConfigReturnsProblemsJson) {
    const auto& node = vtable_of<vox_flow_node_vtable>(VOX_PROVIDER_FLOW_NODE);
    std::string problems;
    vox_string_sink sink = string_sink(problems);
    EXPECT_EQ(node.validate(ctx_, R"({"ask":"?"})", &sink, &err_), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(problems, R"([{"field":"say","message":"is required"}])");
    EXPECT_EQ(err_.code, VOX_ERR_INVALID_ARGUMENT);
    EXPECT_STREQ(err_.message, "invalid node config");
}

TEST_F(SdkFlowNode, ValidateThatThrowsReturnsItsStatusAndNoProblems) {
    const auto& node = vtable_of<vox_flow_node_vtable>(VOX_PROVIDER_FLOW_NODE);
    std::string problems;
    vox_string_sink sink = string_sink(problems);
    EXPECT_EQ(node.validate(ctx_, "std", &sink, &err_), VOX_ERR_INTERNAL);
    EXPECT_TRUE(problems.empty());
    EXPECT_STREQ(err_.message, "a standard exception");
}

TEST_F(SdkFlowNode, StepWritesActions) {
    const auto& node = vtable_of<vox_flow_node_vtable>(VOX_PROVIDER_FLOW_NODE);
    std::string actions;
    vox_string_sink sink = string_sink(actions);
    ASSERT_EQ(node.step(ctx_, R"({"variables":{}})", &sink, &err_), VOX_OK);
    EXPECT_EQ(actions, R"({"say":"hi","next":"end"})");
    EXPECT_EQ(node.step(ctx_, "error:3", &sink, &err_), VOX_ERR_NOT_FOUND);
    EXPECT_EQ(node.step(ctx_, R"({})", nullptr, &err_), VOX_OK) << "a NULL sink is tolerated";
}

}  // namespace
