// What the API acknowledged survives kill -9 of voxd, on both backends, and
// concurrent writers lose nothing: 100 parallel creates over keep-alive
// connections, racing registrations of one number.
#include "api_server.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace vox::apitest {
namespace {

using namespace std::chrono_literals;

class DurabilityTest : public ApiTest {
protected:
    // Restarts voxd on the same database after kill -9 and points `api` at it.
    void kill_and_restart() {
        voxd->kill9();
        ASSERT_TRUE(voxd->start());
        api.emplace(voxd->client());
    }
};

TEST_P(DurabilityTest, EverythingAcknowledgedSurvivesKill9) {
    std::map<std::string, Json> agents, numbers, calls, flows;
    for (int i = 0; i < 20; ++i) {
        Json agent = create_agent(Json{{"name", "Agent " + std::to_string(i)},
                                       {"settings", {{"temperature", 0.05 * i}}},
                                       {"metadata", {{"i", i}}}});
        ASSERT_TRUE(agent.is_object());
        agents[agent["id"]] = agent;
    }
    std::vector<std::string> agent_ids;
    for (const auto& [id, agent] : agents) agent_ids.push_back(id);
    for (int i = 0; i < 3; ++i) {
        Json flow = {{"start_node_id", "n0"},
                     {"nodes", {{{"id", "n0"}, {"type", "conversation"}, {"config", {{"text", "Hi"}}}}, {{"id", "n1"}, {"type", "end_call"}}}},
                     {"edges", {{{"source", "n0"}, {"target", "n1"}}}},
                     {"global_prompt", "flow " + std::to_string(i)}};
        auto reply = api->put("/api/agents/" + agent_ids[i] + "/flow", flow);
        ASSERT_EQ(reply.status, 200) << reply.describe();
        flows[agent_ids[i]] = reply.json();
    }
    for (int i = 0; i < 10; ++i) {
        Json body = {{"number", "+1415555030" + std::to_string(i)}};
        if (i % 2 == 0) body["assigned_agent_id"] = agent_ids[static_cast<std::size_t>(i)];
        Json number = create_number(body);
        ASSERT_TRUE(number.is_object());
        numbers[number["id"]] = number;
    }
    for (int i = 0; i < 5; ++i) {
        Json call = create_call({{"agent_id", agent_ids[static_cast<std::size_t>(i)]},
                                 {"direction", "inbound"},
                                 {"status", "completed"},
                                 {"transcript", {{{"speaker", "user"}, {"text", "call " + std::to_string(i)}}}}});
        ASSERT_TRUE(call.is_object());
        calls[call["id"]] = call;
    }
    // Updates and deletes are acknowledged writes too.
    auto renamed = api->put("/api/agents/" + agent_ids[5], {{"name", "Renamed"}, {"settings", {{"max_tokens", 77}}}});
    ASSERT_EQ(renamed.status, 200);
    agents[agent_ids[5]] = renamed.json();
    auto deleted = api->del("/api/agents/" + agent_ids[19]);
    ASSERT_EQ(deleted.status, 204);
    agents.erase(agent_ids[19]);
    std::string number_id = numbers.begin()->first;
    auto reassigned = api->put("/api/phone-numbers/" + number_id, {{"assigned_agent_id", agent_ids[7]}, {"nickname", "moved"}});
    ASSERT_EQ(reassigned.status, 200);
    numbers[number_id] = reassigned.json();
    auto key_reply = api->post("/api/keys", {{"name", "survivor"}});
    ASSERT_EQ(key_reply.status, 201);
    Json key = key_reply.json();
    // The very last acknowledgement, then SIGKILL at once.
    Json last = create_agent("Last one");
    agents[last["id"]] = last;

    kill_and_restart();

    for (const auto& [id, agent] : agents) EXPECT_EQ(api->get("/api/agents/" + id).json(), agent) << id;
    EXPECT_EQ(api->get("/api/agents/" + agent_ids[19]).status, 404);
    for (const auto& [id, flow] : flows) EXPECT_EQ(api->get("/api/agents/" + id + "/flow").json(), flow) << id;
    for (const auto& [id, number] : numbers) EXPECT_EQ(api->get("/api/phone-numbers/" + id).json(), number) << id;
    for (const auto& [id, call] : calls) EXPECT_EQ(api->get("/api/calls/" + id).json(), call) << id;
    auto listed = ids_of(list_all("/api/agents"));
    EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()).size(), agents.size());
    EXPECT_EQ(listed.size(), agents.size());
    EXPECT_EQ(list_all("/api/phone-numbers").size(), numbers.size());
    EXPECT_EQ(list_all("/api/calls").size(), calls.size());
    auto with_key = voxd->client(key["key"]);
    EXPECT_EQ(with_key.get("/api/agents").status, 200);
}

TEST_P(DurabilityTest, AcknowledgedCreatesSurviveKill9UnderLoad) {
    constexpr int kThreads = 4;
    std::atomic<int> acknowledged{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::vector<std::string> acked_ids;
    int attempted_without_answer = 0;
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t) {
        writers.emplace_back([&, t] {
            Client client(voxd->port(), kTestApiKey);
            client.set_timeout(5s);
            for (int i = 0; !stop.load(); ++i) {
                auto reply = client.post("/api/agents", {{"name", "load " + std::to_string(t) + "/" + std::to_string(i)}});
                std::lock_guard lock(mutex);
                if (reply.status == 201) {
                    acked_ids.push_back(reply.json()["id"]);
                    ++acknowledged;
                } else {
                    // Killed mid-request: this one may or may not have been stored. Stop here.
                    if (reply.status == 0) ++attempted_without_answer;
                    else ADD_FAILURE() << "unexpected answer under load: " << reply.describe();
                    return;
                }
            }
        });
    }
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (acknowledged.load() < 60 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
    voxd->kill9();  // with requests in flight
    stop = true;
    for (auto& writer : writers) writer.join();
    ASSERT_GE(acknowledged.load(), 60) << voxd->output().substr(0, 3000);

    ASSERT_TRUE(voxd->start());
    api.emplace(voxd->client());
    auto listed = ids_of(list_all("/api/agents"));
    std::set<std::string> stored(listed.begin(), listed.end());
    EXPECT_EQ(stored.size(), listed.size()) << "duplicates in the list";
    for (const auto& id : acked_ids) EXPECT_TRUE(stored.count(id)) << "acknowledged " << id << " was lost";
    // Besides the acknowledged, at most the ones in flight at the kill.
    EXPECT_LE(stored.size(), acked_ids.size() + static_cast<std::size_t>(attempted_without_answer));
    EXPECT_GE(stored.size(), acked_ids.size());
}

TEST_P(DurabilityTest, HundredParallelCreatesLoseNothing) {
    constexpr int kThreads = 8;
    constexpr int kTotal = 100;
    std::atomic<int> next{0};
    std::mutex mutex;
    std::vector<std::string> ids;
    std::map<int, int> statuses;
    std::vector<int> connections(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            Client client = voxd->client();  // one keep-alive connection per thread, replies checked
            for (int i = next++; i < kTotal; i = next++) {
                auto reply = client.post("/api/agents", {{"name", "parallel " + std::to_string(i)},
                                                         {"metadata", {{"i", i}}}});
                std::lock_guard lock(mutex);
                ++statuses[reply.status];
                if (reply.status == 201) ids.push_back(reply.json()["id"]);
            }
            connections[static_cast<std::size_t>(t)] = client.connections_opened();
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(statuses[201], kTotal);
    EXPECT_EQ(statuses.size(), 1u) << "answers other than 201";
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), static_cast<std::size_t>(kTotal));
    for (int opened : connections) EXPECT_LE(opened, 1) << "a connection was not kept alive";

    auto listed = list_all("/api/agents");
    auto listed_ids = ids_of(listed);
    EXPECT_EQ(listed.size(), static_cast<std::size_t>(kTotal));
    EXPECT_EQ(std::set<std::string>(listed_ids.begin(), listed_ids.end()), std::set<std::string>(ids.begin(), ids.end()));
    std::set<int> numbers;
    for (const auto& agent : listed) numbers.insert(agent["metadata"].value("i", -1));
    EXPECT_EQ(numbers.size(), static_cast<std::size_t>(kTotal));
    EXPECT_EQ(*numbers.begin(), 0);
    EXPECT_EQ(*numbers.rbegin(), kTotal - 1);
    // And by pages of 7, the same set.
    auto paged = ids_of(list_all("/api/agents", 7));
    EXPECT_EQ(paged, listed_ids);
}

TEST_P(DurabilityTest, RacingRegistrationsOfOneNumberLeaveOne) {
    std::string agent = create_agent("Racer")["id"];
    constexpr int kThreads = 8;
    std::mutex mutex;
    std::map<int, int> statuses;
    std::vector<std::thread> threads;
    std::atomic<int> ready{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            Client client = voxd->client();
            Json body = {{"number", "+14155550400"}, {"nickname", "thread " + std::to_string(t)}};
            if (t % 2) body["assigned_agent_id"] = agent;
            ++ready;
            while (ready.load() < kThreads) std::this_thread::yield();
            for (int attempt = 0; attempt < 3; ++attempt) {
                auto reply = client.post("/api/phone-numbers", body);
                std::lock_guard lock(mutex);
                ++statuses[reply.status];
                if (reply.status == 409) {
                    EXPECT_PROBLEM(reply, 409, "duplicate_phone_number");
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(statuses[201], 1);
    EXPECT_EQ(statuses[409], kThreads * 3 - 1);
    auto listed = list_all("/api/phone-numbers");
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["number"], "+14155550400");
}

TEST_P(DurabilityTest, TwoAdminsRevokingEachOtherAtOnceLeaveOne) {
    // The last-admin rule must hold under concurrency: A revokes B while B
    // revokes A; at most one may succeed, or nobody can administer the server.
    std::string survivor = kTestApiKey;
    for (int round = 0; round < 30; ++round) {
        auto admin = voxd->client(survivor);
        auto created = admin.post("/api/keys", {{"name", "peer " + std::to_string(round)}});
        ASSERT_EQ(created.status, 201) << "round " << round << ": " << created.describe();
        std::string peer = created.json()["key"];
        std::string peer_id = created.json()["id"];
        std::string survivor_id;
        for (const auto& key : admin.get("/api/keys").json())
            if (key["revoked_at"].is_null() && key["id"] != peer_id) survivor_id = key["id"];
        ASSERT_FALSE(survivor_id.empty());

        std::atomic<int> ready{0};
        int first = 0, second = 0;
        auto revoke = [&](const std::string& key, const std::string& victim, int& status) {
            auto client = voxd->client(key);
            client.get("/healthz");  // connect first, so both requests leave together
            ++ready;
            while (ready.load() < 2) std::this_thread::yield();
            status = client.del("/api/keys/" + victim).status;
        };
        std::thread a(revoke, survivor, peer_id, std::ref(first));
        std::thread b(revoke, peer, survivor_id, std::ref(second));
        a.join();
        b.join();
        ASSERT_FALSE(first == 204 && second == 204)
            << "round " << round << ": both admins revoked each other; no admin key is left";
        survivor = first == 204 ? survivor : peer;
        ASSERT_EQ(voxd->client(survivor).get("/api/keys").status, 200) << "round " << round;
    }
}

TEST_P(DurabilityTest, ConcurrentUpdatesOfDifferentSettingsAllSurvive) {
    // Each PUT changes one setting and is acknowledged with it; settings merge
    // per key, so every acknowledged change must be in the final agent.
    std::string id = create_agent("Shared")["id"];
    const std::vector<std::pair<std::string, Json>> changes = {
        {"temperature", 1.25}, {"max_tokens", 999},           {"tts_speed", 1.5},
        {"endpointing_ms", 700}, {"interruption_sensitivity", 0.9}, {"min_interruption_ms", 250},
        {"speak_first", false}, {"end_call_after_silence_s", 45}};
    std::atomic<int> ready{0};
    std::vector<int> statuses(changes.size(), 0);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < changes.size(); ++i) {
        threads.emplace_back([&, i] {
            auto client = voxd->client();
            client.get("/healthz");
            ++ready;
            while (ready.load() < static_cast<int>(changes.size())) std::this_thread::yield();
            statuses[i] = client.put("/api/agents/" + id, {{"settings", {{changes[i].first, changes[i].second}}}}).status;
        });
    }
    for (auto& thread : threads) thread.join();
    Json settings = api->get("/api/agents/" + id).json()["settings"];
    for (std::size_t i = 0; i < changes.size(); ++i) {
        ASSERT_EQ(statuses[i], 200);
        EXPECT_EQ(settings[changes[i].first], changes[i].second) << "the acknowledged change of " << changes[i].first
                                                               << " was lost: " << settings.dump();
    }
}

VOX_API_BOTH_BACKENDS(DurabilityTest);

}  // namespace
}  // namespace vox::apitest
