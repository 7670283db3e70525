import { ObjectArrayField, StringArrayField } from "./CollectionFields";
import { messagesAt, RequiredMark, type FieldMessage } from "./FieldShell";
import { JsonField } from "./JsonField";
import { KeyValueEditor } from "./KeyValueEditor";
import { BooleanField, EnumField, NumberField, TextField } from "./PrimitiveFields";
import {
  asSchema,
  defaultsFor,
  fieldKind,
  isPlainObject,
  itemLabel,
  labelFor,
  requiredAlternatives,
  type JsonObject,
  type JsonSchema,
} from "./jsonSchema";

export interface SchemaFieldProps {
  /** The JSON Pointer of this value inside the form's value ("/expect/type"); also makes the control's id. */
  pointer: string;
  idPrefix: string;
  label: string;
  schema: JsonSchema;
  value: unknown;
  required: boolean;
  errors: FieldMessage[];
  onChange: (value: unknown) => void;
}

export function controlId(idPrefix: string, pointer: string) {
  return `${idPrefix}${pointer.replace(/\//g, "-")}`;
}

/** One property of the form, rendered by its kind. */
export function SchemaField(props: SchemaFieldProps) {
  const { pointer, idPrefix, label, schema, value, required, errors, onChange } = props;
  const id = controlId(idPrefix, pointer);
  const own = messagesAt(errors, pointer);
  const common = { id, label, schema, value, required, errors: own, onChange };
  switch (fieldKind(schema, value)) {
    case "string":
      return <TextField {...common} multiline={false} />;
    case "text":
      return <TextField {...common} multiline />;
    case "integer":
      return <NumberField {...common} integer />;
    case "number":
      return <NumberField {...common} integer={false} />;
    case "boolean":
      return <BooleanField {...common} />;
    case "enum":
      return <EnumField {...common} />;
    case "object":
      return <ObjectField {...props} />;
    case "map":
      return (
        <KeyValueEditor
          id={id}
          legend={label}
          required={required}
          description={schema.description}
          errors={own}
          value={isPlainObject(value) ? value : undefined}
          addLabel={`Add ${itemLabel(label)}`}
          onChange={onChange}
        />
      );
    case "string-array":
      return <StringArrayField {...common} />;
    case "object-array":
      return <ObjectArrayField {...props} />;
    case "json":
      return <JsonField {...common} />;
  }
}

/** A nested object as a fieldset; an optional one is switched on and off with a checkbox. */
function ObjectField(props: SchemaFieldProps) {
  const { pointer, idPrefix, label, schema, value, required, errors, onChange } = props;
  const id = controlId(idPrefix, pointer);
  const present = isPlainObject(value);
  return (
    <fieldset className="schema-fieldset" aria-describedby={schema.description ? `${id}-hint` : undefined}>
      <legend>
        {label}
        <RequiredMark required={required} />
      </legend>
      {schema.description && (
        <span className="hint" id={`${id}-hint`}>
          {schema.description}
        </span>
      )}
      {!required && (
        <label className="schema-checkbox">
          <input
            type="checkbox"
            checked={present}
            onChange={(event) => onChange(event.target.checked ? (defaultsFor({ ...schema, default: undefined }) ?? {}) : undefined)}
          />{" "}
          Set {label.toLowerCase()}
        </label>
      )}
      {(present || required) && (
        <ObjectProperties
          pointer={pointer}
          idPrefix={idPrefix}
          schema={schema}
          value={present ? value : {}}
          errors={errors}
          onChange={onChange}
        />
      )}
      {messagesAt(errors, pointer).map((message) => (
        <span className="field-error" key={message} role="alert">
          {message}
        </span>
      ))}
    </fieldset>
  );
}

interface ObjectPropertiesProps {
  pointer: string;
  idPrefix: string;
  schema: JsonSchema;
  value: JsonObject;
  errors: FieldMessage[];
  onChange: (value: JsonObject) => void;
}

/** The properties of an object, in the schema's order, and the "one of these is required" note. */
export function ObjectProperties({ pointer, idPrefix, schema, value, errors, onChange }: ObjectPropertiesProps) {
  const required = new Set(schema.required ?? []);
  const alternatives = requiredAlternatives(schema) ?? [];
  return (
    <>
      {alternatives.length > 0 && (
        <p className="hint">
          Fill in one of: {alternatives.map((names) => names.map((name) => labelFor(name, schema.properties?.[name] ?? {})).join(" + ")).join(" or ")}.
        </p>
      )}
      {Object.entries(schema.properties ?? {}).map(([name, property]) => (
        <SchemaField
          key={name}
          pointer={`${pointer}/${name}`}
          idPrefix={idPrefix}
          label={labelFor(name, property)}
          schema={asSchema(property) ?? {}}
          value={value[name]}
          required={required.has(name)}
          errors={errors}
          onChange={(next) => {
            const updated = { ...value };
            if (next === undefined) delete updated[name];
            else updated[name] = next;
            onChange(updated);
          }}
        />
      ))}
    </>
  );
}
