import { KeyValueEditor } from "../../components/schema-form/KeyValueEditor";
import type { FlowSettings } from "./flowModel";

interface FlowSettingsPanelProps {
  settings: FlowSettings;
  onChange: (patch: Partial<FlowSettings>) => void;
}

/** What belongs to the whole flow: the global prompt and the variables it starts with. */
export function FlowSettingsPanel({ settings, onChange }: FlowSettingsPanelProps) {
  return (
    <section className="flow-inspector" aria-label="Flow settings">
      <h2>Flow settings</h2>
      <p className="hint">Select a node or an edge to edit it.</p>
      <label htmlFor="flow-global-prompt">Global prompt</label>
      <textarea
        id="flow-global-prompt"
        value={settings.globalPrompt}
        aria-describedby="flow-global-prompt-hint"
        onChange={(event) => onChange({ globalPrompt: event.target.value })}
      />
      <span className="hint" id="flow-global-prompt-hint">
        Added to the agent's system prompt for every LLM request the flow makes. {"{{variables}}"} are replaced.
      </span>
      <KeyValueEditor
        id="flow-variables"
        legend="Variables"
        description="Initial values; dynamic variables given at call start are added over them."
        value={settings.variables}
        addLabel="Add variable"
        keyLabel="Variable name"
        valueLabel="Variable value"
        onChange={(variables) => onChange({ variables: variables ?? {} })}
      />
    </section>
  );
}
