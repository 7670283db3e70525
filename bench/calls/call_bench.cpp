// call_bench: many simultaneous calls through the call pipeline on the
// CallRuntime, fed with real speech in real time by one pacing thread.
// Reports end-to-end latency percentiles (speech end -> first agent audio,
// measured in the pipeline), CPU used (cores), calls per core and memory per call.
//
//   call_bench --calls 200 --seconds 30            # media path: instrument STT/TTS (free), LLM 100 ms TTFT
//   call_bench --calls 8 --seconds 30 --local      # pocketsphinx + flite, LLM 100 ms TTFT
//
// The transport is a sink that accepts the agent's audio (the WebSocket
// transport is measured separately); see docs/BENCHMARKS.md.
#include "instrument_plugin.hpp"

#include <vox/core/call/call_runtime.hpp>
#include <vox/core/call/call_session.hpp>
#include <vox/core/call/latency_stats.hpp>
#include <vox/core/host_services.hpp>
#include <vox/core/log.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/tts_client.hpp>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Options {
    int calls = 100;
    int seconds = 30;
    bool local = false;
    int threads = 2;
    std::string plugin_dir;
};

class SinkTransport : public vox::call::CallTransport {
public:
    void play(std::uint64_t, const vox::audio::AudioView& audio) override { samples += audio.samples.size(); }
    std::uint32_t clear(std::uint64_t) override { return 0; }
    void hangup(std::string_view) override {}
    std::atomic<std::size_t> samples{0};
};

struct Results {
    std::mutex mutex;
    std::vector<double> e2e;
    std::atomic<int> ended{0};
    std::atomic<int> errors{0};
};

class MetricsObserver : public vox::call::CallObserver {
public:
    explicit MetricsObserver(Results& results) : results_(results) {}
    void on_event(const nlohmann::json& event) override {
        if (event["type"] == "metrics" && event.contains("e2e_ms")) {
            std::lock_guard lock(results_.mutex);
            results_.e2e.push_back(event["e2e_ms"].get<double>());
        } else if (event["type"] == "error") {
            ++results_.errors;
        }
    }
    void on_ended(const vox::call::CallResult&) override { ++results_.ended; }

private:
    Results& results_;
};

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double rss_mib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

vox::audio::AudioBuffer synthesize(const vox::Provider& tts, const std::string& text) {
    vox::audio::AudioBuffer out{{}, 16000, 1};
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    vox::TtsClient client(tts,
                          {.on_audio =
                               [&](std::uint64_t, const vox::audio::AudioView& a) {
                                   std::lock_guard lock(mutex);
                                   out.samples.insert(out.samples.end(), a.samples.begin(), a.samples.end());
                               },
                           .on_word = {},
                           .on_done =
                               [&](std::uint64_t) {
                                   std::lock_guard lock(mutex);
                                   done = true;
                                   cv.notify_all();
                               },
                           .on_error = {}},
                          {.settings = {{"voice", "kal16"}}, .output_sample_rate = 16000});
    client.push_text(1, text);
    client.flush(1);
    std::unique_lock lock(mutex);
    cv.wait_for(lock, 20s, [&] { return done; });
    return out;
}

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << arg << " needs a value\n";
                std::exit(64);
            }
            return argv[++i];
        };
        if (arg == "--calls") options.calls = std::stoi(next());
        else if (arg == "--seconds") options.seconds = std::stoi(next());
        else if (arg == "--local") options.local = true;
        else if (arg == "--threads") options.threads = std::stoi(next());
        else if (arg == "--plugin-dir") options.plugin_dir = next();
        else {
            std::cerr << "usage: call_bench [--calls N] [--seconds S] [--local] [--threads T] [--plugin-dir DIR]\n";
            std::exit(64);
        }
    }
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    Options options = parse(argc, argv);
    vox::log::configure(vox::log::Format::text, spdlog::level::warn);
    vox::HostServices::Options host_options;
    host_options.work_threads = static_cast<std::size_t>(options.threads);
    vox::HostServices host(host_options);
    vox::PluginRegistry registry(host);
    registry.add(&vox::bench::instrument_plugin_descriptor, "static:instrument");
    std::string dir = options.plugin_dir.empty()
                          ? (std::filesystem::path(argv[0]).parent_path() / "../lib/vox/plugins").string()
                          : options.plugin_dir;
    vox::PluginLoader loader(registry);
    loader.load_file(dir + "/tts_flite.so");
    if (options.local) loader.load_file(dir + "/stt_pocketsphinx.so");
    const vox::Provider* flite = registry.find("tts.flite");
    if (flite == nullptr || (options.local && registry.find("stt.pocketsphinx") == nullptr)) {
        std::cerr << "call_bench: cannot load the local plugins from " << dir << " (use --plugin-dir)\n";
        return 69;
    }
    vox::call::CallProviders providers{registry.find("stt.instrument"), registry.find("llm.instrument"),
                                       registry.find("tts.instrument"), nullptr};
    if (options.local) {
        providers.stt = registry.find("stt.pocketsphinx");
        providers.tts = flite;
    }
    // The caller's line, spoken by flite: ~1.7 s of speech, then silence.
    vox::audio::AudioBuffer speech = synthesize(*flite, "What time do you open tomorrow?");

    vox::call::CallRuntime runtime({.threads = static_cast<std::size_t>(options.threads)});
    Results results;
    double rss_before = rss_mib();
    std::vector<std::shared_ptr<vox::call::CallSession>> sessions;
    nlohmann::json agent = {{"id", "agent_bench"},
                            {"system_prompt", "You are a receptionist."},
                            {"begin_message", ""},
                            {"settings", {{"endpointing_ms", 300}, {"speak_first", false}}}};
    for (int i = 0; i < options.calls; ++i) {
        vox::call::CallSetup setup;
        setup.call_id = "call_bench_" + std::to_string(i);
        setup.agent = agent;
        setup.sample_rate = 16000;
        setup.providers = providers;
        if (options.local) setup.tts_settings = {{"voice", "slt"}};
        auto session = vox::call::CallSession::create(runtime, std::move(setup), std::make_shared<SinkTransport>(),
                                                      std::make_shared<MetricsObserver>(results));
        session->start();
        sessions.push_back(std::move(session));
    }
    double rss_after = rss_mib();

    // One pacing thread: every 20 ms each call gets its next frame. A call's
    // script repeats every 4 s: its speech, then silence (the agent answers);
    // calls are spread evenly over the cycle, as independent callers would be.
    const std::size_t frame = 320;
    const std::size_t cycle_frames = 200;  // 4 s
    const std::size_t speech_frames = (speech.samples.size() + frame - 1) / frame;
    std::vector<std::int16_t> silence(frame, 0);
    auto start = Clock::now();
    double cpu_start = cpu_seconds();
    auto next = start;
    std::size_t tick = 0;
    std::size_t late_ticks = 0;
    while (Clock::now() - start < std::chrono::seconds(options.seconds)) {
        for (std::size_t c = 0; c < sessions.size(); ++c) {
            std::size_t position = (tick + c * cycle_frames / sessions.size()) % cycle_frames;
            const std::int16_t* data = silence.data();
            std::size_t n = frame;
            if (position < speech_frames) {
                data = speech.samples.data() + position * frame;
                n = std::min(frame, speech.samples.size() - position * frame);
            }
            sessions[c]->push_audio(vox::audio::AudioView{{data, n}, 16000, 1});
        }
        ++tick;
        next += 20ms;
        if (Clock::now() > next + 20ms) ++late_ticks;
        std::this_thread::sleep_until(next);
    }
    double wall = std::chrono::duration<double>(Clock::now() - start).count();
    double cpu = cpu_seconds() - cpu_start;
    for (auto& session : sessions) session->end("api_hangup");
    while (results.ended.load() < options.calls) std::this_thread::sleep_for(10ms);
    sessions.clear();
    runtime.stop();

    std::vector<double> e2e;
    {
        std::lock_guard lock(results.mutex);
        e2e = results.e2e;
    }
    nlohmann::json summary = vox::call::summarize_latencies(e2e);
    double cores = cpu / wall;
    nlohmann::json report = {{"mode", options.local ? "local_stt_tts" : "media_path"},
                             {"calls", options.calls},
                             {"seconds", std::round(wall * 10) / 10},
                             {"turns_answered", e2e.size()},
                             {"e2e_ms", summary},
                             {"cpu_cores_used", std::round(cores * 1000) / 1000},
                             {"calls_per_core", cores > 0 ? std::round(options.calls / cores) : 0},
                             {"rss_mib_per_call", std::round((rss_after - rss_before) / options.calls * 1000) / 1000},
                             {"errors", results.errors.load()},
                             {"late_pacing_ticks", late_ticks}};
    std::cout << report.dump() << std::endl;
    registry.shutdown();
    return 0;
}
