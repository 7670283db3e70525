// CallSession: assembles a call's pipeline (input -> stt -> llm -> tts ->
// output), runs it on a strand of the CallRuntime, and watches the call as a
// whole on a 100 ms tick: maximum duration, inactivity, dead air.
#include "call_context.hpp"
#include "flow_processor.hpp"
#include "input_processor.hpp"
#include "llm_processor.hpp"
#include "output_processor.hpp"
#include "recording_transport.hpp"
#include "stt_processor.hpp"
#include "tts_processor.hpp"
#include "voice_detector.hpp"

#include <vox/core/call/call_session.hpp>
#include <vox/core/call/disconnection_reasons.hpp>
#include <vox/core/flow/flow_graph.hpp>
#include <vox/core/host_services.hpp>
#include <vox/core/log.hpp>
#include <vox/core/pipeline/pipeline.hpp>
#include <vox/core/providers/provider_error.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace vox::call {
namespace {

using namespace std::chrono_literals;
using detail::CallContext;
using pipeline::Frame;
using pipeline::FrameType;

constexpr auto kTick = 100ms;

// Reasons where the caller's side is already gone: do not hang up on it.
bool transport_already_ended(const std::string& reason) {
    return reason == "user_hangup" || reason == "error_transport";
}

class CallSessionImpl final : public CallSession {
public:
    CallSessionImpl(CallRuntime& runtime, CallSetup setup, std::shared_ptr<CallTransport> transport,
                    std::shared_ptr<CallObserver> observer)
        : CallSession(setup.call_id),
          strand_(runtime.make_strand()),
          blocking_(runtime.blocking_executor()),
          observer_(std::move(observer)),
          timer_(strand_),
          pipeline_(strand_) {
        call_.setup = std::move(setup);
        call_.transport = std::move(transport);
        if (call_.setup.recorder)  // sees the agent's audio exactly as the transport gets it
            call_.transport = std::make_shared<detail::RecordingTransport>(call_.transport, call_.setup.recorder);
        call_.now_ns = [] { return static_cast<std::int64_t>(HostServices::monotonic_ns()); };
        call_.start_ns = call_.now_ns();
        call_.last_activity_ns = call_.start_ns;
        const auto& agent = call_.setup.agent;
        settings_ =
            agent.contains("settings") && agent["settings"].is_object() ? agent["settings"] : nlohmann::json::object();
        call_.conversation =
            Conversation(substitute_variables(agent.value("system_prompt", std::string()), call_.setup.variables));
        call_.emit = [this](nlohmann::json event) { emit(std::move(event)); };
        call_.end_call = [this](std::string reason, bool) { end(std::move(reason)); };
    }

    void build() {
        pipeline_.set_owner(weak_from_this());
        vad_ =
            detail::make_voice_detector(call_.setup.providers.vad, call_.setup.vad_settings, call_.setup.sample_rate);
        pipeline_.add(std::make_unique<detail::InputProcessor>(call_, vad_.detector,
                                                               TurnSettings::from_agent_settings(settings_)));
        stt_ = &pipeline_.add(std::make_unique<detail::SttProcessor>(call_));
        // Throws std::invalid_argument for a flow that cannot run (the API checks flows when they are saved).
        auto graph =
            flow::FlowGraph::from_json(call_.setup.flow.is_object() ? call_.setup.flow : nlohmann::json::object());
        if (!graph.empty()) {
            flow_index_ = pipeline_.size();
            flow_ = &pipeline_.add(std::make_unique<detail::FlowProcessor>(call_, std::move(graph), blocking_));
            call_.set_grammar = [this](const nlohmann::json& grammar) { return stt_->set_grammar(grammar); };
        }
        llm_ = &pipeline_.add(std::make_unique<detail::LlmProcessor>(call_));
        call_.response_over = [this](std::uint64_t response) {
            if (flow_) flow_->on_response_over(response);
            llm_->on_response_over(response);
        };
        call_.run_blocking = [this](std::function<void()> work) { boost::asio::post(blocking_, std::move(work)); };
        tts_ = &pipeline_.add(std::make_unique<detail::TtsProcessor>(call_));
        output_ = &pipeline_.add(std::make_unique<detail::OutputProcessor>(call_));
        stt_->open();
        tts_->open();
        llm_->open();
        if (flow_) flow_->open();
    }

    ~CallSessionImpl() override { close_providers(); }

    void start() override {
        boost::asio::post(strand_, [self = shared()] {
            if (self->ended_) return;
            self->emit({{"type", "call_started"},
                        {"agent_id", self->call_.setup.agent.value("id", std::string())},
                        {"sample_rate", self->call_.setup.sample_rate}});
            std::string greeting = substitute_variables(self->call_.setup.agent.value("begin_message", std::string()),
                                                        self->call_.setup.variables);
            if (self->flow_)
                self->flow_->start();  // the start node speaks first
            else if (self->settings_.value("speak_first", true) && !greeting.empty())
                self->llm_->say(greeting, true);
            self->pipeline_.run();
            self->schedule_tick();
        });
    }

    void push_audio(const audio::AudioView& audio) override {
        if (!active_.load()) return;
        if (audio.sample_rate != call_.setup.sample_rate || audio.channels != 1) return;  // the transport checks
        last_audio_ns_.store(call_.now_ns());
        auto frame = Frame::make(FrameType::input_audio, 0, 0, call_.now_ns());
        frame.audio = std::make_shared<const audio::AudioBuffer>(
            audio::AudioBuffer{{audio.samples.begin(), audio.samples.end()}, audio.sample_rate, 1});
        pipeline_.inject(0, std::move(frame));
    }

    void push_dtmf(char digit) override {
        boost::asio::post(strand_, [self = shared(), digit] {
            if (self->ended_) return;
            self->emit({{"type", "dtmf"}, {"digit", std::string(1, digit)}});
            if (self->flow_ == nullptr) return;
            auto frame = Frame::make(FrameType::dtmf, self->call_.turn, 0, self->call_.now_ns());
            frame.text = std::string(1, digit);
            self->pipeline_.enqueue(self->flow_index_, std::move(frame));
            self->pipeline_.run();
        });
    }

    void on_played(std::uint64_t context, std::uint32_t played_ms) override {
        boost::asio::post(strand_, [self = shared(), context, played_ms] {
            if (self->ended_) return;
            self->output_->on_played(context, played_ms);
            self->pipeline_.run();
        });
    }

    void end(std::string reason) override {
        boost::asio::post(strand_, [self = shared(), reason = std::move(reason)] { self->finish(reason); });
    }

    bool active() const override { return active_.load(); }

private:
    std::shared_ptr<CallSessionImpl> shared() { return std::static_pointer_cast<CallSessionImpl>(shared_from_this()); }

    void emit(nlohmann::json event) {
        event["call_id"] = call_.setup.call_id;
        event["t_ms"] = (call_.now_ns() - call_.start_ns) / 1'000'000;
        observer_->on_event(event);
    }

    void schedule_tick() {
        timer_.expires_after(kTick);
        timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& error) {
            auto self = std::static_pointer_cast<CallSessionImpl>(weak.lock());
            if (!self || error || self->ended_) return;
            self->tick();
        });
    }

    void tick() {
        std::int64_t now = call_.now_ns();
        feed_silence_when_starved(now);
        llm_->cut_if_stalled(now, call_.setup.llm_stall_ms);
        if (tts_) tts_->fail_if_silent(now, call_.setup.tts_first_audio_ms);
        output_->tick(now);
        if (flow_) flow_->tick(now);
        pipeline_.run();
        auto seconds = [](std::int64_t ns) { return static_cast<double>(ns) / 1e9; };
        if (seconds(now - call_.start_ns) >= settings_.value("max_call_duration_s", 1800)) {
            finish("max_duration_reached");
            return;
        }
        if (!call_.agent_audible && call_.answer_owed_since == 0 &&
            seconds(now - call_.last_activity_ns) >= settings_.value("end_call_after_silence_s", 30)) {
            finish("inactivity");
            return;
        }
        watch_dead_air(now);
        if (!ended_) schedule_tick();
    }

    // A client that stops sending audio (it should send silence) must not
    // leave a turn open forever: the missing time counts as silence.
    void feed_silence_when_starved(std::int64_t now) {
        std::int64_t last = last_audio_ns_.load();
        if (last == 0) last = call_.start_ns;
        if (now - last < 2 * std::chrono::nanoseconds(kTick).count()) return;
        std::uint32_t rate = call_.setup.sample_rate;
        auto frame = Frame::make(FrameType::input_audio, 0, 0, now);
        frame.audio = std::make_shared<const audio::AudioBuffer>(
            audio::AudioBuffer{std::vector<std::int16_t>(rate / 10, 0), rate, 1});  // one tick's worth
        pipeline_.enqueue(0, std::move(frame));
    }

    // The agent owes an answer and nothing plays: a filler and a second try,
    // then the end of the call. Never silence forever.
    void watch_dead_air(std::int64_t now) {
        std::int64_t owed = call_.answer_owed_since;
        if (owed == 0 || call_.agent_audible) return;
        const CallSetup& setup = call_.setup;
        if (now - owed >= static_cast<std::int64_t>(setup.dead_air_end_ms) * 1'000'000) {
            emit(
                {{"type", "error"}, {"code", "dead_air"}, {"message", "no answer could be produced"}, {"fatal", true}});
            finish("dead_air");
            return;
        }
        if (now - owed >= static_cast<std::int64_t>(setup.filler_after_ms) * 1'000'000 && filler_for_ != owed) {
            filler_for_ = owed;
            emit({{"type", "error"},
                  {"code", "dead_air"},
                  {"message", "no answer yet: saying a filler and asking again"},
                  {"fatal", false}});
            llm_->say(setup.filler_text, false);
            llm_->retry();
            pipeline_.run();
        }
    }

    void close_providers() noexcept {
        if (flow_) flow_->close();
        if (llm_) llm_->close();
        if (stt_) stt_->close();
        if (tts_) tts_->close();
    }

    void finish(const std::string& reason) {
        if (ended_) return;
        ended_ = true;
        timer_.cancel();
        pipeline_.stop();
        close_providers();
        if (!transport_already_ended(reason)) call_.transport->hangup(reason);

        CallResult result;
        result.disconnection_reason = reason;
        result.failed = !counts_as_completed(reason);
        result.duration_seconds = static_cast<double>(call_.now_ns() - call_.start_ns) / 1e9;
        result.transcript = std::move(call_.transcript);
        std::stable_sort(result.transcript.begin(), result.transcript.end(),
                         [](const nlohmann::json& a, const nlohmann::json& b) {
                             return a["start"].get<double>() < b["start"].get<double>();
                         });
        result.latency = call_.latency.to_json();
        result.mean_e2e_latency_ms = call_.latency.mean("e2e");
        result.turns = call_.latency.count("e2e");
        result.provider_switches = call_.provider_switches;
        if (flow_) {
            result.flow_path = flow_->path();
            result.collected_variables = flow_->collected();
        }
        vox::log::info("call", "call ended",
                       {{"call_id", call_.setup.call_id},
                        {"reason", reason},
                        {"duration_s", result.duration_seconds},
                        {"turns", result.turns},
                        {"dropped_input_frames", pipeline_.dropped_input()}});
        active_ = false;
        observer_->on_ended(result);
    }

    boost::asio::any_io_executor strand_;
    boost::asio::any_io_executor blocking_;
    std::shared_ptr<CallObserver> observer_;
    boost::asio::steady_timer timer_;
    CallContext call_;
    nlohmann::json settings_;
    detail::VoiceDetectorHandle vad_;
    pipeline::Pipeline pipeline_;
    detail::SttProcessor* stt_ = nullptr;
    detail::LlmProcessor* llm_ = nullptr;
    detail::TtsProcessor* tts_ = nullptr;
    detail::OutputProcessor* output_ = nullptr;
    detail::FlowProcessor* flow_ = nullptr;  // agents with a flow
    std::size_t flow_index_ = 0;
    std::int64_t filler_for_ = 0;
    std::atomic<std::int64_t> last_audio_ns_{0};
    bool ended_ = false;
    std::atomic<bool> active_{true};
};

}  // namespace

void CallTransport::transfer(std::string_view) {
    throw ProviderError(VOX_ERR_UNSUPPORTED, "transport", "this call's transport cannot transfer calls");
}

std::shared_ptr<CallSession> CallSession::create(CallRuntime& runtime, CallSetup setup,
                                                 std::shared_ptr<CallTransport> transport,
                                                 std::shared_ptr<CallObserver> observer) {
    auto session =
        std::make_shared<CallSessionImpl>(runtime, std::move(setup), std::move(transport), std::move(observer));
    session->build();
    return session;
}

}  // namespace vox::call
