// Paging of the list endpoints: limit and cursor, the next page named by both
// X-Next-Cursor and Link, newest first with no duplicates or gaps, and the
// refusals (bad limit, forged cursor, unknown parameter).
#include "api_server.hpp"

#include <Poco/Base64Encoder.h>

#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace vox::apitest {
namespace {

using namespace std::chrono_literals;

// The target of a Link: <target>; rel="next" header, or "" when there is none.
std::string next_link(const Reply& reply) {
    static const std::regex pattern(R"(^<([^>]+)>;\s*rel="next"$)");
    std::smatch match;
    std::string link = reply.header("link");
    if (!std::regex_match(link, match, pattern)) return "";
    return match[1];
}

std::string base64url(const std::string& text) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.rdbuf()->setLineLength(0);
    encoder << text;
    encoder.close();
    return out.str();
}

class PagingTest : public ApiTest {
protected:
    // Walks `collection` with `limit`, once by X-Next-Cursor and once by Link,
    // checking that both walks agree page by page; returns the items' ids.
    std::vector<std::string> walk(const std::string& collection, int limit, std::vector<std::size_t>& page_sizes) {
        std::vector<std::string> ids;
        std::string by_cursor = collection + "?limit=" + std::to_string(limit);
        std::string by_link = by_cursor;
        for (int page = 0; page < 100; ++page) {
            auto reply = api->get(by_cursor);
            EXPECT_EQ(reply.status, 200) << by_cursor << " -> " << reply.describe();
            if (reply.status != 200) break;
            auto linked = api->get(by_link);
            EXPECT_EQ(linked.status, 200) << by_link << " -> " << linked.describe();
            EXPECT_EQ(linked.body, reply.body) << "the Link and X-Next-Cursor walks differ at page " << page;
            Json items = reply.json();
            page_sizes.push_back(items.size());
            for (const auto& item : items) ids.push_back(item["id"]);
            std::string cursor = reply.header("x-next-cursor");
            std::string link = next_link(reply);
            EXPECT_EQ(cursor.empty(), link.empty()) << "X-Next-Cursor '" << cursor << "' vs Link '"
                                                    << reply.header("link") << "'";
            if (cursor.empty()) break;
            EXPECT_EQ(link.rfind(collection + "?", 0), 0u) << link;
            EXPECT_NE(link.find("limit=" + std::to_string(limit)), std::string::npos) << link;
            by_cursor = collection + "?limit=" + std::to_string(limit) + "&cursor=" + url_encode(cursor);
            by_link = link;
        }
        return ids;
    }
};

TEST_P(PagingTest, AgentsWalkNewestFirstWithoutDuplicatesOrGaps) {
    std::vector<std::string> created;
    for (int i = 0; i < 7; ++i) {
        created.push_back(create_agent("Agent " + std::to_string(i))["id"]);
        std::this_thread::sleep_for(3ms);  // distinct created_at (millisecond resolution): a strict order
    }
    std::vector<std::size_t> sizes;
    auto ids = walk("/api/agents", 3, sizes);
    EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 1}));
    std::vector<std::string> newest_first(created.rbegin(), created.rend());
    EXPECT_EQ(ids, newest_first);

    // Exact page boundaries: 7 items by 7 has no next page; by 1 has seven pages.
    sizes.clear();
    EXPECT_EQ(walk("/api/agents", 7, sizes), newest_first);
    EXPECT_EQ(sizes, (std::vector<std::size_t>{7}));
    sizes.clear();
    EXPECT_EQ(walk("/api/agents", 1, sizes), newest_first);
    EXPECT_EQ(sizes.size(), 7u);
    // The default page (50) holds them all, with no next page.
    auto all = api->get("/api/agents");
    EXPECT_EQ(all.json().size(), 7u);
    EXPECT_FALSE(all.has_header("x-next-cursor"));
    EXPECT_FALSE(all.has_header("link"));
    auto max = api->get("/api/agents?limit=500");
    EXPECT_EQ(max.status, 200);
}

TEST_P(PagingTest, AWalkIsStableWhileNewItemsArrive) {
    std::vector<std::string> created;
    for (int i = 0; i < 5; ++i) {
        created.push_back(create_agent("Agent " + std::to_string(i))["id"]);
        std::this_thread::sleep_for(3ms);
    }
    auto first = api->get("/api/agents?limit=2");
    ASSERT_EQ(first.status, 200);
    std::string cursor = first.header("x-next-cursor");
    ASSERT_FALSE(cursor.empty());
    create_agent("Newcomer");  // newer than everything: must not shift the pages after the cursor
    auto second = api->get("/api/agents?limit=2&cursor=" + url_encode(cursor));
    ASSERT_EQ(second.status, 200);
    std::vector<std::string> ids;
    for (const auto& item : second.json()) ids.push_back(item["id"]);
    EXPECT_EQ(ids, (std::vector<std::string>{created[2], created[1]}));
}

TEST_P(PagingTest, PhoneNumbersAndCallsPageTheSameWay) {
    std::vector<std::string> numbers;
    for (int i = 0; i < 5; ++i) {
        numbers.push_back(create_number({{"number", "+1415555020" + std::to_string(i)}})["id"]);
        std::this_thread::sleep_for(3ms);
    }
    std::vector<std::size_t> sizes;
    EXPECT_EQ(walk("/api/phone-numbers", 2, sizes), std::vector<std::string>(numbers.rbegin(), numbers.rend()));
    EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 1}));

    std::string agent = create_agent("Caller")["id"];
    std::vector<std::string> calls;
    for (int i = 0; i < 5; ++i)
        calls.push_back(create_call({{"agent_id", agent},
                                     {"direction", "inbound"},
                                     {"status", i % 2 ? "failed" : "completed"},
                                     {"started_at", "2026-05-0" + std::to_string(i + 1) + "T08:00:00Z"}})["id"]);
    sizes.clear();
    EXPECT_EQ(walk("/api/calls", 2, sizes), std::vector<std::string>(calls.rbegin(), calls.rend()));
    EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 1}));

    // Filters carry over to the next page (through Link too).
    auto page = api->get("/api/calls?status=completed&limit=1");
    ASSERT_EQ(page.status, 200);
    std::string link = next_link(page);
    EXPECT_NE(link.find("status=completed"), std::string::npos) << link;
    std::vector<std::string> completed;
    std::string target = "/api/calls?status=completed&limit=1";
    for (int i = 0; i < 10 && !target.empty(); ++i) {
        auto reply = api->get(target);
        ASSERT_EQ(reply.status, 200) << reply.describe();
        for (const auto& call : reply.json()) completed.push_back(call["id"]);
        target = next_link(reply);
    }
    EXPECT_EQ(completed, (std::vector<std::string>{calls[4], calls[2], calls[0]}));
}

TEST_P(PagingTest, BadLimitsAndUnknownParametersAre400) {
    create_agent("One");
    for (const char* collection : {"/api/agents", "/api/phone-numbers", "/api/calls"}) {
        for (const char* limit : {"0", "501", "abc", "-1", "1.5", "", "99999", "1e2", "%201"}) {
            auto reply = api->get(std::string(collection) + "?limit=" + limit);
            EXPECT_PROBLEM(reply, 400, "invalid_parameter") << collection << " limit=" << limit;
        }
        EXPECT_EQ(api->get(std::string(collection) + "?limit=1").status, 200);
        EXPECT_EQ(api->get(std::string(collection) + "?limit=500").status, 200);
        for (const char* query : {"?foo=1", "?Limit=3", "?limit=3&page=2", "?offset=0", "?cursor_=x"}) {
            auto reply = api->get(std::string(collection) + query);
            EXPECT_PROBLEM(reply, 400, "invalid_parameter") << collection << query;
        }
    }
    EXPECT_PROBLEM(api->del("/api/agents/agent_x?force=true"), 400, "invalid_parameter");
}

TEST_P(PagingTest, ForgedCursorsAre400) {
    for (int i = 0; i < 3; ++i) create_agent("Agent " + std::to_string(i));
    std::vector<std::string> forged = {"garbage",
                                       "!!!!",
                                       std::string(600, 'A'),
                                       base64url("v2\t2026-01-01T00:00:00.000Z\tagent_x"),
                                       base64url("v1\t\tagent_x"),
                                       base64url("v1\t2026-01-01T00:00:00.000Z"),
                                       base64url("no tabs at all")};
    for (const char* collection : {"/api/agents", "/api/phone-numbers", "/api/calls"}) {
        for (const auto& cursor : forged) {
            auto reply = api->get(std::string(collection) + "?limit=2&cursor=" + url_encode(cursor));
            // The code is not pinned down by the issue; a cursor problem is a bad parameter either way.
            bool as_expected = is_problem(reply, 400, "invalid_cursor") || is_problem(reply, 400, "invalid_parameter");
            EXPECT_TRUE(as_expected) << collection << " cursor=" << cursor << " -> " << reply.describe();
        }
    }
}

TEST_P(PagingTest, AWellFormedCursorWithHostileContentIsNeverAServerError) {
    // Decodes fine, but carries bytes that are not UTF-8 and quotes: the position
    // is compared in SQL, so it must stay a bound parameter of the right encoding.
    for (int i = 0; i < 3; ++i) create_agent("Agent " + std::to_string(i));
    for (const std::string& position : {std::string("v1\t\xff\xfe\t\xc0\xaf"), std::string("v1\t' OR 1=1 --\tagent_x"),
                                        std::string("v1\t2026-01-01T00:00:00.000Z\tagent_") + '\0' + "x"}) {
        for (const char* collection : {"/api/agents", "/api/phone-numbers", "/api/calls"}) {
            auto reply = api->get(std::string(collection) + "?cursor=" + url_encode(base64url(position)));
            EXPECT_TRUE(reply.status == 200 || reply.status == 400) << collection << " -> " << reply.describe();
        }
    }
}

VOX_API_BOTH_BACKENDS(PagingTest);

}  // namespace
}  // namespace vox::apitest
