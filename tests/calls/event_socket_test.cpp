// WS /ws/calls/{call_id} (docs/protocol.md section 3) against a real voxd:
// who may watch, the snapshot, live events until call_ended, the close with
// 1000, and watchers that hold no request thread.
#include "call_api_fixture.hpp"
#include "event_socket_client.hpp"

#include <thread>

namespace vox::calltest {
namespace {

using namespace std::chrono_literals;

// The headers of a WebSocket upgrade, for plain HTTP requests that must be refused before it.
apitest::Headers upgrade_headers() {
    return {{"Upgrade", "websocket"},
            {"Connection", "Upgrade"},
            {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
            {"Sec-WebSocket-Version", "13"}};
}

class EventSocketTest : public CallApiTest {
protected:
    std::unique_ptr<EventSocket> watch(const std::string& call_id, const std::string& token) {
        std::string failure;
        auto socket = EventSocket::open(voxd->port(), "/ws/calls/" + call_id + "?token=" + apitest::url_encode(token), {},
                                        &failure);
        EXPECT_TRUE(socket) << failure;
        return socket;
    }
};

TEST_P(EventSocketTest, OnlyAnApiKeyOrTheCallsTokenMayWatch) {
    std::string agent_id = agent()["id"];
    Json call = start_call(agent_id);
    Json other = start_call(agent_id);
    std::string id = call["call_id"];
    auto anonymous = voxd->unchecked_client("");
    anonymous.set_api_key("");
    auto no_token = anonymous.get("/ws/calls/" + id, upgrade_headers());
    EXPECT_PROBLEM(no_token, 401, "unauthorized");
    EXPECT_PROBLEM(anonymous.get("/ws/calls/" + id + "?token=wrong", upgrade_headers()), 401, "unauthorized");
    EXPECT_PROBLEM(anonymous.get("/ws/calls/" + id + "?token=" + other["access_token"].get<std::string>(),
                                 upgrade_headers()),
                   401, "unauthorized");
    EXPECT_PROBLEM(anonymous.get("/ws/calls/call_doesnotexist?token=" + call["access_token"].get<std::string>(),
                                 upgrade_headers()),
                   401, "unauthorized");
    EXPECT_PROBLEM(api->get("/ws/calls/call_doesnotexist?token=" + std::string(apitest::kTestApiKey),
                            upgrade_headers()),
                   404, "call_not_found");
    EXPECT_PROBLEM(api->get("/ws/calls/" + id + "?token=" + std::string(apitest::kTestApiKey)), 400,
                   "websocket_required");

    // The call's own token, an API key in the query, and one in the header.
    for (const std::string& token : {call["access_token"].get<std::string>(), std::string(apitest::kTestApiKey)}) {
        auto socket = watch(id, token);
        ASSERT_TRUE(socket);
        auto snapshot = socket->next();
        ASSERT_TRUE(snapshot);
        EXPECT_EQ((*snapshot)["type"], "snapshot");
    }
    std::string failure;
    auto with_header = EventSocket::open(voxd->port(), "/ws/calls/" + id,
                                         {{"Authorization", "Bearer " + std::string(apitest::kTestApiKey)}}, &failure);
    ASSERT_TRUE(with_header) << failure;
    EXPECT_EQ(with_header->next().value_or(Json())["type"], "snapshot");
}

TEST_P(EventSocketTest, AnEndedCallSendsItsSnapshotAndCloses) {
    Json logged = create_call({{"agent_id", agent()["id"]},
                               {"direction", "web"},
                               {"status", "completed"},
                               {"disconnection_reason", "user_hangup"},
                               {"transcript", Json::array({{{"speaker", "user"}, {"text", "Hi."}}})}});
    auto socket = watch(logged["id"], apitest::kTestApiKey);
    ASSERT_TRUE(socket);
    auto messages = socket->until_closed(5s);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0]["type"], "snapshot");
    EXPECT_EQ(messages[0]["call"], api->get("/api/calls/" + logged["id"].get<std::string>()).json());
    EXPECT_TRUE(socket->closed());
    EXPECT_EQ(socket->close_code(), std::optional<std::uint16_t>(1000));

    // A call logged as in progress elsewhere is not live here: nothing would ever come.
    Json foreign = create_call({{"agent_id", logged["agent_id"]}, {"direction", "inbound"}, {"status", "in_progress"}});
    auto watcher = watch(foreign["id"], apitest::kTestApiKey);
    ASSERT_TRUE(watcher);
    auto only = watcher->until_closed(5s);
    ASSERT_EQ(only.size(), 1u);
    EXPECT_EQ(only[0]["call"]["status"], "in_progress");
    EXPECT_EQ(watcher->close_code(), std::optional<std::uint16_t>(1000));
}

TEST_P(EventSocketTest, ALiveCallStreamsUntilCallEndedThenCloses) {
    Json call = start_call(agent()["id"]);
    std::string id = call["call_id"];
    auto first = watch(id, call["access_token"]);
    auto second = watch(id, apitest::kTestApiKey);
    ASSERT_TRUE(first && second);
    for (auto* socket : {first.get(), second.get()}) {
        auto snapshot = socket->next();
        ASSERT_TRUE(snapshot);
        EXPECT_EQ((*snapshot)["type"], "snapshot");
        EXPECT_EQ((*snapshot)["call"]["id"], id);
        EXPECT_EQ((*snapshot)["call"]["status"], "in_progress");
    }
    first->send_text("{\"type\":\"ignored\"}");  // messages from the client are ignored
    EXPECT_FALSE(second->next(300ms)) << "nothing happens before the end";
    EXPECT_TRUE(second->timed_out());

    ASSERT_EQ(api->post("/api/calls/end", {{"call_id", id}}).status, 200);
    for (auto* socket : {first.get(), second.get()}) {
        auto messages = socket->until_closed(5s);
        ASSERT_EQ(messages.size(), 1u);
        EXPECT_EQ(messages[0]["type"], "call_ended");
        EXPECT_EQ(messages[0]["call_id"], id);
        EXPECT_EQ(messages[0]["reason"], "api_hangup");
        EXPECT_EQ(messages[0]["duration_ms"], 0);
        EXPECT_TRUE(messages[0]["t_ms"].is_number_integer());
        EXPECT_EQ(socket->close_code(), std::optional<std::uint16_t>(1000));
    }
}

TEST_P(EventSocketTest, WatchersHoldNoRequestThreadAndMayVanish) {
    restart({{"VOX_HTTP_MAX_THREADS", "4"}});
    Json call = start_call(agent()["id"]);
    std::string id = call["call_id"];
    std::vector<std::unique_ptr<EventSocket>> watchers;
    for (int i = 0; i < 12; ++i) {
        watchers.push_back(watch(id, apitest::kTestApiKey));
        ASSERT_TRUE(watchers.back());
        ASSERT_TRUE(watchers.back()->next());  // the snapshot
    }
    // Four request threads, twelve watchers: the API still answers.
    auto fresh = voxd->client();
    EXPECT_EQ(fresh.get("/api/calls/" + id).status, 200);
    for (int i = 0; i < 6; ++i) watchers[static_cast<std::size_t>(i)]->abandon();
    std::this_thread::sleep_for(200ms);
    ASSERT_EQ(api->post("/api/calls/end", {{"call_id", id}}).status, 200);
    for (std::size_t i = 6; i < watchers.size(); ++i) {
        auto messages = watchers[i]->until_closed(5s);
        ASSERT_EQ(messages.size(), 1u);
        EXPECT_EQ(messages[0]["type"], "call_ended");
    }
    EXPECT_TRUE(voxd->healthy());
}

VOX_API_BOTH_BACKENDS(EventSocketTest);

}  // namespace
}  // namespace vox::calltest
