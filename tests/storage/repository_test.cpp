// The repositories, the same suite on SQLite and on a real PostgreSQL server.
#include "test_database.hpp"

#include <vox/core/storage/errors.hpp>
#include <vox/core/storage/migrations.hpp>
#include <vox/core/time.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

namespace {

using vox::storage::ConflictError;
using vox::storage::Json;
using vox::testing::TestBackend;

Json agent(const std::string& id, const std::string& created) {
    return {{"id", id},          {"name", "Agent " + id}, {"created_at", created}, {"updated_at", created},
            {"model", "gpt-4o"}, {"settings", {{"temperature", 0.7}}}};
}

Json call(const std::string& id, const std::string& agent_id, const std::string& status, const std::string& direction,
          const std::string& started) {
    return {{"id", id}, {"agent_id", agent_id}, {"status", status}, {"direction", direction}, {"started_at", started}};
}

vox::storage::PhoneNumber number(const std::string& id, const std::string& e164, std::optional<std::string> agent_id) {
    vox::storage::PhoneNumber n;
    n.id = id;
    n.number = e164;
    n.assigned_agent_id = std::move(agent_id);
    n.status = n.assigned_agent_id ? "active" : "unassigned";
    n.created_at = n.updated_at = vox::time::now_iso8601();
    return n;
}

class RepositoryTest : public ::testing::TestWithParam<TestBackend> {
protected:
    void SetUp() override {
        database = std::make_unique<vox::testing::TestDatabase>(GetParam());
        store = vox::storage::open_store(database->options());
    }
    std::unique_ptr<vox::testing::TestDatabase> database;
    vox::storage::Store store;
};

TEST_P(RepositoryTest, AgentsRoundTripAsDocuments) {
    store.agents->create(agent("agent_a", "2026-01-01T00:00:00.000Z"));
    auto fetched = store.agents->get("agent_a");
    ASSERT_TRUE(fetched);
    EXPECT_EQ((*fetched)["name"], "Agent agent_a");
    EXPECT_DOUBLE_EQ((*fetched)["settings"]["temperature"].get<double>(), 0.7);
    EXPECT_FALSE(store.agents->get("agent_missing"));

    Json changed = *fetched;
    changed["name"] = "Renamed";
    changed["updated_at"] = "2026-01-02T00:00:00.000Z";
    EXPECT_TRUE(store.agents->replace(changed));
    EXPECT_EQ((*store.agents->get("agent_a"))["name"], "Renamed");
    Json ghost = agent("agent_ghost", "2026-01-01T00:00:00.000Z");
    EXPECT_FALSE(store.agents->replace(ghost));

    EXPECT_TRUE(store.agents->remove("agent_a", false));
    EXPECT_FALSE(store.agents->get("agent_a"));
    EXPECT_FALSE(store.agents->remove("agent_a", false));
}

TEST_P(RepositoryTest, DuplicateAgentIdIsRefused) {
    store.agents->create(agent("agent_a", "2026-01-01T00:00:00.000Z"));
    EXPECT_ANY_THROW(store.agents->create(agent("agent_a", "2026-01-01T00:00:00.000Z")));
}

TEST_P(RepositoryTest, PagingWalksEveryAgentOnceNewestFirst) {
    // Two share a timestamp, so the id breaks the tie.
    for (int i = 0; i < 7; ++i)
        store.agents->create(agent("agent_" + std::to_string(i), "2026-01-0" + std::to_string(1 + std::min(i, 5)) + "T00:00:00.000Z"));
    std::vector<std::string> seen;
    vox::storage::PageRequest request;
    request.limit = 3;
    int pages = 0;
    while (true) {
        auto page = store.agents->list(request);
        ++pages;
        for (const auto& item : page.items) seen.push_back(item["id"]);
        if (!page.next_cursor) break;
        request.cursor = page.next_cursor;
        ASSERT_LT(pages, 10);
    }
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen, (std::vector<std::string>{"agent_6", "agent_5", "agent_4", "agent_3", "agent_2", "agent_1", "agent_0"}));
}

TEST_P(RepositoryTest, AForgedCursorIsRejected) {
    vox::storage::PageRequest request;
    request.cursor = "not-a-cursor";
    EXPECT_THROW(store.agents->list(request), vox::storage::InvalidCursorError);
    vox::storage::CallFilter filter;
    EXPECT_THROW(store.calls->list(filter, request), vox::storage::InvalidCursorError);
}

TEST_P(RepositoryTest, FlowsBelongToAnAgent) {
    store.agents->create(agent("agent_a", "2026-01-01T00:00:00.000Z"));
    EXPECT_FALSE(store.agents->get_flow("agent_a"));
    Json flow = {{"nodes", Json::array({{{"id", "start"}}})}, {"edges", Json::array()}};
    EXPECT_TRUE(store.agents->put_flow("agent_a", flow, "2026-01-01T00:00:01.000Z"));
    flow["nodes"].push_back({{"id", "end"}});
    EXPECT_TRUE(store.agents->put_flow("agent_a", flow, "2026-01-01T00:00:02.000Z"));
    EXPECT_EQ((*store.agents->get_flow("agent_a"))["nodes"].size(), 2U);
    EXPECT_FALSE(store.agents->put_flow("agent_nobody", flow, "2026-01-01T00:00:02.000Z"));
    EXPECT_TRUE(store.agents->remove("agent_a", false));
    EXPECT_FALSE(store.agents->get_flow("agent_a"));
}

TEST_P(RepositoryTest, AnAgentWithNumbersIsNotDeletedUnlessAsked) {
    store.agents->create(agent("agent_a", "2026-01-01T00:00:00.000Z"));
    store.phone_numbers->create(number("pn_1", "+14155550100", "agent_a"));
    try {
        store.agents->remove("agent_a", false);
        FAIL() << "expected a conflict";
    } catch (const ConflictError& e) {
        EXPECT_EQ(e.code(), "agent_has_phone_numbers");
    }
    EXPECT_TRUE(store.agents->get("agent_a"));
    EXPECT_TRUE(store.agents->remove("agent_a", true));
    auto n = store.phone_numbers->get("pn_1");
    ASSERT_TRUE(n);
    EXPECT_FALSE(n->assigned_agent_id);
    EXPECT_EQ(n->status, "unassigned");
}

TEST_P(RepositoryTest, PhoneNumbersAreUniqueAndReferenceRealAgents) {
    store.agents->create(agent("agent_a", "2026-01-01T00:00:00.000Z"));
    store.phone_numbers->create(number("pn_1", "+14155550100", std::nullopt));
    try {
        store.phone_numbers->create(number("pn_2", "+14155550100", std::nullopt));
        FAIL() << "expected a conflict";
    } catch (const ConflictError& e) {
        EXPECT_EQ(e.code(), "duplicate_phone_number");
    }
    try {
        store.phone_numbers->create(number("pn_3", "+14155550101", "agent_nobody"));
        FAIL() << "expected a conflict";
    } catch (const ConflictError& e) {
        EXPECT_EQ(e.code(), "agent_not_found");
    }
    auto n = *store.phone_numbers->get("pn_1");
    n.assigned_agent_id = "agent_a";
    n.status = "active";
    EXPECT_TRUE(store.phone_numbers->update(n));
    EXPECT_EQ(*store.phone_numbers->find_by_number("+14155550100")->assigned_agent_id, "agent_a");
    n.assigned_agent_id = "agent_nobody";
    EXPECT_THROW(store.phone_numbers->update(n), ConflictError);
    store.phone_numbers->count_call("+14155550100");
    EXPECT_EQ(store.phone_numbers->get("pn_1")->calls_received, 1);
    EXPECT_EQ(store.phone_numbers->get("pn_1")->to_json()["assigned_agent_id"], "agent_a");
    EXPECT_TRUE(store.phone_numbers->remove("pn_1"));
    EXPECT_FALSE(store.phone_numbers->remove("pn_1"));
    EXPECT_FALSE(store.phone_numbers->get("pn_3"));
}

TEST_P(RepositoryTest, PhoneNumberPaging) {
    for (int i = 0; i < 5; ++i) {
        auto n = number("pn_" + std::to_string(i), "+1415555010" + std::to_string(i), std::nullopt);
        n.created_at = "2026-01-0" + std::to_string(i + 1) + "T00:00:00.000Z";
        store.phone_numbers->create(n);
    }
    vox::storage::PageRequest request;
    request.limit = 2;
    std::optional<std::string> next;
    auto first = store.phone_numbers->list(request, next);
    ASSERT_EQ(first.size(), 2U);
    EXPECT_EQ(first[0].id, "pn_4");
    ASSERT_TRUE(next);
    request.cursor = next;
    request.limit = 10;
    auto rest = store.phone_numbers->list(request, next);
    EXPECT_EQ(rest.size(), 3U);
    EXPECT_EQ(rest.back().id, "pn_0");
    EXPECT_FALSE(next);
}

TEST_P(RepositoryTest, CallsFilterByAgentStatusDirectionAndTime) {
    store.calls->create(call("call_1", "agent_a", "completed", "inbound", "2026-03-01T10:00:00.000Z"));
    store.calls->create(call("call_2", "agent_a", "failed", "outbound", "2026-03-02T10:00:00.000Z"));
    store.calls->create(call("call_3", "agent_b", "completed", "inbound", "2026-03-03T10:00:00.000Z"));
    store.calls->create(call("call_4", "agent_b", "in_progress", "web", "2026-03-04T10:00:00.000Z"));
    auto ids = [&](const vox::storage::CallFilter& filter) {
        std::vector<std::string> out;
        for (const auto& item : store.calls->list(filter, {}).items) out.push_back(item["id"]);
        return out;
    };
    vox::storage::CallFilter filter;
    EXPECT_EQ(ids(filter), (std::vector<std::string>{"call_4", "call_3", "call_2", "call_1"}));
    filter.agent_id = "agent_a";
    EXPECT_EQ(ids(filter), (std::vector<std::string>{"call_2", "call_1"}));
    filter.status = "completed";
    EXPECT_EQ(ids(filter), (std::vector<std::string>{"call_1"}));
    vox::storage::CallFilter by_direction;
    by_direction.direction = "inbound";
    EXPECT_EQ(ids(by_direction), (std::vector<std::string>{"call_3", "call_1"}));
    vox::storage::CallFilter by_time;
    by_time.started_after = "2026-03-02T00:00:00.000Z";
    by_time.started_before = "2026-03-04T00:00:00.000Z";
    EXPECT_EQ(ids(by_time), (std::vector<std::string>{"call_3", "call_2"}));

    auto live = store.calls->in_progress();
    ASSERT_EQ(live.size(), 1U);
    EXPECT_EQ(live[0]["id"], "call_4");
    Json ended = live[0];
    ended["status"] = "failed";
    EXPECT_TRUE(store.calls->replace(ended));
    EXPECT_TRUE(store.calls->in_progress().empty());
    EXPECT_EQ((*store.calls->get("call_4"))["status"], "failed");
}

TEST_P(RepositoryTest, ApiKeysAreFoundByHashAndRevoked) {
    vox::storage::ApiKey key{"key_1", "ci", "vox_ab12", std::string(64, 'a'), "admin", "2026-01-01T00:00:00.000Z",
                             std::nullopt, std::nullopt};
    store.api_keys->create(key);
    EXPECT_EQ(store.api_keys->count_active(), 1U);
    auto found = store.api_keys->find_by_hash(std::string(64, 'a'));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->name, "ci");
    EXPECT_FALSE(found->to_json().contains("hash"));
    store.api_keys->touch("key_1", "2026-01-02T00:00:00.000Z");
    EXPECT_EQ(*store.api_keys->find_by_hash(std::string(64, 'a'))->last_used_at, "2026-01-02T00:00:00.000Z");
    using Outcome = vox::storage::ApiKeyRepository::RevokeOutcome;
    EXPECT_EQ(store.api_keys->revoke("key_1", "2026-01-03T00:00:00.000Z", true), Outcome::last_admin);
    EXPECT_EQ(store.api_keys->count_active(), 1U);
    EXPECT_EQ(store.api_keys->revoke("key_1", "2026-01-03T00:00:00.000Z", false), Outcome::revoked);
    EXPECT_EQ(store.api_keys->revoke("key_1", "2026-01-03T00:00:00.000Z", false), Outcome::not_found);
    EXPECT_EQ(store.api_keys->count_active(), 0U);
    EXPECT_EQ(store.api_keys->list().size(), 1U);
}

TEST_P(RepositoryTest, MigrationsAreAppliedOnce) {
    EXPECT_EQ(vox::storage::schema_version(*store.database), vox::storage::migrations().back().version);
    EXPECT_TRUE(vox::storage::migrate(*store.database).empty());
    auto reopened = vox::storage::open_store(database->options());  // a restart
    EXPECT_EQ(vox::storage::schema_version(*reopened.database), vox::storage::migrations().back().version);
}

TEST_P(RepositoryTest, HundredParallelCreatesLoseNothing) {
    constexpr int kThreads = 8;
    constexpr int kPerThread = 13;  // 104 in all
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                try {
                    std::string id = "agent_" + std::to_string(t) + "_" + std::to_string(i);
                    store.agents->create(agent(id, vox::time::now_iso8601()));
                    store.phone_numbers->create(
                        number("pn_" + std::to_string(t) + "_" + std::to_string(i),
                               "+1415" + std::to_string(1000000 + t * 1000 + i), id));
                } catch (...) {
                    failures.fetch_add(1);
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    vox::storage::PageRequest request;
    request.limit = 1000;
    auto page = store.agents->list(request);
    std::set<std::string> ids;
    for (const auto& item : page.items) ids.insert(item["id"]);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

INSTANTIATE_TEST_SUITE_P(Backends, RepositoryTest, ::testing::Values(TestBackend::sqlite, TestBackend::postgresql),
                         [](const auto& param_info) { return vox::testing::backend_name(param_info.param); });

}  // namespace
