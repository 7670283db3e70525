import { SchemaForm } from "../../components/schema-form/SchemaForm";
import { conditionTypes } from "./conditionSchemas";
import type { ElementErrors } from "./flowErrors";
import type { BuilderEdge, FlowCondition, FlowEdgeData } from "./flowModel";

interface EdgeInspectorProps {
  edge: BuilderEdge;
  sourceId: string;
  targetId: string;
  errors: ElementErrors | undefined;
  onChange: (patch: Partial<FlowEdgeData>) => void;
  onDelete: () => void;
}

/** The selected edge: its id and its condition, with the fields of the condition's type. */
export function EdgeInspector({ edge, sourceId, targetId, errors, onChange, onDelete }: EdgeInspectorProps) {
  const condition: FlowCondition = edge.data?.condition ?? { type: "always" };
  const type = condition.type ?? "always";
  const known = conditionTypes.find((entry) => entry.type === type);
  const prefix = `edge-${edge.id}`;
  const { type: _type, ...fields } = condition;
  void _type;
  return (
    <section className="flow-inspector" aria-label={`Edge ${sourceId} to ${targetId}`}>
      <h2>
        Edge {sourceId} → {targetId}
      </h2>
      {errors && errors.messages.length > 0 && (
        <ul className="error" role="alert" data-testid="edge-errors">
          {errors.messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      <label htmlFor={`${prefix}-id`}>Edge id</label>
      <input id={`${prefix}-id`} value={edge.data?.docId ?? ""} maxLength={100} onChange={(event) => onChange({ docId: event.target.value.trim() })} />
      <label htmlFor={`${prefix}-type`}>Condition</label>
      <select
        id={`${prefix}-type`}
        value={type}
        onChange={(event) => onChange({ condition: { type: event.target.value } })}
      >
        {conditionTypes.map((entry) => (
          <option key={entry.type} value={entry.type}>
            {entry.label}
          </option>
        ))}
        {!known && <option value={type}>{type} (not known to this dashboard)</option>}
      </select>
      <SchemaForm
        schema={known?.schema ?? { type: "object", title: "Condition fields" }}
        value={fields}
        idPrefix={`${prefix}-condition`}
        errors={errors?.fields.filter((field) => field.pointer !== "/type")}
        onChange={(next) => onChange({ condition: { type, ...next } })}
      />
      <button type="button" className="danger flow-delete" onClick={onDelete}>
        Delete edge
      </button>
    </section>
  );
}
