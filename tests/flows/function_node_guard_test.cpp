// The function node's guards, through the plugin loaded with its settings:
// blocked networks (defaults, allow_private_networks, blocked_networks, bad
// CIDRs refusing the plugin), the response and request size limits, and the
// error_code of each kind of failure.
#include "flow_node_test_support.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <chrono>

namespace vox::test {
namespace {

using Clock = std::chrono::steady_clock;

// GET /bytes/N answers N bytes (with Content-Length), /chunked/N the same
// chunked (no length up front), /status/N an empty answer with status N;
// anything else {"ok": true}.
class SizedHandler : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        std::string ignored;
        Poco::StreamCopier::copyToString(request.stream(), ignored);
        const std::string& uri = request.getURI();
        auto number = [&](const std::string& prefix) { return std::stoul(uri.substr(prefix.size())); };
        if (uri.rfind("/status/", 0) == 0) {
            response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(number("/status/")));
            response.send() << R"({"failed": true})";
        } else if (uri.rfind("/bytes/", 0) == 0) {
            std::string body(number("/bytes/"), 'x');
            response.setContentLength(static_cast<std::streamsize>(body.size()));
            response.send() << body;
        } else if (uri.rfind("/chunked/", 0) == 0) {
            response.setChunkedTransferEncoding(true);
            std::ostream& out = response.send();
            std::string piece(1000, 'y');
            for (std::size_t left = number("/chunked/"); left > 0; left -= std::min(left, piece.size()))
                out << piece.substr(0, std::min(left, piece.size())) << std::flush;
        } else {
            response.setContentType("application/json");
            response.send() << R"({"ok": true})";
        }
    }
};

class SizedFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new SizedHandler;
    }
};

class SizedServer {
public:
    SizedServer()
        : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
          server_(new SizedFactory, socket_, new Poco::Net::HTTPServerParams) {
        server_.start();
    }
    ~SizedServer() { server_.stopAll(true); }
    std::string port() const { return std::to_string(socket_.address().port()); }
    std::string url(const std::string& path, const std::string& host = "127.0.0.1") const {
        return "http://" + host + ":" + port() + path;
    }

private:
    Poco::Net::ServerSocket socket_;
    Poco::Net::HTTPServer server_;
};

Json get(const std::string& url, const Json& more = Json::object()) {
    Json config = {{"url", url}, {"method", "GET"}, {"timeout_ms", 2000}, {"result_variable", "r"}};
    config.update(more);
    return config;
}

Json settings(const Json& function_settings) { return {{"flow_node.function", function_settings}}; }

// A failed step: the code, no variable set, done.
void expect_failure(const Json& actions, const std::string& code, const std::string& message_part) {
    EXPECT_EQ(actions.value("error_code", ""), code) << actions;
    EXPECT_NE(actions.value("error", "").find(message_part), std::string::npos) << actions;
    EXPECT_EQ(actions.at("set_variables"), Json::object()) << actions;
    EXPECT_EQ(actions.at("done"), true);
}

TEST(FunctionNodeGuard, BlocksMetadataAndLinkLocalAddressesByDefaultWithoutConnecting) {
    ConfiguredNodes nodes(Json::object());
    ASSERT_EQ(nodes.refusal(), "");
    auto started = Clock::now();
    Json actions = nodes.step("function", get("http://169.254.169.254/latest/meta-data/"));
    expect_failure(actions, "blocked_address", "");
    EXPECT_EQ(actions.at("error"),
              "the function node may not call 169.254.169.254: link-local addresses (169.254.0.0/16) are blocked; "
              "see blocked_networks");
    for (const char* url :
         {"http://100.100.100.200/", "http://[fd00:ec2::254]/", "http://0.0.0.0:9/", "http://[fe80::1]/",
          "http://[::ffff:169.254.169.254]/", "http://[::ffff:a9fe:a9fe]/", "http://224.0.0.1/", "http://[::]/"})
        expect_failure(nodes.step("function", get(url)), "blocked_address", "see blocked_networks");
    // Refused before any connection: a real attempt would wait for the timeout.
    EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(1500));
}

TEST(FunctionNodeGuard, AllowsLoopbackAndPrivateNetworksByDefault) {
    SizedServer server;
    ConfiguredNodes nodes(Json::object());
    for (const char* host : {"127.0.0.1", "localhost", "[::ffff:127.0.0.1]"}) {
        Json actions = nodes.step("function", get(server.url("/ok", host)));
        EXPECT_FALSE(actions.contains("error")) << host << ": " << actions;
        EXPECT_EQ(actions.at("set_variables").at("r"), (Json{{"ok", true}})) << host;
    }
}

TEST(FunctionNodeGuard, AllowPrivateNetworksFalseBlocksLoopbackRfc1918AndUla) {
    SizedServer server;
    ConfiguredNodes nodes(settings({{"allow_private_networks", false}}));
    ASSERT_EQ(nodes.refusal(), "");
    Json actions = nodes.step("function", get(server.url("/ok")));
    expect_failure(actions, "blocked_address", "");
    EXPECT_EQ(actions.at("error"),
              "the function node may not call 127.0.0.1: loopback addresses (127.0.0.0/8) are blocked; see "
              "allow_private_networks");
    // A host name is resolved and its address checked.
    expect_failure(nodes.step("function", get(server.url("/ok", "localhost"))), "blocked_address",
                   "may not call localhost (127.0.0.1): loopback addresses");
    expect_failure(nodes.step("function", get(server.url("/ok", "[::ffff:127.0.0.1]"))), "blocked_address",
                   "loopback addresses");
    for (const char* url :
         {"http://10.1.2.3/", "http://172.20.0.1/", "http://192.168.1.1/", "http://[fd12::1]/", "http://[::1]/"})
        expect_failure(nodes.step("function", get(url)), "blocked_address", "see allow_private_networks");
    // The defaults still hold.
    expect_failure(nodes.step("function", get("http://169.254.169.254/")), "blocked_address", "link-local");
    // As an environment variable the value is the string "false".
    ConfiguredNodes from_environment(settings({{"allow_private_networks", "false"}}));
    expect_failure(from_environment.step("function", get(server.url("/ok"))), "blocked_address", "loopback");
}

TEST(FunctionNodeGuard, BlockedNetworksReplacesTheDefaultList) {
    SizedServer server;
    ConfiguredNodes nodes(settings({{"blocked_networks", {"127.0.0.0/8", "10.0.0.0/8"}}}));
    ASSERT_EQ(nodes.refusal(), "");
    expect_failure(nodes.step("function", get(server.url("/ok"))), "blocked_address",
                   "may not call 127.0.0.1: addresses in 127.0.0.0/8 are blocked; see blocked_networks");
    // An IPv4-mapped IPv6 address is checked as the IPv4 address it carries.
    expect_failure(nodes.step("function", get(server.url("/ok", "[::ffff:127.0.0.1]"))), "blocked_address",
                   "127.0.0.0/8");
    expect_failure(nodes.step("function", get("http://10.9.9.9/")), "blocked_address", "10.0.0.0/8");
    // 0.0.0.0 is no longer in the list, and Linux takes it for this host.
    Json actions = nodes.step("function", get(server.url("/ok", "0.0.0.0")));
    EXPECT_EQ(actions.at("set_variables").at("r"), (Json{{"ok", true}})) << actions;

    // A comma-separated string (an environment variable) is a list too; [] blocks nothing.
    ConfiguredNodes listed(settings({{"blocked_networks", "10.0.0.0/8, 127.0.0.1"}}));
    expect_failure(listed.step("function", get(server.url("/ok"))), "blocked_address", "127.0.0.1");
    ConfiguredNodes none(settings({{"blocked_networks", Json::array()}}));
    EXPECT_EQ(none.step("function", get(server.url("/ok", "0.0.0.0"))).at("set_variables").at("r"),
              (Json{{"ok", true}}));
}

TEST(FunctionNodeGuard, BadSettingsRefuseThePluginWithTheReason) {
    struct Case {
        Json settings;
        std::string reason;
    };
    for (const Case& bad : std::vector<Case>{
             {{{"blocked_networks", {"10.0.0.0/33"}}}, "'10.0.0.0/33' is not a network: the prefix length must be"},
             {{{"blocked_networks", {"banana"}}}, "'banana' is not an IPv4 or IPv6 address"},
             {{{"blocked_networks", {"fe80::/129"}}}, "the prefix length must be 0 to 128"},
             {{{"blocked_networks", {"10.0.0.1/8"}}}, "did you mean 10.0.0.0/8?"},
             {{{"blocked_networks", {"10.0.0.0/"}}}, "the prefix length must be"},
             {{{"blocked_networks", 10}}, "blocked_networks must be a list"},
             {{{"allow_private_networks", "no"}}, "allow_private_networks must be true or false"},
             {{{"max_response_bytes", 0}}, "max_response_bytes must be a whole number"},
             {{{"max_response_bytes", "1MB"}}, "max_response_bytes must be a whole number"},
             {{{"ca_file", "/nonexistent/ca.pem"}}, "ca_file '/nonexistent/ca.pem' is not a readable file"},
             {{{"blocked_network", {"10.0.0.0/8"}}}, "unknown setting \"blocked_network\""},
         }) {
        ConfiguredNodes nodes(settings(bad.settings));
        EXPECT_NE(nodes.refusal().find("flow_node.function: "), std::string::npos) << nodes.refusal();
        EXPECT_NE(nodes.refusal().find(bad.reason), std::string::npos) << bad.settings << ": " << nodes.refusal();
    }
    ConfiguredNodes good(settings({{"blocked_networks", {"10.0.0.0/8", "fd00::/8", "192.0.2.7"}},
                                   {"allow_private_networks", true},
                                   {"max_response_bytes", "2048"}}));
    EXPECT_EQ(good.refusal(), "");
}

TEST(FunctionNodeGuard, AResponseOverMaxResponseBytesFailsTheStep) {
    SizedServer server;
    ConfiguredNodes nodes(settings({{"max_response_bytes", 1000}}));
    ASSERT_EQ(nodes.refusal(), "");
    Json exact = nodes.step("function", get(server.url("/bytes/1000")));
    EXPECT_EQ(exact.at("set_variables").at("r"), std::string(1000, 'x')) << exact;
    expect_failure(nodes.step("function", get(server.url("/bytes/1001"))), "response_too_large",
                   "is 1001 bytes, more than max_response_bytes (1000)");
    // Without a Content-Length the limit holds while reading.
    Json chunked = nodes.step("function", get(server.url("/chunked/1000")));
    EXPECT_EQ(chunked.at("set_variables").at("r"), std::string(1000, 'y')) << chunked;
    expect_failure(nodes.step("function", get(server.url("/chunked/5000"))), "response_too_large",
                   "larger than 1000 bytes (max_response_bytes)");
}

TEST(FunctionNodeGuard, TheDefaultResponseLimitIsOneMebibyte) {
    SizedServer server;
    ConfiguredNodes nodes(Json::object());
    Json fits = nodes.step("function", get(server.url("/chunked/1048576")));
    EXPECT_EQ(fits.at("set_variables").at("r").get<std::string>().size(), 1048576u);
    expect_failure(nodes.step("function", get(server.url("/chunked/1049576"))), "response_too_large",
                   "larger than 1048576 bytes");
}

TEST(FunctionNodeGuard, ARequestBodyOverOneHundredKilobytesIsNotSent) {
    SizedServer server;
    ConfiguredNodes nodes(Json::object());
    Json config = get(server.url("/ok"), {{"method", "POST"}, {"body", "{{big}}"}});
    Json fits = nodes.step("function", config, {{"big", std::string(100000, 'b')}});
    EXPECT_EQ(fits.at("set_variables").at("r"), (Json{{"ok", true}})) << fits;
    expect_failure(nodes.step("function", config, {{"big", std::string(100001, 'b')}}), "request_too_large",
                   "100001 bytes after replacing the variables, more than 100000");
}

TEST(FunctionNodeGuard, EachFailureHasItsErrorCode) {
    SizedServer server;
    ConfiguredNodes nodes(Json::object());
    // An error status keeps the answer in the variable and says http_status.
    Json status = nodes.step("function", get(server.url("/status/503")));
    EXPECT_EQ(status.at("error_code"), "http_status");
    EXPECT_EQ(status.at("error"), "the API answered 503");
    EXPECT_EQ(status.at("set_variables").at("r"), (Json{{"failed", true}}));
    // A redirect is the answer, not followed.
    Json redirect = nodes.step("function", get(server.url("/status/302")));
    EXPECT_EQ(redirect.at("http_status"), 302);
    EXPECT_FALSE(redirect.contains("error_code")) << redirect;

    std::string closed_port;
    {
        Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
        closed_port = std::to_string(probe.address().port());
    }
    expect_failure(nodes.step("function", get("http://127.0.0.1:" + closed_port + "/")), "connect",
                   "cannot connect to 127.0.0.1:" + closed_port);
    expect_failure(nodes.step("function", get("http://no-such-host.invalid/")), "connect",
                   "cannot resolve the host name 'no-such-host.invalid'");
    expect_failure(nodes.step("function", get("http://{{host}}/x"), {{"host", ""}}), "invalid_url", "has no host");
    expect_failure(nodes.step("function", get("{{scheme}}://example.com/"), {{"scheme", "ftp"}}), "invalid_url",
                   "is not an http:// or https:// address");
}

}  // namespace
}  // namespace vox::test
