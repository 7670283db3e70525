// A call flow's function node in a live call: the waiting message is spoken
// while the request runs, the API's JSON answer lands in a variable, and an
// equation edge reads into it. The API is a local Poco HTTP server that takes
// its time; the rest are the real local providers.
#include "call_test_support.hpp"

#include <vox/core/call/call_runtime.hpp>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <atomic>

namespace vox::test {
namespace {

using json = nlohmann::json;

// Answers GET /slots?day=... with the free slots, after `delay`.
class SlotsApi {
public:
    explicit SlotsApi(std::chrono::milliseconds delay)
        : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
          server_(new Factory(*this, delay), socket_, new Poco::Net::HTTPServerParams) {
        server_.start();
    }
    ~SlotsApi() { server_.stopAll(true); }
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + path;
    }
    std::string last_uri() const {
        std::lock_guard lock(mutex_);
        return last_uri_;
    }

private:
    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        Handler(SlotsApi& api, std::chrono::milliseconds delay) : api_(api), delay_(delay) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
            {
                std::lock_guard lock(api_.mutex_);
                api_.last_uri_ = request.getURI();
            }
            std::this_thread::sleep_for(delay_);
            response.setContentType("application/json");
            response.send() << R"({"day": "tuesday", "slots": ["9am", "2pm"]})";
        }

    private:
        SlotsApi& api_;
        std::chrono::milliseconds delay_;
    };
    class Factory : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        Factory(SlotsApi& api, std::chrono::milliseconds delay) : api_(api), delay_(delay) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Handler(api_, delay_);
        }

    private:
        SlotsApi& api_;
        std::chrono::milliseconds delay_;
    };

    Poco::Net::ServerSocket socket_;
    Poco::Net::HTTPServer server_;
    mutable std::mutex mutex_;
    std::string last_uri_;
};

TEST(FlowFunctionCall, TheWaitingMessagePlaysWhileTheApiAnswersAndItsJsonChoosesTheBranch) {
    LocalProviders local;
    call::CallRuntime runtime{{.threads = 2}};
    auto transport = std::make_shared<RecordingTransport>();
    auto events = std::make_shared<EventLog>();
    SlotsApi api(std::chrono::milliseconds(1500));

    json flow = {{"start_node_id", "lookup"},
                 {"variables", {{"day", "tuesday"}}},
                 {"nodes",
                  {{{"id", "lookup"},
                    {"type", "function"},
                    {"config",
                     {{"url", api.url("/slots?day={{day}}")},
                      {"method", "GET"},
                      {"result_variable", "free"},
                      {"speak_while_waiting", "One moment while I check {{day}}."}}}},
                   {{"id", "afternoon"}, {"type", "end_call"}, {"config", {{"text", "We have a slot at two."}}}},
                   {{"id", "none"}, {"type", "end_call"}, {"config", {{"text", "Nothing is free."}}}}}},
                 {"edges",
                  {{{"source", "lookup"},
                    {"target", "afternoon"},
                    {"condition", {{"type", "equation"}, {"expression", "free.slots contains '2pm'"}}}},
                   {{"source", "lookup"}, {"target", "none"}}}}};
    call::CallSetup setup;
    setup.call_id = "call_function";
    setup.agent = {{"id", "agent_function"}, {"settings", {{"endpointing_ms", 300}}}};
    setup.sample_rate = 16000;
    setup.providers = local.providers();
    setup.providers.llm = nullptr;
    setup.tts_settings = {{"voice", "slt"}};
    for (const auto& node : flow["nodes"])
        setup.flow_node_types[node["type"]] = local.registry().find("flow_node." + node["type"].get<std::string>());
    setup.flow = flow;
    auto session = call::CallSession::create(runtime, std::move(setup), transport, events);
    session->start();
    PacedCaller caller(*session, 16000);
    ASSERT_TRUE(caller.silence_until([&] { return events->ends() > 0; }, 20s));
    auto result = events->wait_end(1s);
    ASSERT_TRUE(result);

    EXPECT_EQ(api.last_uri(), "/slots?day=tuesday");
    std::vector<std::string> said;
    for (const auto& line : result->transcript) said.push_back(line["text"]);
    EXPECT_EQ(said, (std::vector<std::string>{"One moment while I check tuesday.", "We have a slot at two."}));
    EXPECT_EQ(result->collected_variables["free"]["slots"], (json{"9am", "2pm"}));
    EXPECT_EQ(result->disconnection_reason, "agent_hangup");
    // The waiting message started before the API answered (1.5 s), not after.
    auto first_words = events->wait_type("agent_start_talking");
    ASSERT_TRUE(first_words);
    EXPECT_LT((*first_words)["t_ms"].get<int>(), 1000) << first_words->dump();
    session.reset();
    runtime.stop();
}

}  // namespace
}  // namespace vox::test
