// voxctl llm: one chat completion with an LLM provider loaded locally, the
// answer streamed to stdout as it arrives; time to first token and total time
// on stderr (or everything as one JSON object with --json).
#include "command.hpp"
#include "local_plugins.hpp"

#include <vox/core/providers/llm_client.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>

namespace voxctl {
namespace {

using Clock = std::chrono::steady_clock;

struct Answer {
    std::mutex mutex;
    std::condition_variable changed;
    std::string text;
    nlohmann::json tool_calls = nlohmann::json::array();
    std::optional<Clock::time_point> first_token;
    std::optional<std::string> finish_reason;
    std::optional<vox::ProviderError> error;
};

std::string read_prompt(const ParsedArgs& args) {
    std::string prompt = args.required("prompt");
    if (prompt == "-") {
        prompt.clear();
        char buffer[4096];
        for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0;) prompt.append(buffer, n);
    }
    if (prompt.find_first_not_of(" \t\r\n") == std::string::npos) throw UsageError("--prompt is empty: nothing to ask");
    return prompt;
}

// "openai" or "llm.openai" -> the registered provider, or a clear error.
const vox::Provider& find_llm_provider(LocalPlugins& plugins, const std::string& name) {
    std::string key = name.rfind("llm.", 0) == 0 ? name : "llm." + name;
    if (const vox::Provider* provider = plugins.registry().find(key); provider != nullptr) return *provider;
    std::string available;
    for (const auto* provider : plugins.registry().providers(vox::ProviderKind::llm))
        available += (available.empty() ? "" : ", ") + provider->key;
    std::ostringstream message;
    message << "no LLM provider '" << name << "' (available: " << (available.empty() ? "none" : available) << ")";
    for (const auto& refused : plugins.registry().refused())
        message << "; refused " << refused.origin << ": " << refused.reason;
    throw UsageError(message.str());
}

double ms_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

int run_llm(const ParsedArgs& args) {
    std::string prompt = read_prompt(args);
    bool json = args.flag("json");
    auto timeout = std::chrono::seconds(parse_integer("timeout", args.value_or("timeout", "120"), 1, 3600));

    nlohmann::json request = {{"messages", nlohmann::json::array()}};
    if (auto system = args.value("system")) request["messages"].push_back({{"role", "system"}, {"content", *system}});
    request["messages"].push_back({{"role", "user"}, {"content", prompt}});
    if (auto model = args.value("model")) request["model"] = *model;
    if (auto temperature = args.value("temperature"))
        request["temperature"] = parse_number("temperature", *temperature, 0.0, 2.0);
    if (auto max_tokens = args.value("max-tokens"))
        request["max_tokens"] = parse_integer("max-tokens", *max_tokens, 1, 1000000);

    LocalPlugins plugins(args.value_or(kPluginPathOption, ""));
    const vox::Provider& provider = find_llm_provider(plugins, args.value_or("provider", "openai"));

    Answer answer;
    vox::LlmCallbacks callbacks;
    callbacks.on_token = [&](std::uint64_t, std::string_view text) {
        std::lock_guard lock(answer.mutex);
        if (!answer.first_token) answer.first_token = Clock::now();
        answer.text.append(text);
        if (!json) {
            std::fwrite(text.data(), 1, text.size(), stdout);
            std::fflush(stdout);
        }
    };
    callbacks.on_tool_call = [&](std::uint64_t, const vox::LlmToolCall& call) {
        std::lock_guard lock(answer.mutex);
        if (!answer.first_token) answer.first_token = Clock::now();
        nlohmann::json arguments = nlohmann::json::parse(call.arguments_json, nullptr, false);
        if (arguments.is_discarded()) arguments = call.arguments_json;  // as the model wrote it
        answer.tool_calls.push_back({{"id", call.id}, {"name", call.name}, {"arguments", arguments}});
    };
    callbacks.on_done = [&](std::uint64_t, std::string_view reason) {
        std::lock_guard lock(answer.mutex);
        answer.finish_reason = std::string(reason);
        answer.changed.notify_all();
    };
    callbacks.on_error = [&](std::uint64_t, const vox::ProviderError& error) {
        std::lock_guard lock(answer.mutex);
        answer.error = error;
        answer.changed.notify_all();
    };

    auto started = Clock::now();
    {
        vox::LlmClient client(provider, std::move(callbacks));
        auto generation = client.start(request);
        std::unique_lock lock(answer.mutex);
        if (!answer.changed.wait_for(lock, timeout, [&] { return answer.finish_reason || answer.error; })) {
            lock.unlock();
            client.cancel(generation);
            throw std::runtime_error(provider.key + ": no complete answer within " + std::to_string(timeout.count()) +
                                     " s (--timeout)");
        }
    }  // the client waits for its generation to end: no callback after this
    auto finished = Clock::now();
    if (answer.error) throw *answer.error;

    double ttft = answer.first_token ? ms_between(started, *answer.first_token) : ms_between(started, finished);
    double total = ms_between(started, finished);
    if (json) {
        std::cout << nlohmann::json{{"text", answer.text},
                                    {"tool_calls", answer.tool_calls},
                                    {"finish_reason", *answer.finish_reason},
                                    {"provider", provider.key},
                                    {"ttft_ms", ttft},
                                    {"total_ms", total}}
                         .dump()
                  << "\n";
    } else {
        if (!answer.text.empty() && answer.text.back() != '\n') std::cout << "\n";
        for (const auto& call : answer.tool_calls) std::cout << "[tool call] " << call.dump() << "\n";
        std::cout.flush();
        char line[256];
        std::snprintf(line, sizeof line, "time to first token: %.0f ms, total: %.0f ms, finish: %s", ttft, total,
                      answer.finish_reason->c_str());
        std::cerr << line << "\n";
    }
    return kExitOk;
}

}  // namespace

Command make_llm_command() {
    return Command{
        "llm",
        "ask an LLM provider loaded locally and stream its answer",
        "voxctl llm [--provider openai] [--model M] [--system TEXT] --prompt TEXT [--json]",
        "Sends one chat completion request (an optional system message and the prompt) and writes the\n"
        "answer to stdout as it streams in; time to first token and total time go to stderr. Tool calls\n"
        "are printed after the text. The openai provider reads OPENAI_BASE_URL (default\n"
        "https://api.openai.com/v1) and OPENAI_API_KEY.\n\n"
        "Examples:\n"
        "  OPENAI_API_KEY=sk-... voxctl llm --model gpt-4o-mini --prompt 'Say hi in five words'\n"
        "  OPENAI_BASE_URL=http://127.0.0.1:11434/v1 voxctl llm --model llama3.2 --prompt - < question.txt\n"
        "  voxctl llm --model gpt-4o-mini --prompt 'Hi' --json   # {text, tool_calls, finish_reason, ttft_ms, total_ms}",
        {
            {"provider", "NAME", "LLM provider (default openai)"},
            {"model", "MODEL", "model id (default: the provider's configured model)"},
            {"system", "TEXT", "system message"},
            {"prompt", "TEXT", "the user message; '-' reads it from stdin (required)"},
            {"temperature", "T", "sampling temperature, 0 to 2"},
            {"max-tokens", "N", "longest answer, in tokens"},
            {"timeout", "SECONDS", "give up after this long (default 120)"},
            {kPluginPathOption, "DIRS", kPluginPathHelp},
            {"json", "", "print one JSON object {text, tool_calls, finish_reason, ttft_ms, total_ms} instead"},
        },
        false,
        run_llm,
    };
}

}  // namespace voxctl
