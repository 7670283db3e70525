// The plugin's SSE parser alone: line handling and tool-call assembly.
#include "stream_parser.hpp"

#include <vox/sdk/error.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vox::openai {
namespace {

struct Collected {
    std::string text;
    std::vector<ToolCall> calls;
};

StreamParser parser_for(Collected& out) {
    return StreamParser({[&](std::string_view text) { out.text += text; },
                         [&](const ToolCall& call) { out.calls.push_back(call); }});
}

TEST(StreamParser, ReadsContentCommentsAndDone) {
    Collected out;
    auto parser = parser_for(out);
    for (const char* line : {": keep-alive", "", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\r",
                             "\r", "data:{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":\"length\"}]}",
                             "", "data: [DONE]", ""})
        parser.line(line);
    EXPECT_EQ(out.text, "Hi there");
    EXPECT_TRUE(parser.done());
    EXPECT_EQ(parser.finish_reason(), "length");
}

TEST(StreamParser, AssemblesInterleavedToolCalls) {
    Collected out;
    auto parser = parser_for(out);
    auto send = [&](const std::string& json) {
        parser.line("data: " + json);
        parser.line("");
    };
    send(R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}}]})");
    send(R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"book","arguments":"{\"d"}}]}}]})");
    send(R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]})");
    send(R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"ay\":1}"}}]}}]})");
    send(R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}}]})");
    EXPECT_TRUE(out.calls.empty());  // only whole calls are handed over
    send(R"({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})");
    ASSERT_EQ(out.calls.size(), 2u);
    EXPECT_EQ(out.calls[0].id, "call_a");
    EXPECT_EQ(out.calls[0].name, "get_weather");
    EXPECT_EQ(out.calls[0].arguments, R"({"city":"Paris"})");
    EXPECT_EQ(out.calls[1].id, "call_b");
    EXPECT_EQ(out.calls[1].arguments, R"({"day":1})");
    parser.end();
    EXPECT_EQ(out.calls.size(), 2u);
}

TEST(StreamParser, ErrorEventsAndGarbageThrow) {
    Collected out;
    auto parser = parser_for(out);
    parser.line(R"(data: {"error":{"message":"overloaded","type":"server_error"}})");
    EXPECT_THROW(parser.line(""), sdk::Error);
    parser.line("data: not json");
    EXPECT_THROW(parser.line(""), sdk::Error);
}

}  // namespace
}  // namespace vox::openai
