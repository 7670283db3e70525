import type { PluginRegistry, ProviderInfo } from "../../api/hooks";

// Reading what a provider offers out of its capabilities (GET /api/plugins), which are loosely typed.

export interface VoiceOption {
  id: string;
  name: string;
  language?: string;
  gender?: string;
  description?: string;
}

export interface ModelOption {
  id: string;
  name: string;
}

export type ProviderKind = "stt" | "llm" | "tts";

export function providersOfKind(registry: PluginRegistry | undefined, kind: ProviderKind): ProviderInfo[] {
  return (registry?.providers ?? []).filter((provider) => provider.kind === kind);
}

export function findProvider(registry: PluginRegistry | undefined, kind: ProviderKind, name: string) {
  return providersOfKind(registry, kind).find((provider) => provider.name === name);
}

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

export function voicesOf(provider: ProviderInfo | undefined): VoiceOption[] {
  const voices = provider?.capabilities?.voices;
  if (!Array.isArray(voices)) return [];
  return voices.flatMap((voice: unknown): VoiceOption[] => {
    if (typeof voice === "string") return [{ id: voice, name: voice }];
    if (!voice || typeof voice !== "object") return [];
    const fields = voice as Record<string, unknown>;
    const id = text(fields.id);
    if (!id) return [];
    return [
      {
        id,
        name: text(fields.name) ?? id,
        language: text(fields.language),
        gender: text(fields.gender),
        description: text(fields.description),
      },
    ];
  });
}

export function defaultVoiceOf(provider: ProviderInfo | undefined): string | undefined {
  return text(provider?.capabilities?.default_voice);
}

export function modelsOf(provider: ProviderInfo | undefined): ModelOption[] {
  const models = provider?.capabilities?.models;
  if (!Array.isArray(models)) return [];
  return models.flatMap((model: unknown): ModelOption[] => {
    if (typeof model === "string") return [{ id: model, name: model }];
    const id = model && typeof model === "object" ? text((model as Record<string, unknown>).id) : undefined;
    return id ? [{ id, name: text((model as Record<string, unknown>).name) ?? id }] : [];
  });
}

export function languagesOf(provider: ProviderInfo | undefined): string[] {
  const languages = provider?.capabilities?.languages;
  return Array.isArray(languages) ? languages.filter((l): l is string => typeof l === "string" && l !== "*") : [];
}

/** Whether a voice speaks `language`: same tag, or same primary language when either has no region. */
export function voiceSpeaks(voice: VoiceOption, language: string): boolean {
  if (!voice.language || !language) return true;
  const a = voice.language.toLowerCase();
  const b = language.toLowerCase();
  if (a === b) return true;
  const [primaryA, regionA] = a.split("-");
  const [primaryB, regionB] = b.split("-");
  return primaryA === primaryB && (!regionA || !regionB);
}

export function voiceLabel(voice: VoiceOption): string {
  const details = [voice.language, voice.gender].filter(Boolean).join(", ");
  return details ? `${voice.name} (${details})` : voice.name;
}
