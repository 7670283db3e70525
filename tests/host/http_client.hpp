// A small blocking HTTP client for tests (Poco's), returning the status,
// headers and body of one exchange.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace vox::test {

// The admin key every test voxd is started with (VOX_BOOTSTRAP_API_KEY); the
// port-based http_request sends it unless the caller passes an Authorization
// header of its own (an empty one: send none).
inline constexpr const char* kTestApiKey = "vox_test_key_for_the_host_tests_0001";

struct HttpReply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string header(const std::string& lower_name) const;
    nlohmann::json json() const { return nlohmann::json::parse(body); }
};

HttpReply http_request(Poco::Net::HTTPClientSession& session, const std::string& method, const std::string& path,
                       const std::map<std::string, std::string>& headers = {});
HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& path,
                       const std::map<std::string, std::string>& headers = {});

}  // namespace vox::test
