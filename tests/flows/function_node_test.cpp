// The function node: its config, and its HTTP request against a local server
// (variables in the URL, headers and body; the JSON answer in the result
// variable; the timeout).
#include "flow_node_test_support.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <thread>

namespace vox::test {
namespace {

using FunctionNode = FlowNodes;

Json good_config() {
    return {{"url", "http://127.0.0.1:9/orders/{{order}}"},
            {"method", "POST"},
            {"timeout_ms", 2000},
            {"headers", {{"X-Customer", "{{name}}"}}},
            {"body", R"({"order": "{{order}}"})"},
            {"result_variable", "order_status"},
            {"speak_while_waiting", "One moment"}};
}

TEST_F(FunctionNode, ChecksUrlMethodTimeoutHeadersAndVariable) {
    EXPECT_EQ(validate("function", good_config()), Json::array());
    EXPECT_EQ(validate("function", {{"url", "https://api.example.com/x"}, {"result_variable", "r"}}), Json::array());
    EXPECT_EQ(problem_fields("function", Json::object()), (std::set<std::string>{"/url", "/result_variable"}));
    Json bad = {{"url", "ftp://example.com"},
                {"method", "FETCH"},
                {"timeout_ms", 50},
                {"headers", {{"X-Ok", "1"}, {"X-Bad", 2}}},
                {"body", Json::object()},
                {"result_variable", "has space"},
                {"speak_while_waiting", ""}};
    EXPECT_EQ(problem_fields("function", bad),
              (std::set<std::string>{"/url", "/method", "/timeout_ms", "/headers/X-Bad", "/body", "/result_variable",
                                     "/speak_while_waiting"}));
    EXPECT_EQ(problem_fields("function", {{"url", "http://"}, {"result_variable", "r"}, {"timeout_ms", 30001}}),
              (std::set<std::string>{"/url", "/timeout_ms"}));
    EXPECT_EQ(problem_fields("function", {{"url", "http://x"}, {"result_variable", "r"}, {"headers", "a: b"}}),
              std::set<std::string>{"/headers"});
    // Field names are JSON pointers: "/" and "~" in a key are escaped.
    EXPECT_EQ(problem_fields("function",
                             {{"url", "http://x"}, {"result_variable", "r"}, {"headers", {{"a/b~c", 1}}}, {"x/y", 1}}),
              (std::set<std::string>{"/headers/a~1b~0c", "/x~1y"}));
}

// Answers every request with what it received, after `delay`.
class EchoHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit EchoHandler(std::chrono::milliseconds delay) : delay_(delay) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        std::string body;
        Poco::StreamCopier::copyToString(request.stream(), body);
        std::this_thread::sleep_for(delay_);
        Json answer = {{"method", request.getMethod()},
                       {"uri", request.getURI()},
                       {"customer", request.get("X-Customer", "")},
                       {"content_type", request.getContentType()},
                       {"body", body}};
        response.setContentType("application/json");
        response.send() << answer.dump();
    }

private:
    std::chrono::milliseconds delay_;
};

class EchoFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit EchoFactory(std::chrono::milliseconds delay) : delay_(delay) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new EchoHandler(delay_);
    }

private:
    std::chrono::milliseconds delay_;
};

class EchoServer {
public:
    explicit EchoServer(std::chrono::milliseconds delay = {})
        : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
          server_(new EchoFactory(delay), socket_, new Poco::Net::HTTPServerParams) {
        server_.start();
    }
    ~EchoServer() { server_.stopAll(true); }
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + path;
    }

private:
    Poco::Net::ServerSocket socket_;
    Poco::Net::HTTPServer server_;
};

TEST_F(FunctionNode, SaysItsWaitingMessageFirstThenCallsTheApi) {
    EchoServer server;
    Json config = good_config();
    config["url"] = server.url("/orders/{{order}}?x=1");
    Json variables = {{"order", "A17"}, {"name", "Ada"}};
    Json waiting = step("function", config, variables, "", "", true);
    EXPECT_EQ(waiting.at("say"), "One moment");
    EXPECT_EQ(waiting.at("done"), false);

    Json actions = step("function", config, variables, "", "", false);
    EXPECT_EQ(actions.at("http_status"), 200);
    EXPECT_FALSE(actions.contains("error")) << actions;
    EXPECT_EQ(actions.at("set_variables").at("order_status"), (Json{{"method", "POST"},
                                                                     {"uri", "/orders/A17?x=1"},
                                                                     {"customer", "Ada"},
                                                                     {"content_type", "application/json"},
                                                                     {"body", R"({"order": "A17"})"}}));
    EXPECT_EQ(actions.at("done"), true);
}

TEST_F(FunctionNode, AGetWithoutWaitingMessageCallsAtOnce) {
    EchoServer server;
    Json actions =
        step("function", {{"url", server.url("/ping")}, {"method", "GET"}, {"result_variable", "pong"}});
    EXPECT_EQ(actions.at("set_variables").at("pong").at("method"), "GET");
}

TEST_F(FunctionNode, AnApiSlowerThanTheTimeoutFailsInTime) {
    EchoServer server(std::chrono::milliseconds(1500));
    auto started = std::chrono::steady_clock::now();
    Json actions = step("function", {{"url", server.url("/slow")}, {"timeout_ms", 200}, {"result_variable", "r"}});
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_LT(took, std::chrono::milliseconds(1000));
    EXPECT_NE(actions.at("error").get<std::string>().find("200 ms"), std::string::npos) << actions;
    EXPECT_EQ(actions.at("error_code"), "timeout");
    EXPECT_EQ(actions.at("set_variables"), Json::object());
    EXPECT_EQ(actions.at("done"), true);
}

// https:// speaks TLS: a plain-HTTP server on the other end is a failed request,
// reported, not a crash or a hang.
TEST_F(FunctionNode, HttpsSpeaksTlsAndReportsAFailedHandshake) {
    EchoServer server;
    std::string url = server.url("/x");
    url.replace(0, 4, "https");
    Json actions = step("function", {{"url", url}, {"timeout_ms", 2000}, {"result_variable", "r"}});
    EXPECT_NE(actions.at("error").get<std::string>().find("the TLS handshake with 127.0.0.1 failed"),
              std::string::npos)
        << actions;
    EXPECT_EQ(actions.at("error_code"), "tls");
    EXPECT_EQ(actions.at("set_variables"), Json::object());
}

}  // namespace
}  // namespace vox::test
