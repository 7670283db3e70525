// Storage URLs, timestamps and cursors: the parts with no database behind them.
#include "../../core/src/storage/page_cursor.hpp"

#include <vox/core/storage/database.hpp>
#include <vox/core/storage/errors.hpp>
#include <vox/core/time.hpp>

#include <gtest/gtest.h>

namespace {

using vox::storage::Backend;
using vox::storage::parse_storage_url;

TEST(StorageUrl, EmptyMeansSqliteInTheDataDirectory) {
    auto parsed = parse_storage_url("", "/var/lib/vox");
    EXPECT_EQ(parsed.backend, Backend::sqlite);
    EXPECT_EQ(parsed.connection_string, "/var/lib/vox/vox.db");
}

TEST(StorageUrl, SqliteFile) {
    EXPECT_EQ(parse_storage_url("sqlite:///srv/vox/db.sqlite", "").connection_string, "/srv/vox/db.sqlite");
}

TEST(StorageUrl, PostgresqlBecomesKeywordsWithTheMaskedPasswordForDisplay) {
    auto parsed = parse_storage_url("postgresql://vox:s3cret@db.internal:5433/voxprod?sslmode=require", "");
    EXPECT_EQ(parsed.backend, Backend::postgresql);
    EXPECT_EQ(parsed.connection_string, "host=db.internal port=5433 user=vox password=s3cret dbname=voxprod sslmode=require");
    EXPECT_EQ(parsed.display_url.find("s3cret"), std::string::npos);
    EXPECT_NE(parsed.display_url.find("***"), std::string::npos);
}

TEST(StorageUrl, UnknownSchemeIsAClearError) {
    try {
        parse_storage_url("mysql://localhost/vox", "");
        FAIL();
    } catch (const vox::storage::StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("'mysql' is not supported"), std::string::npos);
    }
}

TEST(StorageUrl, AnUnreachableServerFailsAtOpen) {
    vox::storage::DatabaseOptions options;
    options.url = "postgresql://vox@127.0.0.1:1/none?connect_timeout=2";
    EXPECT_THROW(vox::storage::Database database(options), vox::storage::UnavailableError);
}

TEST(Time, FormatsFixedWidthUtc) {
    auto when = std::chrono::system_clock::from_time_t(0) + std::chrono::milliseconds(1234);
    EXPECT_EQ(vox::time::to_iso8601(when), "1970-01-01T00:00:01.234Z");
    EXPECT_EQ(vox::time::now_iso8601().size(), 24U);
}

TEST(Time, ParsesOffsetsDatesAndRejectsNonsense) {
    auto parsed = vox::time::parse_iso8601("2026-11-24T08:00:00+02:00");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(vox::time::to_iso8601(*parsed), "2026-11-24T06:00:00.000Z");
    EXPECT_EQ(vox::time::to_iso8601(*vox::time::parse_iso8601("2026-11-24")), "2026-11-24T00:00:00.000Z");
    EXPECT_EQ(vox::time::to_iso8601(*vox::time::parse_iso8601("2026-11-24T06:00:00.5Z")), "2026-11-24T06:00:00.500Z");
    EXPECT_FALSE(vox::time::parse_iso8601("2026-02-31"));
    EXPECT_FALSE(vox::time::parse_iso8601("yesterday"));
    EXPECT_FALSE(vox::time::parse_iso8601("2026-11-24T25:00:00Z"));
    EXPECT_FALSE(vox::time::parse_iso8601("2026-11-24T06:00:00Zjunk"));
}

TEST(Cursor, RoundTripsAndRejectsForgeries) {
    auto cursor = vox::storage::encode_cursor({"2026-01-01T00:00:00.000Z", "agent_x"});
    auto decoded = vox::storage::decode_cursor(cursor);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->id, "agent_x");
    EXPECT_EQ(decoded->sort_key, "2026-01-01T00:00:00.000Z");
    EXPECT_FALSE(vox::storage::decode_cursor("garbage!"));
    EXPECT_FALSE(vox::storage::decode_cursor(""));
}

}  // namespace
