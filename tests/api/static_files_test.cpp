// voxd serves the built dashboard at / (http.web_root): files with their
// content types and caching, index.html for the app's own routes, 404 for a
// missing file, nothing outside the root (.., encoded traversal, absolute
// paths, symlinks), the API untouched, and a page explaining how to build the
// dashboard when there is none.
#include "api_server.hpp"

#include <filesystem>
#include <fstream>

namespace vox::apitest {
namespace {

namespace fs = std::filesystem;

constexpr const char* kIndex = "<!doctype html><title>Vox dashboard</title><div id=root></div>";
constexpr const char* kImmutable = "public, max-age=31536000, immutable";

void write_file(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

std::string raw_get(const std::string& target) { return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"; }

// A dashboard build like Vite's, and a secret beside it that must stay out of reach.
class StaticFilesTest : public ApiTest {
protected:
    StaticFilesTest() {
        root_ = scratch_.path() / "dist";
        write_file(root_ / "index.html", kIndex);
        write_file(root_ / "assets" / "index-3f2a1b.js", "console.log('app')");
        write_file(root_ / "assets" / "index-3f2a1b.css", "body{margin:0}");
        write_file(root_ / "assets" / "index-3f2a1b.js.map", "{\"version\":3}");
        write_file(root_ / "assets" / "font-9c.woff2", std::string("wOF2\0\1", 6));
        write_file(root_ / "favicon.ico", std::string("\0\0\1\0", 4));
        write_file(root_ / "logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        write_file(root_ / "icon.png", "\x89PNG");
        write_file(root_ / "manifest.json", "{}");
        write_file(root_ / "samples" / "hello.wav", "RIFF");
        write_file(scratch_.path() / "secret.txt", "do not serve");
        fs::create_symlink(scratch_.path() / "secret.txt", root_ / "linked.txt");
        fs::create_directory_symlink(scratch_.path(), root_ / "escape");
    }
    Environment environment() const override { return {{"VOX_HTTP_WEB_ROOT", root_.string()}}; }

    // Static answers are not in the OpenAPI document: no conformance check.
    Reply get(const std::string& target) { return voxd->unchecked_client("").get(target); }

    test::ScratchDirectory scratch_;
    fs::path root_;
};

TEST_P(StaticFilesTest, FilesAreServedWithTheirTypeAndCaching) {
    struct Case {
        std::string path, type, cache;
    };
    for (const auto& [path, type, cache] : std::vector<Case>{
             {"/", "text/html; charset=utf-8", "no-cache"},
             {"/index.html", "text/html; charset=utf-8", "no-cache"},
             {"/assets/index-3f2a1b.js", "text/javascript; charset=utf-8", kImmutable},
             {"/assets/index-3f2a1b.css", "text/css; charset=utf-8", kImmutable},
             {"/assets/index-3f2a1b.js.map", "application/json", kImmutable},
             {"/assets/font-9c.woff2", "font/woff2", kImmutable},
             {"/favicon.ico", "image/x-icon", "no-cache"},
             {"/logo.svg", "image/svg+xml", "no-cache"},
             {"/icon.png", "image/png", "no-cache"},
             {"/manifest.json", "application/json", "no-cache"},
             {"/samples/hello.wav", "audio/wav", "no-cache"},
         }) {
        auto reply = get(path);
        EXPECT_EQ(reply.status, 200) << path << " -> " << reply.describe();
        EXPECT_EQ(reply.header("content-type"), type) << path;
        EXPECT_EQ(reply.header("cache-control"), cache) << path;
    }
    EXPECT_EQ(get("/").body, kIndex);
    EXPECT_EQ(get("/assets/index-3f2a1b.js").body, "console.log('app')");
    EXPECT_EQ(get("/assets/font-9c.woff2").body, std::string("wOF2\0\1", 6));

    auto head = voxd->unchecked_client("").request("HEAD", "/assets/index-3f2a1b.css");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("content-length"), "14");
    EXPECT_TRUE(head.body.empty());
}

TEST_P(StaticFilesTest, TheAppsOwnRoutesAnswerIndexHtml) {
    for (const char* path : {"/agents", "/agents/agent_x/flow", "/calls/call_123", "/settings/", "/assets"}) {
        auto reply = get(path);
        EXPECT_EQ(reply.status, 200) << path << " -> " << reply.describe();
        EXPECT_EQ(reply.body, kIndex) << path;
        EXPECT_EQ(reply.header("cache-control"), "no-cache") << path;
    }
}

TEST_P(StaticFilesTest, AMissingFileIsA404Problem) {
    for (const char* path : {"/assets/gone-123.js", "/nothing.png", "/agents/agent_x/export.csv"})
        EXPECT_PROBLEM(get(path), 404, "not_found") << path;
    // Not GET or HEAD: no file is written or deleted here.
    auto post = voxd->unchecked_client("").request("POST", "/index.html", std::string("{}"));
    EXPECT_PROBLEM(post, 404, "not_found");
}

TEST_P(StaticFilesTest, NothingOutsideTheRootIsServed) {
    for (const char* target :
         {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/assets/%2E%2E%2F%2E%2E%2Fsecret.txt",
          "/..%2Fsecret.txt", "/%2Fetc%2Fpasswd", "//etc/passwd", "/assets/..%5C..%5Csecret.txt", "/linked.txt",
          "/escape/secret.txt", "/index.html%00.png", "/%252e%252e/secret.txt", "/../secret"}) {
        auto reply = raw_exchange(voxd->port(), raw_get(target));
        EXPECT_EQ(reply.status, 404) << target << " -> " << reply.describe();
        EXPECT_EQ(reply.body.find("do not serve"), std::string::npos) << target;
    }
}

TEST_P(StaticFilesTest, ApiRoutesKeepPriorityAndTheirOwn404s) {
    EXPECT_EQ(get("/healthz").header("content-type"), "application/json");
    EXPECT_EQ(get("/openapi.json").status, 200);
    EXPECT_PROBLEM(get("/api/agents"), 401, "missing_api_key");  // the API still needs a key
    EXPECT_PROBLEM(api->get("/api/no-such-thing"), 404, "not_found");
    EXPECT_PROBLEM(get("/api"), 404, "not_found");
    EXPECT_PROBLEM(get("/ws/unknown"), 404, "not_found");
    EXPECT_PROBLEM(get("/metrics/extra"), 404, "not_found");
    EXPECT_EQ(get("/metrics").status, 200);
    // The document leaves the dashboard out.
    for (const auto& [path, item] : voxd->checker().document()["paths"].items())
        EXPECT_TRUE(path.rfind("/api/", 0) == 0 || path.rfind("/ws/", 0) == 0 || path == "/healthz" ||
                    path == "/metrics" || path == "/openapi.json")
            << path;
}

VOX_API_BOTH_BACKENDS(StaticFilesTest);

// A web root without an index.html: no dashboard is built.
class NoDashboardTest : public ApiTest {
protected:
    Environment environment() const override { return {{"VOX_HTTP_WEB_ROOT", scratch_.path().string()}}; }
    test::ScratchDirectory scratch_;
};

TEST_P(NoDashboardTest, TheRootExplainsHowToBuildIt) {
    for (const char* path : {"/", "/agents/agent_x/flow"}) {
        auto reply = voxd->unchecked_client("").get(path);
        EXPECT_EQ(reply.status, 200) << path;
        EXPECT_EQ(reply.header("content-type"), "text/html; charset=utf-8");
        EXPECT_NE(reply.body.find("cd web &amp;&amp; npm ci &amp;&amp; npm run build"), std::string::npos)
            << reply.body;
        EXPECT_NE(reply.body.find("scripts/run"), std::string::npos);
    }
    EXPECT_PROBLEM(voxd->unchecked_client("").get("/assets/index-1.js"), 404, "not_found");
    EXPECT_EQ(api->get("/api/agents").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, NoDashboardTest, ::testing::Values(TestBackend::sqlite), backend_label);

}  // namespace
}  // namespace vox::apitest
