import type { Agent } from "../../api/types";
import type { PluginRegistry } from "../../api/hooks";

// Real-shaped answers of voxd for the page tests (docs/api.md, GET /api/plugins of a voxd with flite and espeak).

export function agentFixture(overrides: Partial<Agent> = {}): Agent {
  return {
    id: "agent_front",
    name: "Front desk",
    description: "",
    system_prompt: "You are a receptionist.",
    begin_message: "Hello!",
    voice: "slt",
    language: "en-US",
    model: null,
    status: "active",
    tts_provider: "flite",
    settings: {
      temperature: 0.7,
      max_tokens: 256,
      tts_speed: 1.0,
      endpointing_ms: 300,
      interruption_sensitivity: 0.5,
      min_interruption_ms: 400,
      speak_first: true,
      end_call_after_silence_s: 30,
      max_call_duration_s: 1800,
    },
    metadata: {},
    stats: { calls_handled: 12, avg_latency: 520.4, success_rate: 0.8333 },
    created_at: "2026-11-24T07:10:00.000Z",
    updated_at: "2026-11-24T07:10:00.000Z",
    ...overrides,
  } as Agent;
}

export const pluginsFixture: PluginRegistry = {
  generation: 3,
  loaded_at: "2026-11-24T16:20:03.118Z",
  disabled: [{ key: "stt.deepgram", path: "/usr/lib/vox/plugins/stt_deepgram.so" }],
  previous_generations_in_use: 0,
  plugins: [],
  agent_defaults: { stt_provider: "pocketsphinx", llm_provider: "openai", tts_provider: "flite", language: "en-US", vad_provider: "speexdsp" },
  providers: [
    { key: "stt.pocketsphinx", kind: "stt", name: "pocketsphinx", version: "1.0.0", description: "pocketsphinx", plugin: "pocketsphinx", settings_schema: null, capabilities: { languages: ["en-US"] } },
    {
      key: "tts.flite",
      kind: "tts",
      name: "flite",
      version: "1.0.0", description: "flite", plugin: "flite", settings_schema: null,
      capabilities: {
        default_voice: "slt",
        languages: ["en-US"],
        voices: [
          { id: "slt", name: "SLT", language: "en-US", gender: "female", description: "US English female" },
          { id: "rms", name: "RMS", language: "en-US", gender: "male", description: "US English male" },
        ],
      },
    },
    {
      key: "tts.espeak",
      kind: "tts",
      name: "espeak",
      version: "1.0.0", description: "espeak", plugin: "espeak", settings_schema: null,
      capabilities: {
        default_voice: "en-us+klatt",
        languages: ["de-DE", "en-US"],
        voices: [
          { id: "en-us+klatt", name: "US English (Klatt)", language: "en-US", gender: "male" },
          { id: "de", name: "German", language: "de-DE", gender: "male" },
        ],
      },
    },
    { key: "flow_node.say", kind: "flow_node", name: "say", version: "1.0.0", description: "say", plugin: "say", settings_schema: null, capabilities: {} },
  ],
  refused: [
    {
      path: "/usr/lib/vox/plugins/llm_openai.so",
      reason: "init failed (7): llm.openai: no API key for https://api.openai.com/v1: set OPENAI_API_KEY",
    },
  ],
};

/** A minimal OpenAPI document whose AgentSettings ranges differ from the real ones, so a test can tell
 * that the form reads them from the document rather than from anything built in. */
export const openApiFixture = {
  openapi: "3.1.0",
  components: {
    schemas: {
      AgentSettings: {
        type: "object",
        properties: {
          temperature: { type: "number", minimum: 0, maximum: 1.5, default: 0.7, description: "LLM sampling temperature." },
          max_tokens: { type: "integer", exclusiveMinimum: 0, maximum: 4096, default: 256, description: "Longest LLM answer, in tokens." },
          tts_speed: { type: "number", minimum: 0.5, maximum: 2, default: 1.0, description: "Speaking rate." },
          endpointing_ms: { type: "integer", minimum: 120, maximum: 4000, default: 300, description: "Silence that ends the turn." },
          end_call_after_silence_s: { type: "integer", minimum: 5, maximum: 3600, default: 30, description: "Hang up after silence." },
          speak_first: { type: "boolean", default: true, description: "The agent greets first." },
        },
      },
    },
  },
};
