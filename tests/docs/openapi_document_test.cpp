// docs/openapi.json must be what voxd serves at /openapi.json (bar the version),
// so the published description cannot drift from the server. To refresh the
// copy after changing routes or schemas:
//   VOX_UPDATE_OPENAPI=1 ctest --test-dir build/dev -R docs.OpenApiDocument
#include "http_client.hpp"
#include "voxd_process.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace vox::test {
namespace {

nlohmann::json without_version(nlohmann::json document) {
    document["info"].erase("version");
    return document;
}

TEST(OpenApiDocument, TheCopyInDocsIsWhatVoxdServes) {
    ScratchDirectory dir;
    std::optional<VoxdProcess> voxd;
    auto port = VoxdProcess::start_listening(voxd, {}, {{"VOX_DATA_DIR", (dir.path() / "data").string()}}, dir.path());
    ASSERT_NE(port, 0) << voxd->output();
    auto reply = http_request(port, "GET", "/openapi.json", {{"Authorization", ""}});
    ASSERT_EQ(reply.status, 200) << "the document must be open";
    auto served = without_version(reply.json());
    ASSERT_EQ(served["openapi"], "3.1.0");

    const std::string path = VOX_DOCS_OPENAPI;
    if (std::getenv("VOX_UPDATE_OPENAPI") != nullptr) {
        std::ofstream(path) << served.dump(2) << "\n";
        GTEST_SKIP() << "wrote " << path;
    }
    std::ifstream in(path);
    ASSERT_TRUE(in) << path << " is missing; create it with VOX_UPDATE_OPENAPI=1";
    auto committed = without_version(nlohmann::json::parse(in));
    EXPECT_EQ(committed, served) << path << " differs from what voxd serves; refresh it with "
                                 << "VOX_UPDATE_OPENAPI=1 ctest -R docs.OpenApiDocument and review the diff";
}

}  // namespace
}  // namespace vox::test
