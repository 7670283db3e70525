import type { Agent, AgentInput } from "../../api/types";
import { formatJson, parseJsonText } from "../../components/forms/jsonText";
import type { SettingSpec } from "./settingsSchema";

/** What the agent form edits: text as typed (numbers too, so a half-typed value is kept). */
export interface AgentFormState {
  name: string;
  description: string;
  system_prompt: string;
  begin_message: string;
  status: "active" | "inactive";
  language: string;
  stt_provider: string;
  llm_provider: string;
  tts_provider: string;
  voice: string;
  model: string;
  settings: Record<string, string | boolean>;
  tools: string;
  fallbacks: string;
}

/** The JSON Pointers of the form's fields, where a 422's errors are shown. */
export function agentFieldPointers(specs: SettingSpec[]): string[] {
  return [
    "/name",
    "/description",
    "/system_prompt",
    "/begin_message",
    "/status",
    "/language",
    "/stt_provider",
    "/llm_provider",
    "/tts_provider",
    "/voice",
    "/model",
    "/tools",
    "/fallbacks",
    ...specs.map((spec) => `/settings/${spec.name}`),
  ];
}

function settingsText(specs: SettingSpec[], values: Record<string, unknown>): Record<string, string | boolean> {
  const settings: Record<string, string | boolean> = {};
  for (const spec of specs) {
    const value = values[spec.name] ?? spec.default;
    settings[spec.name] = spec.type === "boolean" ? value === true : value === undefined ? "" : String(value);
  }
  return settings;
}

export function newAgentForm(specs: SettingSpec[]): AgentFormState {
  return {
    name: "",
    description: "",
    system_prompt: "",
    begin_message: "",
    status: "active",
    language: "",
    stt_provider: "",
    llm_provider: "",
    tts_provider: "",
    voice: "",
    model: "",
    settings: settingsText(specs, {}),
    tools: "[]",
    fallbacks: "{}",
  };
}

export function agentToForm(agent: Agent, specs: SettingSpec[]): AgentFormState {
  return {
    name: agent.name,
    description: agent.description ?? "",
    system_prompt: agent.system_prompt ?? "",
    begin_message: agent.begin_message ?? "",
    status: agent.status,
    language: agent.language ?? "",
    stt_provider: agent.stt_provider ?? "",
    llm_provider: agent.llm_provider ?? "",
    tts_provider: agent.tts_provider ?? "",
    voice: agent.voice ?? "",
    model: agent.model ?? "",
    settings: settingsText(specs, (agent.settings ?? {}) as Record<string, unknown>),
    tools: formatJson(agent.tools ?? []),
    fallbacks: formatJson(agent.fallbacks ?? {}),
  };
}

/** A setting's value as a number, or why it is not one; undefined when left empty. */
export function settingNumber(text: string): number | undefined | "invalid" {
  if (text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : "invalid";
}

export type BuiltBody = { ok: true; body: AgentInput } | { ok: false; errors: Record<string, string> };

/**
 * The POST or PUT body. Empty optional fields are left out (the server's defaults apply); on an update an empty
 * model or provider is sent as null, which clears it. Ranges are the server's to check; only what cannot be sent is caught here.
 */
export function buildAgentBody(form: AgentFormState, specs: SettingSpec[], isNew: boolean): BuiltBody {
  const errors: Record<string, string> = {};
  const body: Record<string, unknown> = {
    name: form.name.trim(),
    description: form.description,
    system_prompt: form.system_prompt,
    begin_message: form.begin_message,
    status: form.status,
  };
  if (!body.name) errors["/name"] = "a name is required";
  for (const field of ["language", "stt_provider", "llm_provider", "tts_provider", "voice"] as const) {
    const value = form[field].trim();
    if (value) body[field] = value;
    // On an update, an empty provider is sent as null: back to the server's [agents] default.
    else if (!isNew && field.endsWith("_provider")) body[field] = null;
  }
  const model = form.model.trim();
  if (model) body.model = model;
  else if (!isNew) body.model = null;

  const settings: Record<string, number | boolean> = {};
  for (const spec of specs) {
    const value = form.settings[spec.name];
    if (typeof value === "boolean") {
      settings[spec.name] = value;
      continue;
    }
    const number = settingNumber(value ?? "");
    if (number === "invalid") errors[`/settings/${spec.name}`] = "must be a number";
    else if (number !== undefined) settings[spec.name] = number;
  }
  body.settings = settings;

  const tools = parseJsonText(form.tools, "array");
  if (tools.ok) body.tools = tools.value;
  else errors["/tools"] = tools.error;
  const fallbacks = parseJsonText(form.fallbacks, "object");
  if (fallbacks.ok) body.fallbacks = fallbacks.value;
  else errors["/fallbacks"] = fallbacks.error;

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: body as AgentInput };
}
