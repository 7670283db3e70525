// transport.websocket loaded from the build tree through the PluginRegistry,
// with this test as the host (the C callbacks) and Poco WebSocket clients as
// callers: admission, call start, audio both ways, pacing, clear, messages
// from the client, and how calls end.
#include "transport_test_support.hpp"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <thread>

namespace vox::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST_F(TransportTest, DescribesWhereCallersConnect) {
    auto described = host_->describe();
    EXPECT_EQ(described.value("listen_url", ""), "ws://127.0.0.1:" + std::to_string(port_));
    EXPECT_NE(port_, 0);
    EXPECT_NE(port_, 8081);  // port 0 picked a free one
    EXPECT_EQ(described.value("active_calls", -1), 0);
    EXPECT_EQ(described.value("encoding", ""), "pcm_s16le");
    EXPECT_EQ(host_->provider().key, "transport.websocket");
}

TEST_F(TransportTest, CallStartsWithItsIdAndRate) {
    auto client = connect("call_rate8k", 8000);
    HostCall call = host_->call("call_rate8k");
    EXPECT_EQ(call.details.value("call_id", ""), "call_rate8k");
    EXPECT_EQ(call.details.value("sample_rate", 0), 8000);
    auto other = connect("call_default");
    EXPECT_EQ(host_->call("call_default").details.value("sample_rate", 0), 16000);
    EXPECT_EQ(host_->describe().value("active_calls", 0), 2);

    // The host's call_started event reaches the client with the media format filled in.
    ASSERT_EQ(host_->send_event(call.handle, {{"type", "call_started"}, {"agent_id", "agent_1"}, {"t_ms", 0}}),
              VOX_OK);
    auto started = client->wait_event("call_started");
    ASSERT_TRUE(started.is_object());
    EXPECT_EQ(started.value("call_id", ""), "call_rate8k");
    EXPECT_EQ(started.value("agent_id", ""), "agent_1");
    EXPECT_EQ(started.value("sample_rate", 0), 8000);
    EXPECT_EQ(started.value("encoding", ""), "pcm_s16le");
    EXPECT_EQ(started.value("channels", 0), 1);
}

TEST_F(TransportTest, AudioRoundTrip) {
    host_->set_echo(true);
    auto client = connect("call_echo");
    auto sent = tone(16000, 440, 1.0);
    for (std::size_t at = 0; at < sent.size(); at += 320) {
        client->send_audio(std::vector<std::int16_t>(sent.begin() + static_cast<std::ptrdiff_t>(at),
                                                     sent.begin() + static_cast<std::ptrdiff_t>(at + 320)));
        std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(client->wait([&](const std::vector<Received>& all) {
        std::size_t bytes = 0;
        for (const auto& m : all) bytes += m.binary ? m.data.size() : 0;
        return bytes >= sent.size() * 2;
    }));
    EXPECT_EQ(host_->call("call_echo").audio, sent);
    std::string back;
    for (const auto& message : client->messages()) {
        if (!message.binary) continue;
        EXPECT_EQ(message.data.size(), 640u);  // 20 ms frames
        back += message.data;
    }
    EXPECT_EQ(samples_of(back), sent);
}

TEST_F(TransportTest, PacesPlayoutInRealTime) {
    auto client = connect("call_pacing");
    auto audio = tone(16000, 300, 1.0);
    auto played_from = Clock::now();
    ASSERT_EQ(host_->play(handle("call_pacing"), 5, audio), VOX_OK);
    ASSERT_TRUE(client->wait([](const std::vector<Received>& all) { return all.size() >= 50; }, 3s));
    auto messages = client->messages();
    const auto first = messages.front().at;
    double worst_ahead_ms = 0;
    std::size_t received_ms = 0;
    for (const auto& message : messages) {
        ASSERT_TRUE(message.binary);
        received_ms += message.data.size() / 32;
        double elapsed = std::chrono::duration<double, std::milli>(message.at - first).count();
        worst_ahead_ms = std::max(worst_ahead_ms, static_cast<double>(received_ms) - elapsed);
    }
    double span_ms = std::chrono::duration<double, std::milli>(messages.back().at - first).count();
    std::printf("[ figures ] 1 s of audio: first frame after %.1f ms, last after %.1f ms; worst ahead %.1f ms\n",
                std::chrono::duration<double, std::milli>(first - played_from).count(), span_ms, worst_ahead_ms);
    EXPECT_LE(worst_ahead_ms, 150.0);
    EXPECT_GE(span_ms, 840.0);  // the last frame plays from 980 ms and goes out 100 ms before
    EXPECT_LE(span_ms, 1000.0);
    std::string all;
    for (const auto& message : messages) all += message.data;
    EXPECT_EQ(samples_of(all), audio);

    // on_played at least every 200 ms, then the whole second once it has played.
    ASSERT_TRUE(host_->wait([](const auto& calls) {
        const auto& played = calls.at("call_pacing").played;
        return !played.empty() && played.back().second == 1000;
    }));
    HostCall call = host_->call("call_pacing");
    for (std::size_t i = 1; i < call.played_at.size(); ++i) {
        EXPECT_LE(call.played_at[i] - call.played_at[i - 1], 230ms);
        EXPECT_EQ(call.played[i].first, 5u);
    }
    auto finished_after = call.played_at.back() - played_from;
    EXPECT_GE(finished_after, 980ms);
    EXPECT_LE(finished_after, 1150ms);
}

TEST_F(TransportTest, ClearStopsPlayoutAndSaysWhatWasPlayed) {
    auto client = connect("call_clear");
    auto audio = tone(16000, 300, 3.0);
    ASSERT_EQ(host_->play(handle("call_clear"), 9, audio), VOX_OK);
    std::this_thread::sleep_for(500ms);
    std::uint32_t played = host_->clear(handle("call_clear"), 9);
    auto cleared_at = Clock::now();
    EXPECT_GE(played, 440u);
    EXPECT_LE(played, 600u);
    ASSERT_TRUE(client->wait_event("clear").is_object());
    std::this_thread::sleep_for(300ms);
    auto messages = client->messages();
    std::size_t clear_index = 0;
    std::size_t bytes_before_clear = 0;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (!messages[i].binary) {
            clear_index = i;
            break;
        }
        bytes_before_clear += messages[i].data.size();
    }
    EXPECT_EQ(clear_index, messages.size() - 1) << "no agent audio may follow the clear";
    // What went out is what had played plus at most ~120 ms of buffer.
    double sent_ms = static_cast<double>(bytes_before_clear) / 32.0;
    EXPECT_LE(sent_ms, played + 150.0);
    EXPECT_GE(sent_ms, played);
    EXPECT_LE(messages.back().at - cleared_at, 50ms);
    // Audio of a newer context plays at once.
    ASSERT_EQ(host_->play(handle("call_clear"), 10, tone(16000, 500, 0.2)), VOX_OK);
    EXPECT_TRUE(client->wait([&](const auto& all) { return all.size() >= messages.size() + 10; }));
}

TEST_F(TransportTest, RefusesBadTokensAndPathsBeforeTheUpgrade) {
    ASSERT_EQ(host_->dial("call_tok", "secret-token"), VOX_OK);
    EXPECT_EQ(WsClient::status_of(port_, "/calls/call_tok?access_token=wrong"), 401);
    EXPECT_EQ(WsClient::status_of(port_, "/calls/call_tok"), 401);
    EXPECT_EQ(WsClient::status_of(port_, "/calls/call_nobody?access_token=secret-token"), 401);
    EXPECT_EQ(WsClient::status_of(port_, "/elsewhere?access_token=secret-token"), 404);
    EXPECT_EQ(WsClient::status_of(port_, "/calls/call_tok/more?access_token=secret-token"), 404);
    {
        WsClient first(port_, "call_tok", "secret-token");  // the right token works once
        EXPECT_TRUE(host_->wait_started("call_tok"));
        EXPECT_EQ(WsClient::status_of(port_, "/calls/call_tok?access_token=secret-token"), 401);
    }
    ASSERT_EQ(host_->dial("call_late", "late-token", 16000, 50), VOX_OK);
    std::this_thread::sleep_for(120ms);
    EXPECT_EQ(WsClient::status_of(port_, "/calls/call_late?access_token=late-token"), 401);

    // A plain GET is not an upgrade: 400, and the token is not used up.
    ASSERT_EQ(host_->dial("call_plain", "plain-token"), VOX_OK);
    Poco::Net::HTTPClientSession session("127.0.0.1", port_);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/calls/call_plain?access_token=plain-token");
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    std::string text;
    Poco::StreamCopier::copyToString(body, text);
    EXPECT_EQ(response.getStatus(), 400);
    EXPECT_EQ(response.getContentType(), "application/problem+json");
    EXPECT_EQ(nlohmann::json::parse(text).value("status", 0), 400);
    EXPECT_EQ(WsClient::status_of(port_, "/calls/call_plain?access_token=plain-token"), 101);
}

TEST_F(TransportTest, BadFramesGetAnErrorAndTheCallGoesOn) {
    auto client = connect("call_bad");
    client->send_binary(std::string(641, 'x'));   // odd length
    client->send_binary(std::string(100, 'x'));   // 3 ms
    client->send_binary(std::string(6402, 'x'));  // over 200 ms
    client->send_text("not json");
    client->send_json({{"type", "dance"}});
    client->send_json({{"type", "dtmf"}, {"digit", "x"}});
    client->send_json({{"type", "mark"}, {"played_ms", -5}});
    ASSERT_TRUE(client->wait([](const std::vector<Received>& all) { return all.size() >= 7; }));
    std::vector<std::string> codes;
    for (const auto& message : client->messages()) {
        auto json = message.json();
        EXPECT_EQ(json.value("type", ""), "error");
        EXPECT_EQ(json.value("fatal", true), false);
        EXPECT_EQ(json.value("call_id", ""), "call_bad");
        EXPECT_TRUE(json.contains("t_ms"));
        EXPECT_FALSE(json.value("message", "").empty());
        codes.push_back(json.value("code", ""));
    }
    EXPECT_EQ(codes, (std::vector<std::string>{"bad_audio_frame", "bad_audio_frame", "bad_audio_frame", "bad_message",
                                               "bad_message", "bad_message", "bad_message"}));
    // Still connected: good frames (10 and 200 ms) arrive.
    client->send_audio(tone(16000, 440, 0.01));
    client->send_audio(tone(16000, 440, 0.2));
    EXPECT_TRUE(host_->wait([](const auto& calls) { return calls.at("call_bad").audio.size() == 160 + 3200; }));
    EXPECT_EQ(host_->call("call_bad").audio_callbacks, 2u);
    EXPECT_FALSE(host_->call("call_bad").ended);
}

TEST_F(TransportTest, DtmfMarkAndHangupMessages) {
    auto client = connect("call_msgs");
    for (const char* digit : {"5", "*", "#", "D", "0"}) client->send_json({{"type", "dtmf"}, {"digit", digit}});
    client->send_json({{"type", "mark"}, {"played_ms", 1234}});
    ASSERT_TRUE(host_->wait([](const auto& calls) { return calls.at("call_msgs").digits == "5*#D0"; }));
    client->send_json({{"type", "hangup"}});
    ASSERT_TRUE(host_->wait_ended("call_msgs"));
    EXPECT_EQ(*host_->call("call_msgs").ended, "user_hangup");
    EXPECT_TRUE(client->wait_closed());
    EXPECT_EQ(client->close_code().value_or(0), 1000);
    for (const auto& message : client->messages()) EXPECT_NE(message.json().value("type", ""), "error");
    EXPECT_TRUE(eventually([&] { return host_->describe().value("active_calls", 1) == 0; }));
}

TEST_F(TransportTest, ClientCloseIsUserHangupAndAVanishedClientATransportError) {
    auto polite = connect("call_polite");
    polite->close();
    ASSERT_TRUE(host_->wait_ended("call_polite"));
    EXPECT_EQ(*host_->call("call_polite").ended, "user_hangup");
    EXPECT_EQ(polite->close_code().value_or(0), 1000);

    auto rude = connect("call_rude");
    rude->abort();
    ASSERT_TRUE(host_->wait_ended("call_rude"));
    EXPECT_EQ(*host_->call("call_rude").ended, "error_transport");
}

TEST_F(TransportTest, HostHangupSendsWhatIsQueuedThenCloses) {
    auto client = connect("call_host_end");
    auto call = handle("call_host_end");
    ASSERT_EQ(host_->send_event(call, {{"type", "call_ended"}, {"reason", "agent_hangup"}}), VOX_OK);
    ASSERT_EQ(host_->hangup(call, "agent_hangup"), VOX_OK);
    ASSERT_TRUE(client->wait_closed());
    EXPECT_EQ(client->close_code().value_or(0), 1000);
    auto ended = client->wait_event("call_ended", 100ms);
    EXPECT_EQ(ended.value("reason", ""), "agent_hangup");
    std::this_thread::sleep_for(200ms);
    EXPECT_FALSE(host_->call("call_host_end").ended) << "no on_call_ended when the host hangs up";
}

TEST_F(TransportTest, RefusesWhatTheHostGetsWrong) {
    auto client = connect("call_host_bugs");
    auto call = handle("call_host_bugs");
    EXPECT_EQ(host_->play(call, 1, tone(8000, 440, 0.1), 8000), VOX_ERR_UNSUPPORTED);
    EXPECT_EQ(host_->play(call, 1, tone(16000, 440, 0.1), 16000, 2), VOX_ERR_UNSUPPORTED);
    EXPECT_EQ(host_->send_event_text(call, "{not json"), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(host_->send_event_text(call, R"({"no_type":1})"), VOX_ERR_INVALID_ARGUMENT);
    std::string message;
    EXPECT_EQ(host_->dial({{"call_id", "bad/id"}, {"access_token", "t"}}, &message), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(host_->dial({{"call_id", "call_x"}}, &message), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(host_->dial({{"call_id", "call_x"}, {"access_token", "t"}, {"sample_rate", 44100}}, &message),
              VOX_ERR_UNSUPPORTED);
    EXPECT_NE(message.find("sample_rate"), std::string::npos);
    EXPECT_EQ(host_->start({}, &message), VOX_ERR_INVALID_ARGUMENT) << "already started";
}

TEST_F(TransportTest, FramesSentBeforeThe101AreKept) {
    ASSERT_EQ(host_->dial("call_eager", "eager"), VOX_OK);
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port_));
    std::string request =
        "GET /calls/call_eager?access_token=eager HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    std::string frame = {static_cast<char>(0x82), static_cast<char>(0x80 | 126), 0x01, 0x40, 0, 0, 0, 0};
    frame += std::string(320, '\x01');  // 10 ms, masked with a zero key
    std::string both = request + frame;
    socket.sendBytes(both.data(), static_cast<int>(both.size()));
    char answer[512];
    int n = socket.receiveBytes(answer, sizeof answer);
    std::string head(answer, static_cast<std::size_t>(std::max(n, 0)));
    EXPECT_NE(head.find("101"), std::string::npos);
    EXPECT_NE(head.find("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), std::string::npos);  // RFC 6455's example accept key
    EXPECT_TRUE(host_->wait([](const auto& calls) {
        return calls.count("call_eager") != 0 && calls.at("call_eager").audio.size() == 160;
    }));
    EXPECT_EQ(host_->call("call_eager").audio.front(), 0x0101);
}

TEST(TransportSettings, AreCheckedAndMaxCallsHolds) {
    TransportHost host(VOX_TEST_TRANSPORT_PLUGIN, {{"port", 0}, {"max_calls", "2"}, {"public_url", "wss://calls.example.com"}});
    std::string message;
    EXPECT_EQ(host.start({{"port", "not a port"}}, &message), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_NE(message.find("port"), std::string::npos);
    EXPECT_EQ(host.start({{"colour", "blue"}}, &message), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(host.start({{"public_url", "http://x"}}, &message), VOX_ERR_INVALID_ARGUMENT);
    ASSERT_EQ(host.start({}, &message), VOX_OK) << message;
    EXPECT_EQ(host.describe().value("public_url", ""), "wss://calls.example.com");
    EXPECT_EQ(host.dial("call_1", "a"), VOX_OK);
    EXPECT_EQ(host.dial("call_2", "b"), VOX_OK);
    EXPECT_EQ(host.dial("call_3", "c"), VOX_ERR_UNAVAILABLE);
    EXPECT_EQ(host.describe().value("waiting_calls", 0), 2);
}

TEST(TransportSettings, AnOccupiedPortIsAClearError) {
    TransportHost first(VOX_TEST_TRANSPORT_PLUGIN);
    ASSERT_EQ(first.start(), VOX_OK);
    TransportHost second(VOX_TEST_TRANSPORT_PLUGIN, {{"port", first.port()}});
    std::string message;
    EXPECT_EQ(second.start({}, &message), VOX_ERR_UNAVAILABLE);
    EXPECT_NE(message.find("cannot listen"), std::string::npos) << message;
}

}  // namespace
}  // namespace vox::test
