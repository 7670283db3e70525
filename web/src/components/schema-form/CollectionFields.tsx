import { describedBy, FieldNotes, messagesAt, RequiredMark } from "./FieldShell";
import type { PrimitiveFieldProps } from "./PrimitiveFields";
import { controlId, ObjectProperties, type SchemaFieldProps } from "./SchemaField";
import { asSchema, defaultsFor, isPlainObject, itemLabel, type JsonObject } from "./jsonSchema";


/** Without items, an optional list is left out rather than sent empty. */
function listOrNothing<T>(items: T[], required: boolean): T[] | undefined {
  return items.length === 0 && !required ? undefined : items;
}

export function StringArrayField({ id, label, schema, value, required, errors, onChange }: PrimitiveFieldProps) {
  const items = Array.isArray(value) ? value.map((item) => (typeof item === "string" ? item : JSON.stringify(item))) : [];
  const itemSchema = asSchema(schema.items) ?? {};
  const atMost = schema.maxItems !== undefined && items.length >= schema.maxItems;
  return (
    <fieldset className={errors.length > 0 ? "schema-fieldset has-error" : "schema-fieldset"} id={id}>
      <legend>
        {label}
        <RequiredMark required={required} />
      </legend>
      {items.map((item, index) => (
        <div className="schema-list-row" key={index}>
          <input
            aria-label={`${label} ${index + 1}`}
            value={item}
            maxLength={itemSchema.maxLength}
            aria-describedby={describedBy(id, schema.description, errors)}
            onChange={(event) => onChange(items.map((old, i) => (i === index ? event.target.value : old)))}
          />
          <button
            type="button"
            className="link"
            aria-label={`Remove ${label} ${index + 1}`}
            onClick={() => onChange(listOrNothing(items.filter((_, i) => i !== index), required))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" disabled={atMost} onClick={() => onChange([...items, ""])}>
        Add {itemLabel(label)}
      </button>
      <FieldNotes id={id} description={schema.description} errors={errors} />
    </fieldset>
  );
}

/** A list of objects: one fieldset per item with its own fields and a Remove button. */
export function ObjectArrayField({ pointer, idPrefix, label, schema, value, required, errors, onChange }: SchemaFieldProps) {
  const id = controlId(idPrefix, pointer);
  const items: JsonObject[] = Array.isArray(value) ? value.map((item) => (isPlainObject(item) ? item : {})) : [];
  const itemSchema = asSchema(schema.items) ?? {};
  const own = messagesAt(errors, pointer);
  const atMost = schema.maxItems !== undefined && items.length >= schema.maxItems;
  const one = itemLabel(label);
  return (
    <fieldset className={own.length > 0 ? "schema-fieldset has-error" : "schema-fieldset"} id={id}>
      <legend>
        {label}
        <RequiredMark required={required} />
      </legend>
      {items.map((item, index) => (
        <fieldset className="schema-fieldset schema-item" key={index}>
          <legend>
            {one} {index + 1}
          </legend>
          <ObjectProperties
            pointer={`${pointer}/${index}`}
            idPrefix={idPrefix}
            schema={itemSchema}
            value={item}
            errors={errors}
            onChange={(next) => onChange(items.map((old, i) => (i === index ? next : old)))}
          />
          <button type="button" className="danger" onClick={() => onChange(listOrNothing(items.filter((_, i) => i !== index), required))}>
            Remove {one} {index + 1}
          </button>
        </fieldset>
      ))}
      <button type="button" disabled={atMost} onClick={() => onChange([...items, (defaultsFor(itemSchema) as JsonObject | undefined) ?? {}])}>
        Add {one}
      </button>
      <FieldNotes id={id} description={schema.description} errors={own} />
    </fieldset>
  );
}
