import { useEffect, useRef, useState } from "react";
import { FieldNotes, RequiredMark } from "./FieldShell";
import type { JsonObject } from "./jsonSchema";

interface KeyValueEditorProps {
  id: string;
  legend: string;
  value: JsonObject | undefined;
  onChange: (value: JsonObject | undefined) => void;
  required?: boolean;
  description?: string;
  errors?: string[];
  keyLabel?: string;
  valueLabel?: string;
  addLabel?: string;
}

type Row = { key: string; value: unknown };

function rowsOf(value: JsonObject | undefined): Row[] {
  return Object.entries(value ?? {}).map(([key, entry]) => ({ key, value: entry }));
}

function objectOf(rows: Row[]): JsonObject {
  const result: JsonObject = {};
  for (const row of rows) if (row.key !== "") result[row.key] = row.value;
  return result;
}

/**
 * Names and values (HTTP headers, flow variables). Rows are kept locally so that a row being typed (an
 * empty or repeated name) does not vanish; the object sent up holds the rows with a name, the last one
 * winning. Values that are not text are shown as JSON and stay as they are until edited.
 */
export function KeyValueEditor(props: KeyValueEditorProps) {
  const { id, legend, value, onChange, required = false, description, errors = [] } = props;
  const [rows, setRows] = useState<Row[]>(() => rowsOf(value));
  const lastSent = useRef(JSON.stringify(value ?? {}));

  useEffect(() => {
    const incoming = JSON.stringify(value ?? {});
    if (incoming !== lastSent.current) {
      lastSent.current = incoming;
      setRows(rowsOf(value));
    }
  }, [value]);

  function update(next: Row[]) {
    setRows(next);
    const object = objectOf(next);
    lastSent.current = JSON.stringify(object);
    onChange(Object.keys(object).length === 0 && !required ? undefined : object);
  }

  const keys = rows.map((row) => row.key);
  return (
    <fieldset className="schema-fieldset" aria-describedby={description ? `${id}-hint` : undefined}>
      <legend>
        {legend}
        <RequiredMark required={required} />
      </legend>
      {rows.map((row, index) => {
        const duplicate = row.key !== "" && keys.indexOf(row.key) !== index;
        const display = typeof row.value === "string" ? row.value : JSON.stringify(row.value);
        return (
          <div className="schema-kv-row" key={index}>
            <input
              aria-label={`${props.keyLabel ?? "Name"} ${index + 1}`}
              value={row.key}
              aria-invalid={duplicate || undefined}
              onChange={(event) => update(rows.map((r, i) => (i === index ? { ...r, key: event.target.value } : r)))}
            />
            <input
              aria-label={`${props.valueLabel ?? "Value"} ${index + 1}`}
              value={display}
              onChange={(event) => update(rows.map((r, i) => (i === index ? { ...r, value: event.target.value } : r)))}
            />
            <button
              type="button"
              className="link"
              aria-label={`Remove ${row.key || `row ${index + 1}`}`}
              onClick={() => update(rows.filter((_, i) => i !== index))}
            >
              Remove
            </button>
            {duplicate && <span className="field-error">This name is used above; the last one wins.</span>}
          </div>
        );
      })}
      <button type="button" onClick={() => setRows([...rows, { key: "", value: "" }])}>
        {props.addLabel ?? "Add entry"}
      </button>
      <FieldNotes id={id} description={description} errors={errors} />
    </fieldset>
  );
}
