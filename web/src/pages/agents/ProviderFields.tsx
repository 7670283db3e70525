import type { PluginRegistry } from "../../api/hooks";
import { Field, fieldAria } from "../../components/forms/Field";
import {
  defaultVoiceOf,
  findProvider,
  languagesOf,
  modelsOf,
  providersOfKind,
  voiceLabel,
  voiceSpeaks,
  voicesOf,
  type ProviderKind,
  type VoiceOption,
} from "./providers";
import type { AgentFormState } from "./agentForm";
import { PlaySampleButton } from "./PlaySampleButton";
import type { TestTtsRequest } from "./sampleSpeech";

type ProviderFieldName = "stt_provider" | "llm_provider" | "tts_provider";

interface ProviderFieldsProps {
  form: AgentFormState;
  registry: PluginRegistry | undefined;
  /** Providers the saved agent names: the API cannot reset those to the server default. */
  savedProviders: Partial<Record<ProviderFieldName, string>>;
  onChange: (changes: Partial<AgentFormState>) => void;
  errorFor: (pointer: string) => string | undefined;
  sample: TestTtsRequest;
}

const KIND_LABELS: Record<ProviderKind, string> = { stt: "Speech-to-text (STT)", llm: "Language model (LLM)", tts: "Text-to-speech (TTS)" };

/** The voices to offer for a language; the current voice stays listed so the select never misstates it. */
function voicesFor(voices: VoiceOption[], language: string, current: string): VoiceOption[] {
  const speaking = voices.filter((voice) => voiceSpeaks(voice, language));
  const shown = speaking.length > 0 ? speaking : voices;
  const currentVoice = voices.find((voice) => voice.id === current);
  return currentVoice && !shown.includes(currentVoice) ? [...shown, currentVoice] : shown;
}

/** The voice to switch to when the TTS provider or language changes and the current one no longer fits. */
function fittingVoice(voices: VoiceOption[], language: string, current: string, preferred?: string): string {
  const speaking = voices.filter((voice) => voiceSpeaks(voice, language));
  if (speaking.some((voice) => voice.id === current)) return current;
  if (preferred && speaking.some((voice) => voice.id === preferred)) return preferred;
  return speaking[0]?.id ?? preferred ?? voices[0]?.id ?? "";
}

export function ProviderFields({ form, registry, onChange, errorFor, sample }: ProviderFieldsProps) {
  // An agent that names no provider gets the server's [agents] defaults, which GET /api/plugins reports.
  const defaults = registry?.agent_defaults;
  const tts = findProvider(registry, "tts", form.tts_provider || defaults?.tts_provider || "");
  const llm = findProvider(registry, "llm", form.llm_provider || defaults?.llm_provider || "");
  const voices = voicesOf(tts);
  const models = modelsOf(llm);
  const languages = languagesOf(tts);

  const providerSelect = (kind: ProviderKind) => {
    const field = `${kind}_provider` as ProviderFieldName;
    const id = `agent-${field}`;
    const error = errorFor(`/${field}`);
    const value = form[field];
    const loaded = providersOfKind(registry, kind);
    const serverDefault = defaults?.[field];
    const hint = `Server default: the provider voxd's [agents] configuration names${serverDefault ? ` (now ${serverDefault})` : ""}.`;
    const onSelect = (name: string) => {
      if (kind !== "tts") return onChange({ [field]: name });
      const next = findProvider(registry, "tts", name || defaults?.tts_provider || "");
      const nextVoices = voicesOf(next);
      onChange({
        tts_provider: name,
        voice: next ? fittingVoice(nextVoices, form.language, form.voice, defaultVoiceOf(next)) : form.voice,
      });
    };
    return (
      <Field id={id} label={KIND_LABELS[kind]} hint={hint} error={error}>
        <select {...fieldAria(id, error, true)} value={value} onChange={(event) => onSelect(event.target.value)}>
          <option value="">Server default{serverDefault ? ` (${serverDefault})` : ""}</option>
          {loaded.map((provider) => (
            <option key={provider.key} value={provider.name}>
              {provider.name}
              {provider.version ? ` ${provider.version}` : ""}
            </option>
          ))}
          {value && !loaded.some((provider) => provider.name === value) && (
            <option value={value}>{value} (not loaded)</option>
          )}
        </select>
      </Field>
    );
  };

  const voiceError = errorFor("/voice");
  const languageError = errorFor("/language");
  const modelError = errorFor("/model");
  const shownVoices = voicesFor(voices, form.language, form.voice);

  return (
    <>
      <div className="form-grid">
        {providerSelect("stt")}
        {providerSelect("llm")}
        {providerSelect("tts")}
        <Field
          id="agent-language"
          label="Language"
          hint={languages.length ? `BCP 47 tag; the TTS speaks ${languages.join(", ")}.` : "BCP 47 tag, e.g. en-US."}
          error={languageError}
        >
          <input
            {...fieldAria("agent-language", languageError, true)}
            list="agent-language-options"
            value={form.language}
            onChange={(event) => {
              const language = event.target.value;
              onChange(tts ? { language, voice: fittingVoice(voices, language, form.voice, defaultVoiceOf(tts)) } : { language });
            }}
          />
          <datalist id="agent-language-options">
            {languages.map((language) => (
              <option key={language} value={language} />
            ))}
          </datalist>
        </Field>
      </div>
      <div className="form-grid">
        <div>
          <Field
            id="agent-voice"
            label="Voice"
            hint={
              tts
                ? voices.find((voice) => voice.id === form.voice)?.description
                : "A voice id of the server's default TTS; empty for its default voice."
            }
            error={voiceError}
          >
            {tts && voices.length > 0 ? (
              <select
                {...fieldAria("agent-voice", voiceError, true)}
                value={form.voice}
                onChange={(event) => onChange({ voice: event.target.value })}
              >
                {!form.voice && <option value="">Provider's default voice</option>}
                {shownVoices.map((voice) => (
                  <option key={voice.id} value={voice.id}>
                    {voiceLabel(voice)}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...fieldAria("agent-voice", voiceError, true)}
                value={form.voice}
                onChange={(event) => onChange({ voice: event.target.value })}
              />
            )}
          </Field>
          <PlaySampleButton request={sample} />
        </div>
        <Field
          id="agent-model"
          label="Model"
          hint={models.length ? "A model the LLM provider offers." : "The LLM's model id; empty for none (flow-only agents)."}
          error={modelError}
        >
          {models.length > 0 ? (
            <select
              {...fieldAria("agent-model", modelError, true)}
              value={form.model}
              onChange={(event) => onChange({ model: event.target.value })}
            >
              <option value="">None</option>
              {models.map((model) => (
                <option key={model.id} value={model.id}>
                  {model.name}
                </option>
              ))}
              {form.model && !models.some((model) => model.id === form.model) && (
                <option value={form.model}>{form.model} (not offered)</option>
              )}
            </select>
          ) : (
            <input
              {...fieldAria("agent-model", modelError, true)}
              value={form.model}
              onChange={(event) => onChange({ model: event.target.value })}
            />
          )}
        </Field>
      </div>
    </>
  );
}
