// stt.deepgram against the fake Deepgram server: the handshake, transcripts
// (interim → partial, Finalize → the turn's final), KeepAlive, CloseStream,
// cancel.
#include "deepgram_test_support.hpp"

namespace vox::test {
namespace {

TEST_F(DeepgramTest, HandshakeCarriesTheParametersAndTheKey) {
    Delivered delivered;
    RawSession session(*provider_, delivered, 8000, R"({"language":"en-GB","endpointing_ms":450})");
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    ASSERT_TRUE(server_.wait_for([](const auto& c) { return !c.empty(); }));
    auto connection = server_.connections().front();
    EXPECT_EQ(connection.authorization, "Token " + server_.api_key());
    const std::map<std::string, std::string> expected = {
        {"model", "nova-2"},          {"encoding", "linear16"}, {"sample_rate", "8000"},  {"channels", "1"},
        {"interim_results", "true"},  {"punctuate", "true"},    {"smart_format", "true"}, {"endpointing", "450"},
        {"utterance_end_ms", "1000"}, {"language", "en-GB"}};
    EXPECT_EQ(connection.query, expected);
}

TEST_F(DeepgramTest, InterimResultsArePartialsAndFlushGivesOneFinal) {
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    std::size_t bytes = session.push(500);
    // Interims every 100 ms of audio reveal one more word each.
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return d.partials.size() >= 3; }));
    {
        std::lock_guard lock(delivered.mutex);
        EXPECT_EQ(delivered.partials[0].text, "Book");
        EXPECT_EQ(delivered.partials[1].text, "Book a");
        EXPECT_EQ(delivered.partials[2].text, "Book a table");
        EXPECT_TRUE(delivered.finals.empty());
    }
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return !d.finals.empty() || !d.errors.empty(); }));
    ASSERT_TRUE(server_.wait_for([&](const auto& c) { return c.size() == 1 && c[0].audio_bytes == bytes; }))
        << "the server got every audio byte";
    std::lock_guard lock(delivered.mutex);
    ASSERT_EQ(delivered.finals.size(), 1u);
    EXPECT_EQ(delivered.finals[0].text, "Book a table for two.");
    EXPECT_EQ(delivered.finals[0].start_ms, 0u);
    EXPECT_EQ(delivered.finals[0].end_ms, 500u);
    EXPECT_TRUE(delivered.errors.empty());
}

TEST_F(DeepgramTest, FlushSendsFinalizeAndTheAnswerIsTheFinalAtOnce) {
    // Interims only every 10 s of audio, a Finalize timeout far away: the
    // final can only come from Deepgram's from_finalize answer.
    server_.set_script({.utterances = {{"Yes,", "please."}}, .interim_every_ms = 10000});
    provider_ = load({{"finalize_timeout_ms", 60000}});
    ASSERT_NE(provider_, nullptr) << refusal_;
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    session.push(300);
    auto flushed = std::chrono::steady_clock::now();
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return !d.finals.empty(); }, 5s));
    auto latency = std::chrono::steady_clock::now() - flushed;
    EXPECT_LT(latency, 5s);
    EXPECT_EQ(server_.connections().at(0).finalizes, 1);
    {
        std::lock_guard lock(delivered.mutex);
        EXPECT_EQ(delivered.finals[0].text, "Yes, please.");
    }
    // A flush with no audio since the last one: one (empty) final at once.
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return d.finals.size() >= 2; }, 5s));
    std::lock_guard lock(delivered.mutex);
    EXPECT_EQ(delivered.finals[1].text, "");
}

TEST_F(DeepgramTest, FinalComesAfterTheTimeoutWhenDeepgramDoesNotAnswerFinalize) {
    server_.set_script({.silent = true});
    provider_ = load({{"finalize_timeout_ms", 200}, {"response_timeout_ms", 60000}});
    ASSERT_NE(provider_, nullptr) << refusal_;
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    session.push(200);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return !d.finals.empty(); }, 5s));
    std::lock_guard lock(delivered.mutex);
    EXPECT_EQ(delivered.finals.size(), 1u);
    EXPECT_EQ(delivered.finals[0].text, "");
}

TEST_F(DeepgramTest, KeepAliveIsSentWhileNoAudioFlows) {
    provider_ = load({{"keepalive_ms", 50}});
    ASSERT_NE(provider_, nullptr) << refusal_;
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    EXPECT_TRUE(server_.wait_for([](const auto& c) { return !c.empty() && c[0].keepalives >= 3; }, 5s));
}

TEST_F(DeepgramTest, NoKeepAliveWhileAudioFlows) {
    provider_ = load({{"keepalive_ms", 3000}});
    ASSERT_NE(provider_, nullptr) << refusal_;
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    std::size_t bytes = session.push(400);
    ASSERT_TRUE(server_.wait_for([&](const auto& c) { return c.size() == 1 && c[0].audio_bytes == bytes; }));
    EXPECT_EQ(server_.connections()[0].keepalives, 0);
}

TEST_F(DeepgramTest, EndInputSendsCloseStreamAndDeliversTheRest) {
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    session.push(300);
    ASSERT_EQ(session.end_input(), VOX_OK);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return !d.finals.empty() || !d.errors.empty(); }));
    ASSERT_TRUE(server_.wait_for([](const auto& c) { return c.size() == 1 && c[0].closed_normally; }));
    EXPECT_EQ(server_.connections()[0].close_streams, 1);
    std::lock_guard lock(delivered.mutex);
    ASSERT_EQ(delivered.finals.size(), 1u);
    EXPECT_EQ(delivered.finals[0].text, "Book a table for two.");
    EXPECT_TRUE(delivered.errors.empty());
}

TEST_F(DeepgramTest, CancelDropsTheResultsOfEarlierAudio) {
    // Deepgram answers the first Finalize late, after cancel(): that answer
    // (utterance "Cancel this.") must not reach the host.
    server_.set_script(
        {.utterances = {{"Cancel", "this."}, {"Keep", "this."}}, .interim_every_ms = 10000, .finalize_delay = 300ms});
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    std::size_t first = session.push(200);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(server_.wait_for([&](const auto& c) { return c.size() == 1 && c[0].finalizes >= 1; }));
    session.cancel();
    std::size_t second = session.push(200);
    ASSERT_EQ(session.flush(), VOX_OK);
    ASSERT_TRUE(delivered.wait([](Delivered& d) { return !d.finals.empty() || !d.errors.empty(); }));
    // end_input: the server sends what remains and closes; then nothing more can come.
    ASSERT_EQ(session.end_input(), VOX_OK);
    ASSERT_TRUE(server_.wait_for([&](const auto& c) { return c.size() == 1 && c[0].closed_normally; }));
    EXPECT_EQ(server_.connections()[0].audio_bytes, first + second);
    session.close();
    std::lock_guard lock(delivered.mutex);
    ASSERT_EQ(delivered.finals.size(), 1u);
    EXPECT_EQ(delivered.finals[0].text, "Keep this.");
    for (const auto& partial : delivered.partials) EXPECT_EQ(partial.text.find("Cancel"), std::string::npos);
    EXPECT_TRUE(delivered.errors.empty());
}

TEST_F(DeepgramTest, CancelledTurnGetsNoFinal) {
    server_.set_script({.interim_every_ms = 10000, .finalize_delay = 200ms});
    Delivered delivered;
    RawSession session(*provider_, delivered);
    ASSERT_EQ(session.status(), VOX_OK) << session.error_message();
    session.push(200);
    ASSERT_EQ(session.flush(), VOX_OK);
    session.cancel();  // before the answer: no final for this turn
    ASSERT_EQ(session.end_input(), VOX_OK);
    ASSERT_TRUE(server_.wait_for([](const auto& c) { return c.size() == 1 && c[0].closed_normally; }));
    session.close();
    std::lock_guard lock(delivered.mutex);
    EXPECT_TRUE(delivered.finals.empty()) << delivered.finals[0].text;
    EXPECT_TRUE(delivered.errors.empty());
}

}  // namespace
}  // namespace vox::test
