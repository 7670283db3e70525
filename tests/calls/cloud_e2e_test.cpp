// Calls through the cloud providers, end to end, with nothing leaving the
// machine: voxd (a child process, on both storage backends) is configured as
// a user would configure it for the real services, only with base URLs that
// point at local stand-ins written from the providers' published APIs
// (tests/support: Deepgram, OpenAI audio, ElevenLabs, a custom LLM server, the
// OpenAI Chat Completions server). The real `voxctl call` speaks a flite-made
// WAV over the real transport.websocket. The fake Deepgram cannot recognise
// speech: it answers the caller's audio, at the Finalize that ends the turn,
// with a scripted transcript.
//
// Checked: the record's transcript (caller and agent), audio with energy at the
// caller's end, the latency figures, the disconnection reason, and what each
// fake saw (auth headers, message shapes); then an LLM fallback taken within
// the same turn (provider_switches and the provider_fallback event).
#include "cloud_call_fixture.hpp"

namespace vox::calltest {
namespace {

TEST_P(CloudCallEndToEndTest, DeepgramHearsOpenAiThinksElevenLabsSpeaks) {
    openai->set_script({.chunks = OpenAiTestServer::content_chunks({"We open ", "at nine tomorrow."})});
    Json agent_doc = elevenlabs_agent({{"llm_provider", "openai"}});
    Json report = call(agent_doc["id"]);
    check_call(report, kAnswer);
    check_deepgram();
    auto chats = call_turn_chats();
    ASSERT_EQ(chats.size(), 1U);
    check_chat_request(chats.front());
    check_heard(check_elevenlabs(kAnswer));
    EXPECT_TRUE(audio->received().empty()) << "the OpenAI audio server was not asked";
    EXPECT_EQ(custom_llm->handshakes(), 0);
}

TEST_P(CloudCallEndToEndTest, OpenAiHearsThinksAndSpeaks) {
    openai->set_script({.chunks = OpenAiTestServer::content_chunks({"We open ", "at nine tomorrow."})});
    AudioTestServer::Script script;
    script.text = kQuestion;
    audio->set_script(script);
    Json agent_doc = openai_agent();
    EXPECT_EQ(agent_doc["voice"], "af_bella");
    // An agent naming no voice gets tts.openai's default; an English one may speak through ElevenLabs.
    EXPECT_EQ(agent({{"tts_provider", "openai"}})["voice"], "alloy");
    EXPECT_EQ(agent({{"tts_provider", "elevenlabs"}, {"language", "en-US"}})["language"], "en-US");
    Json report = call(agent_doc["id"]);
    check_call(report, kAnswer);

    std::size_t transcriptions = 0;
    std::size_t speeches = 0;
    std::string spoken;
    for (const auto& request : audio->received()) {
        EXPECT_EQ(request.method, "POST");
        EXPECT_EQ(request.authorization, "Bearer " + audio->api_key());
        if (request.path == "/v1/audio/transcriptions") {
            ++transcriptions;
            EXPECT_EQ(request.content_type.rfind("multipart/form-data; boundary=", 0), 0U) << request.content_type;
            EXPECT_EQ(request.fields.at("model"), "whisper-1");
            EXPECT_EQ(request.fields.at("response_format"), "json");
            ASSERT_TRUE(request.has_file && request.wav_valid) << request.file_name;
            EXPECT_EQ(request.wav_sample_rate, 16000U);
            // The caller's speech is in the turn's WAV.
            double question_ms = audio::read_wav(question_).duration_seconds() * 1000;
            EXPECT_GE(static_cast<double>(request.wav_samples.size()) / 16.0, question_ms * 0.5);
            EXPECT_GT(audio::rms_dbfs(request.wav_samples), -40.0);
        } else {
            ++speeches;
            EXPECT_EQ(request.path, "/v1/audio/speech");
            EXPECT_EQ(request.json.value("model", ""), "tts-1") << request.json.dump();
            EXPECT_EQ(request.json.value("voice", ""), "af_bella");
            EXPECT_EQ(request.json.value("response_format", ""), "pcm");
            spoken += request.json.value("input", "") + " ";
        }
    }
    EXPECT_EQ(transcriptions, 1U);
    EXPECT_GE(speeches, 2U) << "the greeting and the answer";
    EXPECT_NE(spoken.find("Northside"), std::string::npos) << spoken;
    EXPECT_NE(spoken.find("nine tomorrow"), std::string::npos) << spoken;
    // 4800 samples at 24 kHz per request: 200 ms of loud audio each.
    check_heard(static_cast<double>(speeches) * 200.0);

    auto chats = call_turn_chats();
    ASSERT_EQ(chats.size(), 1U);
    check_chat_request(chats.front());
    EXPECT_TRUE(deepgram->connections().empty());
    EXPECT_EQ(elevenlabs->record().handshakes, 0);
}

TEST_P(CloudCallEndToEndTest, WhenOpenAiFailsTheCustomLlmAnswersTheSameTurn) {
    openai->set_script({.status = 500, .error_message = "The server had an error while processing your request."});
    custom_llm->set_script({.pieces = {"We open ", "at nine ", "tomorrow."}});
    Json agent_doc =
        elevenlabs_agent({{"llm_provider", "openai"}, {"fallbacks", {{"llm", Json::array({"custom_websocket"})}}}});
    ASSERT_EQ(agent_doc["fallbacks"]["llm"], Json::array({"custom_websocket"})) << agent_doc.dump();

    auto [report, events] = watched_call(agent_doc["id"]);
    Json record = check_call(report, kAnswer);
    check_switch(record, &events, "llm", "llm.openai", "llm.custom_websocket");

    // OpenAI was asked (and failed); the custom server got the same turn, with its key.
    auto chats = call_turn_chats();
    ASSERT_FALSE(chats.empty());
    check_chat_request(chats.front());
    auto connections = custom_llm->connections();
    ASSERT_EQ(connections.size(), 1U);
    EXPECT_EQ(connections[0].authorization, "Bearer " + custom_llm->api_key());
    auto asked = connections[0].of("response_required");
    ASSERT_EQ(asked.size(), 1U);
    const Json& transcript = asked[0]["transcript"];
    ASSERT_TRUE(transcript.is_array() && !transcript.empty()) << asked[0].dump();
    EXPECT_EQ(transcript.back()["role"], "user");
    EXPECT_EQ(transcript.back()["content"], kQuestion);
    check_deepgram();
    check_heard(check_elevenlabs(kAnswer));
}

TEST_P(CloudCallEndToEndTest, WhenDeepgramIsLostMidCallOpenAiHearsTheTurn) {
    openai->set_script({.chunks = OpenAiTestServer::content_chunks({"We open ", "at nine tomorrow."})});
    AudioTestServer::Script transcription;
    transcription.text = kQuestion;
    audio->set_script(transcription);
    // Every stream dropped (no close frame) at 1.5 s of the call's audio: the
    // plugin reconnects once, the audio it sends again drops that one too,
    // and it gives up.
    FakeDeepgramServer::Script dropping;
    dropping.utterances = {{"What", "time", "do", "you", "open", "tomorrow?"}, {}};
    dropping.interim_every_ms = 0;
    dropping.drop_after_bytes = 48000;
    dropping.drop_every_connection = true;
    deepgram->set_script(dropping);
    Json agent_doc = elevenlabs_agent({{"llm_provider", "openai"}, {"fallbacks", {{"stt", Json::array({"openai"})}}}});
    ASSERT_EQ(agent_doc["fallbacks"]["stt"], Json::array({"openai"})) << agent_doc.dump();

    auto [report, events] = watched_call(agent_doc["id"]);
    check_call(report, kAnswer);
    Json record = wait_until_ended(report.value("call_id", ""));
    check_switch(record, &events, "stt", "stt.deepgram", "stt.openai");

    auto connections = deepgram->connections();
    EXPECT_EQ(connections.size(), 2U) << "the stream and its one reconnect";
    for (const auto& stream : connections) {
        EXPECT_EQ(stream.authorization, "Token " + deepgram->api_key());
        EXPECT_GE(stream.audio_bytes, 48000U);
    }
    // stt.openai got the turn's speech, in the agent's language.
    auto transcriptions = audio->received();
    std::erase_if(transcriptions, [](const auto& request) { return request.path != "/v1/audio/transcriptions"; });
    ASSERT_EQ(transcriptions.size(), 1U);
    const auto& request = transcriptions.front();
    EXPECT_EQ(request.authorization, "Bearer " + audio->api_key());
    EXPECT_EQ(request.fields.count("language") ? request.fields.at("language") : "", "de");
    ASSERT_TRUE(request.has_file && request.wav_valid) << request.file_name;
    EXPECT_EQ(request.wav_sample_rate, 16000U);
    auto question = audio::read_wav(question_);
    EXPECT_GE(loud_ms(request.wav_samples, 16000), loud_ms(question.samples, question.sample_rate) * 0.8)
        << "the whole question, not its tail";
    check_heard(check_elevenlabs(kAnswer));
}

TEST_P(CloudCallEndToEndTest, WhenElevenLabsRefusesOpenAiSpeaks) {
    openai->set_script({.chunks = OpenAiTestServer::content_chunks({"We open ", "at nine tomorrow."})});
    FakeElevenLabsServer::Script refusing;
    refusing.ws_status = 401;
    refusing.http_status = 401;
    refusing.http_detail = "invalid_api_key";
    elevenlabs->set_script(refusing);
    Json agent_doc = elevenlabs_agent({{"llm_provider", "openai"}, {"fallbacks", {{"tts", Json::array({"openai"})}}}});
    ASSERT_EQ(agent_doc["fallbacks"]["tts"], Json::array({"openai"})) << agent_doc.dump();

    // The switch comes with the greeting, before a watcher could join: the record tells it.
    Json record = check_call(call(agent_doc["id"]), kAnswer);
    check_switch(record, nullptr, "tts", "tts.elevenlabs", "tts.openai");
    EXPECT_GE(elevenlabs->record().handshakes + elevenlabs->record().http_requests, 1);
    EXPECT_TRUE(elevenlabs->record().texts.empty());

    std::string spoken;
    std::size_t speeches = 0;
    for (const auto& request : audio->received()) {
        EXPECT_EQ(request.path, "/v1/audio/speech");
        EXPECT_EQ(request.authorization, "Bearer " + audio->api_key());
        EXPECT_EQ(request.json.value("voice", ""), "alloy") << "the fallback's default voice, not the agent's";
        spoken += request.json.value("input", "") + " ";
        ++speeches;
    }
    EXPECT_NE(spoken.find(kGreeting), std::string::npos) << "the greeting, spoken again in full: " << spoken;
    EXPECT_NE(spoken.find("nine tomorrow"), std::string::npos) << spoken;
    check_heard(static_cast<double>(speeches) * 200.0);
}

VOX_API_BOTH_BACKENDS(CloudCallEndToEndTest);

}  // namespace
}  // namespace vox::calltest
