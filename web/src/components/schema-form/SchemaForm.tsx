import { JsonField } from "./JsonField";
import type { FieldMessage } from "./FieldShell";
import { ObjectProperties } from "./SchemaField";
import { fieldKind, isPlainObject, type JsonObject, type JsonSchema } from "./jsonSchema";
import "./schema-form.css";

export type { FieldMessage } from "./FieldShell";

interface SchemaFormProps {
  schema: JsonSchema;
  value: JsonObject;
  onChange: (value: JsonObject) => void;
  /** Prefix of the controls' ids; unique on the page (e.g. one per node). */
  idPrefix: string;
  /** Messages about fields, by JSON Pointer relative to `value` (e.g. the server's 422 errors). */
  errors?: FieldMessage[];
}

/**
 * A form generated from a JSON Schema: one control per property, nested objects as fieldsets, lists with
 * Add/Remove, and a JSON textarea for what the schema says that the form cannot render.
 */
export function SchemaForm({ schema, value, onChange, idPrefix, errors = [] }: SchemaFormProps) {
  if (fieldKind(schema, value) !== "object") {
    return (
      <JsonField
        id={`${idPrefix}-json`}
        label={schema.title ?? "Settings"}
        schema={schema}
        value={value}
        required
        errors={errors.map((error) => error.message)}
        onChange={(next) => onChange(isPlainObject(next) ? next : {})}
      />
    );
  }
  const known = new Set(Object.keys(schema.properties ?? {}));
  // Messages for the whole value or for properties the schema does not list would have no field to sit by.
  const unplaced = errors.filter((error) => !known.has(error.pointer.split("/")[1] ?? ""));
  return (
    <div className="schema-form">
      {unplaced.length > 0 && (
        <ul className="field-error schema-unplaced" role="alert">
          {unplaced.map((error) => (
            <li key={error.pointer + error.message}>{error.message}</li>
          ))}
        </ul>
      )}
      <ObjectProperties pointer="" idPrefix={idPrefix} schema={schema} value={value} errors={errors} onChange={onChange} />
    </div>
  );
}
