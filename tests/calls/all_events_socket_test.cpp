// WS /ws/events (docs/protocol.md section 3) against a real voxd: API keys
// only, every call's events on one socket, which stays open across calls.
#include "call_api_fixture.hpp"
#include "event_socket_client.hpp"

namespace vox::calltest {
namespace {

using namespace std::chrono_literals;

apitest::Headers upgrade_headers() {
    return {{"Upgrade", "websocket"},
            {"Connection", "Upgrade"},
            {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
            {"Sec-WebSocket-Version", "13"}};
}

class AllEventsSocketTest : public CallApiTest {
protected:
    std::unique_ptr<EventSocket> watch_all(const std::map<std::string, std::string>& headers = {},
                                           const std::string& query = "?token=" + std::string(apitest::kTestApiKey)) {
        std::string failure;
        auto socket = EventSocket::open(voxd->port(), "/ws/events" + query, headers, &failure);
        EXPECT_TRUE(socket) << failure;
        return socket;
    }
};

TEST_P(AllEventsSocketTest, OnlyAnApiKeyMayWatch) {
    Json call = start_call(agent()["id"]);
    auto anonymous = voxd->unchecked_client("");
    anonymous.set_api_key("");
    EXPECT_PROBLEM(anonymous.get("/ws/events", upgrade_headers()), 401, "unauthorized");
    EXPECT_PROBLEM(anonymous.get("/ws/events?token=wrong", upgrade_headers()), 401, "unauthorized");
    // A call's access token admits its own call's socket, not everyone's.
    EXPECT_PROBLEM(anonymous.get("/ws/events?token=" + call["access_token"].get<std::string>(), upgrade_headers()), 401,
                   "unauthorized");
    EXPECT_PROBLEM(api->get("/ws/events?token=" + std::string(apitest::kTestApiKey)), 400, "websocket_required");

    auto with_header = watch_all({{"Authorization", "Bearer " + std::string(apitest::kTestApiKey)}}, "");
    ASSERT_TRUE(with_header);
    EXPECT_FALSE(with_header->next(300ms)) << "no snapshot";
    EXPECT_TRUE(with_header->timed_out());
}

TEST_P(AllEventsSocketTest, EveryCallsEventsArriveOnOneSocketThatStaysOpen) {
    std::string agent_id = agent()["id"];
    auto watcher = watch_all();
    auto second_watcher = watch_all();
    ASSERT_TRUE(watcher && second_watcher);
    std::string first = start_call(agent_id)["call_id"];
    std::string second = start_call(agent_id)["call_id"];

    for (const std::string& id : {first, second}) {
        ASSERT_EQ(api->post("/api/calls/end", {{"call_id", id}}).status, 200);
        for (auto* socket : {watcher.get(), second_watcher.get()}) {
            auto event = socket->next(5s);
            ASSERT_TRUE(event) << "no event for " << id;
            EXPECT_EQ((*event)["type"], "call_ended");
            EXPECT_EQ((*event)["call_id"], id);
            EXPECT_EQ((*event)["reason"], "api_hangup");
            EXPECT_TRUE((*event)["t_ms"].is_number_integer());
        }
    }
    // The end of a call does not close the hub-wide socket.
    EXPECT_FALSE(watcher->next(300ms));
    EXPECT_TRUE(watcher->timed_out());
    EXPECT_FALSE(watcher->closed());

    // A watcher that vanishes is dropped; the others go on.
    second_watcher->abandon();
    std::string third = start_call(agent_id)["call_id"];
    ASSERT_EQ(api->post("/api/calls/end", {{"call_id", third}}).status, 200);
    auto event = watcher->next(5s);
    ASSERT_TRUE(event);
    EXPECT_EQ((*event)["call_id"], third);
    EXPECT_TRUE(voxd->healthy());
}

VOX_API_BOTH_BACKENDS(AllEventsSocketTest);

}  // namespace
}  // namespace vox::calltest
