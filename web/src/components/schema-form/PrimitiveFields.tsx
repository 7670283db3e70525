import { useEffect, useState } from "react";
import { describedBy, FieldNotes, FieldShell, RequiredMark } from "./FieldShell";
import { enumLabel, type JsonSchema } from "./jsonSchema";

export interface PrimitiveFieldProps {
  id: string;
  label: string;
  schema: JsonSchema;
  value: unknown;
  required: boolean;
  errors: string[];
  /** undefined removes the property: an empty optional field is left out rather than sent as "". */
  onChange: (value: unknown) => void;
}

export function TextField({ id, label, schema, value, required, errors, onChange, multiline }: PrimitiveFieldProps & { multiline: boolean }) {
  const text = typeof value === "string" ? value : "";
  const common = {
    id,
    value: text,
    required,
    maxLength: schema.maxLength,
    "aria-invalid": errors.length > 0 || undefined,
    "aria-describedby": describedBy(id, schema.description, errors),
    onChange: (event: { target: { value: string } }) => onChange(event.target.value === "" ? undefined : event.target.value),
  };
  return (
    <FieldShell id={id} label={label} required={required} description={schema.description} errors={errors}>
      {multiline ? (
        <textarea {...common} rows={Math.min(8, Math.max(3, text.split("\n").length + 1))} />
      ) : (
        <input {...common} type={schema.format === "uri" ? "url" : "text"} pattern={schema.pattern} />
      )}
    </FieldShell>
  );
}

/** Number input that keeps what is typed ("1.", "-") and commits only numbers, within the schema's bounds. */
export function NumberField({ id, label, schema, value, required, errors, onChange, integer }: PrimitiveFieldProps & { integer: boolean }) {
  const [text, setText] = useState(typeof value === "number" ? String(value) : "");
  const [localError, setLocalError] = useState<string | null>(null);

  // Follow changes made elsewhere (another node selected, defaults applied).
  useEffect(() => {
    setText((current) => (Number(current) === value && current !== "" ? current : typeof value === "number" ? String(value) : ""));
  }, [value]);

  function change(next: string) {
    setText(next);
    if (next.trim() === "") {
      setLocalError(null);
      onChange(undefined);
      return;
    }
    const number = Number(next);
    if (!Number.isFinite(number)) return setLocalError("Enter a number.");
    if (integer && !Number.isInteger(number)) return setLocalError("Enter a whole number.");
    if (schema.minimum !== undefined && number < schema.minimum) setLocalError(`At least ${schema.minimum}.`);
    else if (schema.maximum !== undefined && number > schema.maximum) setLocalError(`At most ${schema.maximum}.`);
    else setLocalError(null);
    onChange(number);
  }

  const allErrors = localError ? [localError, ...errors] : errors;
  return (
    <FieldShell id={id} label={label} required={required} description={schema.description} errors={allErrors}>
      <input
        id={id}
        type="number"
        inputMode={integer ? "numeric" : "decimal"}
        step={integer ? 1 : "any"}
        min={schema.minimum}
        max={schema.maximum}
        required={required}
        value={text}
        aria-invalid={allErrors.length > 0 || undefined}
        aria-describedby={describedBy(id, schema.description, allErrors)}
        onChange={(event) => change(event.target.value)}
      />
    </FieldShell>
  );
}

export function BooleanField({ id, label, schema, value, required, errors, onChange }: PrimitiveFieldProps) {
  const checked = typeof value === "boolean" ? value : schema.default === true;
  return (
    <div className={errors.length > 0 ? "schema-field schema-checkbox has-error" : "schema-field schema-checkbox"}>
      <label htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          aria-describedby={describedBy(id, schema.description, errors)}
          onChange={(event) => onChange(event.target.checked)}
        />{" "}
        {label}
        <RequiredMark required={required} />
      </label>
      <FieldNotes id={id} description={schema.description} errors={errors} />
    </div>
  );
}

/** A select over the enum; values are matched by their JSON so numbers and strings both work. */
export function EnumField({ id, label, schema, value, required, errors, onChange }: PrimitiveFieldProps) {
  const options = schema.enum ?? [];
  const selected = options.findIndex((option) => JSON.stringify(option) === JSON.stringify(value));
  return (
    <FieldShell id={id} label={label} required={required} description={schema.description} errors={errors}>
      <select
        id={id}
        value={selected < 0 ? "" : String(selected)}
        required={required}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={describedBy(id, schema.description, errors)}
        onChange={(event) => onChange(event.target.value === "" ? undefined : options[Number(event.target.value)])}
      >
        <option value="">{required ? "— choose —" : "— not set —"}</option>
        {options.map((option, index) => (
          <option key={enumLabel(option)} value={String(index)}>
            {enumLabel(option)}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
