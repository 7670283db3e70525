// The "openai" plugin: provider llm.openai, any OpenAI-compatible Chat
// Completions server (OpenAI, Groq, Ollama, vLLM, llama.cpp server), streamed
// over server-sent events, with tool calls.
#include "config.hpp"
#include "openai_llm.hpp"

#include <vox/sdk/llm.hpp>
#include <vox/sdk/plugin.hpp>

#include <string_view>

namespace vox::openai {
namespace {

struct OpenAiPlugin : sdk::Plugin {
    OpenAiPlugin(sdk::Host host, std::string_view config_json) : Plugin(host), llm(parse_plugin_config(config_json)) {}
    OpenAiLlm llm;
};

const vox_plugin_descriptor* openai_descriptor() {
    static const vox_provider llm = sdk::llm_provider<&OpenAiPlugin::llm>(
        {"openai", "OpenAI-compatible Chat Completions (OpenAI, Groq, Ollama, vLLM, llama.cpp server), streamed",
         capabilities_json(), settings_schema_json()});
    static const vox_provider* const providers[] = {&llm};
    static const vox_plugin_descriptor descriptor = sdk::plugin_descriptor<OpenAiPlugin>(
        {"openai", "1.0.0", "LLM provider for OpenAI-compatible chat completion servers"}, providers);
    return &descriptor;
}

}  // namespace
}  // namespace vox::openai

VOX_PLUGIN_ENTRY(vox::openai::openai_descriptor)
