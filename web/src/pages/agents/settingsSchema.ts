import { useQuery } from "@tanstack/react-query";
import { rawFetch } from "../../api/client";

/** One agent setting as the server's OpenAPI document describes it (so ranges never drift from the API). */
export interface SettingSpec {
  name: string;
  type: "integer" | "number" | "boolean";
  minimum?: number;
  maximum?: number;
  default?: number | boolean;
  description?: string;
}

interface RawProperty {
  type?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  exclusiveMinimum?: unknown;
  default?: unknown;
  description?: unknown;
}

const asNumber = (value: unknown) => (typeof value === "number" ? value : undefined);

/** Reads components.schemas.AgentSettings.properties out of an OpenAPI document. */
export function settingSpecsFromOpenApi(document: unknown): SettingSpec[] {
  const properties = (document as { components?: { schemas?: { AgentSettings?: { properties?: unknown } } } })
    ?.components?.schemas?.AgentSettings?.properties;
  if (!properties || typeof properties !== "object") {
    throw new Error("the server's OpenAPI document has no AgentSettings schema");
  }
  const specs: SettingSpec[] = [];
  for (const [name, raw] of Object.entries(properties as Record<string, RawProperty>)) {
    const type = raw.type;
    if (type !== "integer" && type !== "number" && type !== "boolean") continue;
    let minimum = asNumber(raw.minimum);
    const exclusiveMinimum = asNumber(raw.exclusiveMinimum);
    // An integer above an exclusive minimum starts one higher; a number keeps it as a bound for the hint.
    if (minimum === undefined && exclusiveMinimum !== undefined) {
      minimum = type === "integer" ? exclusiveMinimum + 1 : exclusiveMinimum;
    }
    const fallback = raw.default;
    specs.push({
      name,
      type,
      minimum,
      maximum: asNumber(raw.maximum),
      default: typeof fallback === "number" || typeof fallback === "boolean" ? fallback : undefined,
      description: typeof raw.description === "string" ? raw.description : undefined,
    });
  }
  return specs;
}

/** GET /openapi.json (open, no key): the settings, their ranges and defaults. */
export function useAgentSettingSpecs() {
  return useQuery({
    queryKey: ["openapi", "AgentSettings"],
    queryFn: async () => settingSpecsFromOpenApi(await (await rawFetch("/openapi.json")).json()),
    staleTime: Infinity,
  });
}

/** The unit a setting's name carries ("_ms", "_s"), or its kind ("×" for a speed, tokens). */
export function settingUnit(name: string): string {
  if (name.endsWith("_ms")) return "ms";
  if (name.endsWith("_s")) return "s";
  if (name.includes("speed")) return "×";
  if (name.includes("tokens")) return "tokens";
  return "";
}

/** "end_call_after_silence_s" → "End call after silence". */
export function settingLabel(name: string): string {
  const words = name.replace(/_(ms|s)$/, "").replace(/_/g, " ");
  // Acronyms stay upper-case ("tts_speed" → "TTS speed").
  const titled = words.charAt(0).toUpperCase() + words.slice(1);
  return titled.replace(/\b(tts|stt|llm)\b/gi, (acronym) => acronym.toUpperCase());
}

export function settingStep(spec: SettingSpec): number {
  return spec.type === "integer" ? 1 : 0.05;
}

/** "100–5000 ms", "0.5–2 ×", "at least 1 tokens"... */
export function settingRange(spec: SettingSpec): string {
  const unit = settingUnit(spec.name);
  const suffix = unit ? ` ${unit}` : "";
  if (spec.minimum !== undefined && spec.maximum !== undefined) return `${spec.minimum}–${spec.maximum}${suffix}`;
  if (spec.minimum !== undefined) return `at least ${spec.minimum}${suffix}`;
  if (spec.maximum !== undefined) return `at most ${spec.maximum}${suffix}`;
  return "";
}
