// Measuring instruments for the call benchmarks, linked statically into the
// bench program (never shipped as providers): STT, TTS and LLM that cost
// (almost) nothing, so a benchmark sees the cost of the media path alone —
// framing, VAD and turn-taking, the pipeline, the strands — and an LLM with a
// fixed time to first token.
//   stt.instrument  every flush: a final transcript "what time do you open"
//   tts.instrument  per text: 60 ms of a 440 Hz tone per word, delivered at once
//   llm.instrument  answers "We open at nine tomorrow." after ttft_ms (setting, default 100)
#define VOX_PLUGIN_STATIC 1
#include "instrument_plugin.hpp"

#include <vox/sdk/llm.hpp>
#include <vox/sdk/plugin.hpp>
#include <vox/sdk/stt.hpp>
#include <vox/sdk/tts.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

namespace vox::bench {
namespace {

using Clock = std::chrono::steady_clock;

class InstrumentStt : public sdk::SttProvider {
    class Session : public sdk::SttSession {
    public:
        explicit Session(sdk::SttSink sink) : sink_(std::move(sink)) {}
        void push_audio(const vox_audio&) override {}
        void flush() override { sink_.transcript({"what time do you open", true, 0, 0, 1.0F}); }
        void end_input() override {}
        void cancel() noexcept override {}

    private:
        sdk::SttSink sink_;
    };

public:
    std::unique_ptr<sdk::SttSession> open(std::string_view, std::uint32_t, sdk::SttSink sink) override {
        return std::make_unique<Session>(std::move(sink));
    }
};

class InstrumentTts : public sdk::TtsProvider {
    class Session : public sdk::TtsSession {
    public:
        explicit Session(sdk::TtsSink sink) : sink_(std::move(sink)) {}
        void push_text(std::uint64_t context, std::string_view text) override {
            std::istringstream words{std::string(text)};
            std::size_t count = 0;
            for (std::string w; words >> w;) ++count;
            std::vector<std::int16_t> tone(count * 16000 * 60 / 1000);
            for (std::size_t i = 0; i < tone.size(); ++i)
                tone[i] = static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 440.0 * static_cast<double>(i) / 16000));
            // In 20 ms chunks, like a streaming engine.
            for (std::size_t at = 0; at < tone.size(); at += 320)
                sink_.audio(context, tone.data() + at, std::min<std::size_t>(320, tone.size() - at), 16000);
        }
        void flush(std::uint64_t context) override { sink_.done(context); }
        void cancel(std::uint64_t) noexcept override {}

    private:
        sdk::TtsSink sink_;
    };

public:
    std::unique_ptr<sdk::TtsSession> open(std::string_view, sdk::TtsSink sink) override {
        return std::make_unique<Session>(std::move(sink));
    }
};

// One timer thread for every generation: due answers are sent when their time comes.
class InstrumentLlm : public sdk::LlmProvider {
public:
    explicit InstrumentLlm(int ttft_ms) : ttft_(ttft_ms), thread_([this] { run(); }) {}
    ~InstrumentLlm() override {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
    void start(std::string_view, sdk::LlmSink sink) override {
        std::lock_guard lock(mutex_);
        pending_.emplace(Clock::now() + ttft_, std::move(sink));
        wake_.notify_all();
    }
    void cancel(std::uint64_t generation) noexcept override {
        std::lock_guard lock(mutex_);
        for (auto it = pending_.begin(); it != pending_.end(); ++it)
            if (it->second.generation() == generation) {
                it->second.done("cancelled");
                pending_.erase(it);
                return;
            }
    }
    std::string list_models() override { return R"(["instrument"])"; }

private:
    void run() {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            if (pending_.empty()) {
                wake_.wait(lock);
                continue;
            }
            auto due = pending_.begin()->first;
            if (Clock::now() < due) {
                wake_.wait_until(lock, due);
                continue;
            }
            sdk::LlmSink sink = std::move(pending_.begin()->second);
            pending_.erase(pending_.begin());
            for (const char* token : {"We open ", "at nine ", "tomorrow."}) sink.token(token);
            sink.done("stop");
        }
        for (auto& [due, sink] : pending_) sink.done("cancelled");
    }

    std::chrono::milliseconds ttft_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::multimap<Clock::time_point, sdk::LlmSink> pending_;
    bool stopping_ = false;
    std::thread thread_;
};

struct InstrumentPlugin : sdk::Plugin {
    InstrumentPlugin(sdk::Host host, std::string_view config)
        : Plugin(host), llm(ttft_from(config)) {}
    static int ttft_from(std::string_view config) {
        auto parsed = nlohmann::json::parse(config, nullptr, false);
        if (parsed.is_object() && parsed.contains("llm.instrument"))
            return parsed["llm.instrument"].value("ttft_ms", 100);
        return 100;
    }
    InstrumentStt stt;
    InstrumentTts tts;
    InstrumentLlm llm;
};

}  // namespace

const vox_plugin_descriptor* instrument_plugin_descriptor() {
    static const vox_provider stt = sdk::stt_provider<&InstrumentPlugin::stt>(
        {"instrument", "benchmark instrument: free STT", R"({"streaming":true,"sample_rates":[16000]})"});
    static const vox_provider tts = sdk::tts_provider<&InstrumentPlugin::tts>(
        {"instrument", "benchmark instrument: free TTS", R"({"streaming":true,"sample_rates":[16000]})"});
    static const vox_provider llm = sdk::llm_provider<&InstrumentPlugin::llm>(
        {"instrument", "benchmark instrument: fixed-delay LLM", R"({"streaming":true})"});
    static const vox_provider* const providers[] = {&stt, &tts, &llm};
    static const vox_plugin_descriptor descriptor = sdk::plugin_descriptor<InstrumentPlugin>(
        {"instrument", "1.0.0", "Benchmark instruments (not a real provider)"}, providers);
    return &descriptor;
}

}  // namespace vox::bench
