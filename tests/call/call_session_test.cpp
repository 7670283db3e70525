// A whole call through the CallSession with the real local providers: flite
// speech streamed in real time, pocketsphinx, llm.openai on the local
// OpenAI-protocol test server, flite answering. Greeting, a turn with its
// latency figures, barge-in, dead air, LLM failure, inactivity.
#include "call_test_support.hpp"

#include <vox/core/audio/level.hpp>
#include <vox/core/call/call_runtime.hpp>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <sstream>

namespace vox::test {
namespace {

using Script = OpenAiTestServer::Script;

nlohmann::json test_agent(nlohmann::json settings = nlohmann::json::object()) {
    nlohmann::json agent = {{"id", "agent_test"},
                            {"name", "Clinic"},
                            {"system_prompt", "You are the receptionist of {{clinic}}."},
                            {"begin_message", "Hello, this is {{clinic}}."},
                            {"model", "gpt-test"},
                            {"settings", {{"endpointing_ms", 300}, {"speak_first", true}}}};
    agent["settings"].update(settings);
    return agent;
}

bool mentions_any(const std::string& text, std::initializer_list<const char*> words) {
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return std::any_of(words.begin(), words.end(), [&](const char* w) { return lower.find(w) != std::string::npos; });
}

class CallSessionTest : public LiveCallTest {
protected:
    std::shared_ptr<call::CallSession> start(nlohmann::json agent, call::CallSetup overrides = {},
                                             bool with_vad = true) {
        call::CallSetup setup = std::move(overrides);
        setup.agent = std::move(agent);
        setup.variables = {{"clinic", "Riverside Clinic"}};
        setup.providers = local_.providers();
        if (!with_vad) setup.providers.vad = nullptr;
        open(std::move(setup));
        return session_;
    }
    // Silence until the turn's answer has finished playing.
    bool wait_answer_played(std::uint64_t turn, std::chrono::milliseconds timeout = 15s) {
        return caller_->silence_until(
            [&] {
                for (const auto& e : events_->events())
                    if (e["type"] == "agent_stop_talking" && e["turn"] == turn) return true;
                return false;
            },
            timeout);
    }
};

TEST_F(CallSessionTest, GreetsThenAnswersTheCallersQuestionAndKeepsARecord) {
    local_.llm_server().set_script(
        {.chunks = OpenAiTestServer::content_chunks({"We open ", "at nine ", "tomorrow ", "morning."}),
         .first_byte_delay = 100ms});
    audio::AudioBuffer question = local_.speech("What time do you open tomorrow?");
    start(test_agent());

    ASSERT_TRUE(events_->wait_type("call_started", 5s));
    ASSERT_TRUE(wait_answer_played(0)) << "the greeting never finished";
    std::size_t greeting_samples = transport_->samples();
    EXPECT_GT(greeting_samples, 16000U / 2) << "the greeting should be at least half a second of audio";

    caller_->say(question);
    ASSERT_TRUE(wait_answer_played(1)) << "no answer to the caller's question";

    auto user_final = events_->wait_for(
        [](const nlohmann::json& e) { return e["type"] == "transcript" && e["role"] == "user" && e["final"] == true; });
    ASSERT_TRUE(user_final);
    EXPECT_TRUE(mentions_any((*user_final)["text"], {"open", "tomorrow", "time"})) << user_final->dump();

    auto metrics = events_->wait_type("metrics");
    ASSERT_TRUE(metrics);
    EXPECT_EQ((*metrics)["turn"], 1);
    RecordProperty("metrics", metrics->dump());
    std::cout << "turn metrics: " << metrics->dump() << "\n";
    EXPECT_GT((*metrics)["e2e_ms"].get<int>(), 250) << "less than the 300 ms endpointing is impossible";
    EXPECT_LT((*metrics)["e2e_ms"].get<int>(), 3000);
    EXPECT_GE((*metrics)["llm_ms"].get<int>(), 90) << "the server waits 100 ms before its first byte";

    // The answer was announced as it was generated, then as heard.
    auto agent_partial = events_->wait_for(
        [](const nlohmann::json& e) {
            return e["type"] == "transcript" && e["role"] == "agent" && e["final"] == false && e["turn"] == 1;
        },
        1s);
    ASSERT_TRUE(agent_partial);
    EXPECT_EQ((*agent_partial)["text"].get<std::string>().rfind("We open", 0), 0U) << agent_partial->dump();

    // The LLM saw the prompt with variables, the greeting and the caller's words.
    auto requests = local_.llm_server().received();
    ASSERT_FALSE(requests.empty());
    const auto& messages = requests.back().body["messages"];
    ASSERT_GE(messages.size(), 3U);
    EXPECT_EQ(messages[0]["content"], "You are the receptionist of Riverside Clinic.");
    EXPECT_EQ(messages[1]["role"], "assistant");
    EXPECT_EQ(messages[1]["content"], "Hello, this is Riverside Clinic.");
    EXPECT_EQ(messages[2]["role"], "user");
    EXPECT_EQ(requests.back().body["model"], "gpt-test");

    // The answer's audio is speech, not silence.
    auto audio = transport_->audio();
    std::vector<std::int16_t> answer(audio.begin() + static_cast<std::ptrdiff_t>(greeting_samples), audio.end());
    EXPECT_GT(answer.size(), 16000U / 2);
    EXPECT_GT(audio::rms_dbfs(answer), -35.0);

    session_->end("api_hangup");
    auto result = events_->wait_end();
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "api_hangup");
    EXPECT_FALSE(result->failed);
    EXPECT_EQ(result->turns, 1U);
    EXPECT_GT(result->mean_e2e_latency_ms, 250.0);
    for (const char* stage : {"e2e", "stt", "llm", "tts"}) {
        ASSERT_TRUE(result->latency.contains(stage)) << stage << " " << result->latency.dump();
        EXPECT_EQ(result->latency[stage]["count"], 1);
    }
    ASSERT_GE(result->transcript.size(), 3U) << result->transcript.dump();
    EXPECT_EQ(result->transcript[0]["speaker"], "agent");
    EXPECT_EQ(result->transcript[0]["text"], "Hello, this is Riverside Clinic.");
    EXPECT_EQ(result->transcript[1]["speaker"], "user");
    EXPECT_EQ(result->transcript[2]["speaker"], "agent");
    EXPECT_EQ(result->transcript[2]["text"], "We open at nine tomorrow morning.");
    EXPECT_EQ(transport_->hangup_reason(), "api_hangup");
    EXPECT_EQ(events_->ends(), 1);
}

TEST_F(CallSessionTest, WithoutAVadProviderTheBuiltInLevelDetectorTakesTurns) {
    local_.llm_server().set_script({.chunks = OpenAiTestServer::content_chunks({"Yes."})});
    audio::AudioBuffer question = local_.speech("Is the clinic open today?");
    call::CallSetup setup;
    start(test_agent({{"speak_first", false}}), std::move(setup), /*with_vad=*/false);
    caller_->silence(200ms);
    caller_->say(question);
    ASSERT_TRUE(wait_answer_played(1));
    EXPECT_EQ(events_->of_type("user_stop_talking").size(), 1U);
}

TEST_F(CallSessionTest, AShortPauseMidSentenceKeepsOneTurnWithBothPartsRecognised) {
    local_.llm_server().set_script({.chunks = OpenAiTestServer::content_chunks({"Noted."})});
    audio::AudioBuffer first = trim_silence(local_.speech("I would like to book"));
    audio::AudioBuffer second = trim_silence(local_.speech("an appointment for tomorrow"));
    start(test_agent({{"speak_first", false}, {"endpointing_ms", 500}}));
    caller_->silence(200ms);
    caller_->say(first);
    caller_->silence(420ms);  // past the early-finalise point (350 ms), short of endpointing (500 ms)
    caller_->say(second);
    ASSERT_TRUE(wait_answer_played(1));
    auto finals = events_->of_type("transcript");
    std::vector<std::string> user_finals;
    for (const auto& e : finals)
        if (e["role"] == "user" && e["final"] == true) user_finals.push_back(e["text"]);
    ASSERT_EQ(user_finals.size(), 1U) << nlohmann::json(user_finals).dump();
    EXPECT_TRUE(mentions_any(user_finals[0], {"book", "like"})) << user_finals[0];
    EXPECT_TRUE(mentions_any(user_finals[0], {"appointment", "tomorrow"})) << user_finals[0] << "\n"
                                                                           << nlohmann::json(events_->events()).dump();
    EXPECT_EQ(events_->of_type("user_stop_talking").size(), 1U);
    EXPECT_EQ(local_.llm_server().received().size(), 1U);
}

TEST_F(CallSessionTest, BargeInStopsTheAgentAndTheContextKeepsOnlyWhatWasHeard) {
    std::string long_answer =
        "Our clinic offers general practice, pediatrics, dermatology and physiotherapy. "
        "We are open from eight in the morning until six in the evening on weekdays. "
        "On Saturdays we open at nine and close at one. We are closed on Sundays and public holidays. "
        "You can book an appointment by phone, online, or at the front desk.";
    local_.llm_server().set_script({.chunks = OpenAiTestServer::content_chunks({long_answer})});
    audio::AudioBuffer question = local_.speech("Tell me about the clinic.");
    audio::AudioBuffer interruption = local_.speech("Sorry, wait, stop right there please.");
    start(test_agent({{"speak_first", false}, {"min_interruption_ms", 300}}));

    caller_->silence(300ms);
    caller_->say(question);
    ASSERT_TRUE(caller_->silence_until([&] { return !events_->of_type("agent_start_talking").empty(); }, 10s));
    caller_->silence(1500ms);  // let the agent talk a while
    caller_->say(interruption);

    auto interrupted = events_->wait_type("interruption", 5s);
    ASSERT_TRUE(interrupted) << "no barge-in";
    EXPECT_GE(transport_->clears(), 1);
    auto stop = events_->wait_for(
        [](const nlohmann::json& e) { return e["type"] == "agent_stop_talking" && e["interrupted"] == true; });
    ASSERT_TRUE(stop);
    std::string heard = (*interrupted)["heard_text"];
    EXPECT_FALSE(heard.empty()) << "1.5 s of speech was heard";
    EXPECT_LT(heard.size(), long_answer.size() / 2);
    EXPECT_EQ(long_answer.rfind(heard.substr(0, 20), 0), 0U) << heard;

    // The interruption is a turn of its own: the next request carries the cut answer.
    local_.llm_server().set_script({.chunks = OpenAiTestServer::content_chunks({"Of course."})});
    ASSERT_TRUE(caller_->silence_until([&] { return local_.llm_server().received().size() >= 2; }, 10s));
    const nlohmann::json messages = local_.llm_server().received().back().body["messages"];
    bool found_cut_answer = false;
    for (const auto& m : messages)
        if (m["role"] == "assistant") {
            found_cut_answer = true;
            EXPECT_EQ(m["content"], heard);
        }
    EXPECT_TRUE(found_cut_answer) << messages.dump();
}

TEST_F(CallSessionTest, ABackchannelPausesTheAgentAtOnceThenItResumesWhereTheCallerStoppedHearing) {
    std::string answer =
        "We are open from eight in the morning until six in the evening on weekdays, "
        "and from nine until one on Saturdays.";
    local_.llm_server().set_script({.chunks = OpenAiTestServer::content_chunks({answer})});
    audio::AudioBuffer question = trim_silence(local_.speech("When are you open?"));
    audio::AudioBuffer cough = trim_silence(local_.speech("Mm"));  // well under min_interruption_ms
    start(test_agent({{"speak_first", false}, {"min_interruption_ms", 800}}));
    caller_->silence(300ms);
    caller_->say(question);
    ASSERT_TRUE(caller_->silence_until([&] { return !events_->of_type("agent_start_talking").empty(); }, 10s));
    caller_->silence(1000ms);
    caller_->say(cough);
    ASSERT_TRUE(wait_answer_played(1, 20s));
    EXPECT_GE(transport_->clears(), 1) << "the agent should fall silent while the caller speaks";
    EXPECT_TRUE(events_->of_type("interruption").empty()) << "a backchannel is not an interruption";
    auto stops = events_->of_type("agent_stop_talking");
    ASSERT_EQ(stops.size(), 1U);
    EXPECT_EQ(stops[0]["interrupted"], false);
    // The whole answer was played in the end: more audio than the answer alone
    // (what was cleared at the pause is sent again on resume).
    auto result_text = events_->wait_for([&](const nlohmann::json& e) {
        return e["type"] == "transcript" && e["role"] == "agent" && e["final"] == true;
    });
    ASSERT_TRUE(result_text);
    EXPECT_EQ((*result_text)["text"], answer);
    EXPECT_EQ(events_->of_type("user_stop_talking").size(), 1U) << "the cough is not a turn";
}

TEST_F(CallSessionTest, AStalledLlmGetsAFillerThenTheCallEndsAsDeadAir) {
    local_.llm_server().set_script(
        {.chunks = OpenAiTestServer::content_chunks({"Too late."}), .first_byte_delay = 20s});
    audio::AudioBuffer question = local_.speech("Are you there?");
    call::CallSetup setup;
    setup.filler_after_ms = 1000;
    setup.dead_air_end_ms = 3500;
    start(test_agent({{"speak_first", false}}), std::move(setup));
    caller_->silence(200ms);
    caller_->say(question);
    // The caller goes quiet and stops sending audio altogether: the turn still ends.
    auto filler = events_->wait_for(
        [](const nlohmann::json& e) { return e["type"] == "error" && e["code"] == "dead_air" && e["fatal"] == false; },
        8s);
    ASSERT_TRUE(filler) << "no filler; events: " << nlohmann::json(events_->events()).dump();
    ASSERT_TRUE(caller_->silence_until([&] { return events_->ends() > 0; }, 10s));
    auto result = events_->wait_end();
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "dead_air");
    EXPECT_TRUE(result->failed);
    EXPECT_GT(transport_->samples(), 16000U / 4) << "the filler was spoken";
    EXPECT_GE(local_.llm_server().received().size(), 2U) << "the LLM was asked again";
    EXPECT_EQ(transport_->hangup_reason(), "dead_air");
}

TEST_F(CallSessionTest, AnLlmThatStallsMidAnswerIsCutAndTheCallGoesOn) {
    local_.llm_server().set_script({.chunks = OpenAiTestServer::content_chunks({"We open at nine. ", "And then"}),
                                    .stall_after = 2,  // the role chunk, then "We open at nine. "
                                    .stall = 30s});
    audio::AudioBuffer question = local_.speech("When do you open?");
    call::CallSetup setup;
    setup.llm_stall_ms = 1500;
    start(test_agent({{"speak_first", false}}), std::move(setup));
    caller_->silence(200ms);
    caller_->say(question);
    ASSERT_TRUE(wait_answer_played(1, 15s)) << "the half answer should still be spoken and end\n"
                                            << nlohmann::json(events_->events()).dump();
    auto cut =
        events_->wait_for([](const nlohmann::json& e) { return e["type"] == "error" && e["code"] == "error_llm"; }, 1s);
    ASSERT_TRUE(cut);
    EXPECT_EQ((*cut)["fatal"], false);
    auto agent_final = events_->wait_for([](const nlohmann::json& e) {
        return e["type"] == "transcript" && e["role"] == "agent" && e["final"] == true;
    });
    ASSERT_TRUE(agent_final);
    EXPECT_EQ((*agent_final)["text"], "We open at nine.");
    EXPECT_TRUE(session_->active()) << "a cut answer does not end the call";
}

TEST_F(CallSessionTest, AnLlmThatKeepsFailingEndsTheCallWithErrorLlm) {
    local_.llm_server().set_script({.status = 500});
    audio::AudioBuffer question = local_.speech("Hello?");
    start(test_agent({{"speak_first", false}}));
    caller_->silence(200ms);
    caller_->say(question);
    ASSERT_TRUE(caller_->silence_until([&] { return events_->ends() > 0; }, 10s));
    auto result = events_->wait_end();
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "error_llm");
    EXPECT_TRUE(result->failed);
    EXPECT_EQ(local_.llm_server().received().size(), 2U) << "one retry";
    auto errors = events_->of_type("error");
    ASSERT_EQ(errors.size(), 2U);
    EXPECT_EQ(errors[0]["fatal"], false);
    EXPECT_EQ(errors[1]["fatal"], true);
}

TEST_F(CallSessionTest, ACallerWhoSaysNothingIsHungUpOnForInactivity) {
    start(test_agent({{"speak_first", false}, {"end_call_after_silence_s", 1}}));
    ASSERT_TRUE(caller_->silence_until([&] { return events_->ends() > 0; }, 5s));
    auto result = events_->wait_end();
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "inactivity");
    EXPECT_FALSE(result->failed);
    EXPECT_TRUE(result->transcript.empty());
}

TEST_F(CallSessionTest, EndIsIdempotentAndEventsCarryTheCallIdAndTime) {
    start(test_agent());
    ASSERT_TRUE(events_->wait_type("call_started", 5s));
    session_->end("user_hangup");
    session_->end("api_hangup");
    auto result = events_->wait_end();
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "user_hangup");
    EXPECT_FALSE(transport_->hangup_reason()) << "the caller hung up: nobody to hang up on";
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(events_->ends(), 1);
    EXPECT_FALSE(session_->active());
    for (const auto& e : events_->events()) {
        EXPECT_EQ(e["call_id"], "call_test");
        EXPECT_TRUE(e["t_ms"].is_number_integer());
    }
}

}  // namespace
}  // namespace vox::test
