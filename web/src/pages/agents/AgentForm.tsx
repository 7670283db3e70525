import { useState, type FormEvent } from "react";
import type { PluginRegistry } from "../../api/hooks";
import { Field, fieldAria } from "../../components/forms/Field";
import { FormErrorSummary } from "../../components/forms/FormErrorSummary";
import { JsonEditor } from "../../components/forms/JsonEditor";
import type { FieldErrorIndex } from "../../components/forms/fieldErrors";
import { settingNumber, type AgentFormState } from "./agentForm";
import { ProviderFields } from "./ProviderFields";
import { SettingsFields } from "./SettingsFields";
import { sampleRequest } from "./PlaySampleButton";
import type { SettingSpec } from "./settingsSchema";

interface AgentFormProps {
  agentId?: string;
  initial: AgentFormState;
  specs: SettingSpec[];
  registry: PluginRegistry | undefined;
  savedProviders: Partial<Record<"stt_provider" | "llm_provider" | "tts_provider", string>>;
  /** Errors found before sending, keyed by JSON Pointer. */
  clientErrors: Record<string, string>;
  /** The last refused save's field errors. */
  serverErrors: FieldErrorIndex;
  saveError: Error | null;
  saving: boolean;
  onSubmit: (form: AgentFormState) => void;
}

export function AgentForm(props: AgentFormProps) {
  const { agentId, initial, specs, registry, savedProviders, clientErrors, serverErrors, saveError, saving, onSubmit } = props;
  const [form, setForm] = useState(initial);
  const change = (changes: Partial<AgentFormState>) => setForm((current) => ({ ...current, ...changes }));
  const errorFor = (pointer: string) => clientErrors[pointer] ?? serverErrors.forField(pointer);

  const textField = (field: "name" | "description" | "system_prompt" | "begin_message", label: string, hint?: string, multiline = false) => {
    const id = `agent-${field}`;
    const error = errorFor(`/${field}`);
    const common = { ...fieldAria(id, error, Boolean(hint)), value: form[field] };
    return (
      <Field id={id} label={label} hint={hint} error={error}>
        {multiline ? (
          <textarea {...common} onChange={(event) => change({ [field]: event.target.value })} />
        ) : (
          <input {...common} onChange={(event) => change({ [field]: event.target.value })} />
        )}
      </Field>
    );
  };

  const speed = settingNumber(typeof form.settings.tts_speed === "string" ? form.settings.tts_speed : "");
  const sample = sampleRequest({
    agentId,
    ttsProvider: form.tts_provider,
    voice: form.voice,
    language: form.language,
    ttsSpeed: typeof speed === "number" ? speed : undefined,
  });
  const statusError = errorFor("/status");
  const advancedError = Boolean(errorFor("/tools") || errorFor("/fallbacks"));

  return (
    <form
      className="agent-form"
      noValidate
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        onSubmit(form);
      }}
    >
      <FormErrorSummary error={saveError} unmatched={serverErrors.unmatched} />
      {Object.keys(clientErrors).length > 0 && (
        <div className="error" role="alert">
          Some fields need fixing before the agent can be saved.
        </div>
      )}

      <section className="card">
        <h2>Agent</h2>
        <div className="form-grid">
          {textField("name", "Name")}
          <Field id="agent-status" label="Status" hint="Inactive agents answer no calls." error={statusError}>
            <select
              {...fieldAria("agent-status", statusError, true)}
              value={form.status}
              onChange={(event) => change({ status: event.target.value === "inactive" ? "inactive" : "active" })}
            >
              <option value="active">Active</option>
              <option value="inactive">Inactive</option>
            </select>
          </Field>
        </div>
        {textField("description", "Description", undefined, true)}
        {textField("system_prompt", "System prompt", "What the LLM is told about its role, in every call.", true)}
        {textField("begin_message", "Begin message", "What the agent says first when Speak first is on.")}
      </section>

      <section className="card">
        <h2>Providers and voice</h2>
        <ProviderFields
          form={form}
          registry={registry}
          savedProviders={savedProviders}
          onChange={change}
          errorFor={errorFor}
          sample={sample}
        />
      </section>

      <section className="card">
        <h2>Settings</h2>
        <SettingsFields
          specs={specs}
          values={form.settings}
          onChange={(name, value) => setForm((current) => ({ ...current, settings: { ...current.settings, [name]: value } }))}
          errorFor={errorFor}
        />
      </section>

      <details className="card advanced" open={advancedError || undefined}>
        <summary>Advanced: tools and fallbacks</summary>
        <JsonEditor
          id="agent-tools"
          label="Tools"
          hint='A JSON array, e.g. [{"type": "end_call"}]; see docs/api.md, Tools.'
          shape="array"
          value={form.tools}
          onChange={(tools) => change({ tools })}
          serverError={errorFor("/tools")}
        />
        <JsonEditor
          id="agent-fallbacks"
          label="Fallbacks"
          hint='A JSON object, e.g. {"tts": ["espeak"]}; see docs/api.md, Fallbacks.'
          shape="object"
          value={form.fallbacks}
          onChange={(fallbacks) => change({ fallbacks })}
          serverError={errorFor("/fallbacks")}
        />
      </details>

      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? "Saving…" : agentId ? "Save changes" : "Create agent"}
        </button>
      </div>
    </form>
  );
}
