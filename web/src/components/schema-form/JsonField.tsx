import { useEffect, useState } from "react";
import { describedBy, FieldShell } from "./FieldShell";
import type { JsonSchema } from "./jsonSchema";

interface JsonFieldProps {
  id: string;
  label: string;
  schema: JsonSchema;
  value: unknown;
  required: boolean;
  errors: string[];
  onChange: (value: unknown) => void;
}

function format(value: unknown) {
  return value === undefined ? "" : JSON.stringify(value, null, 2);
}

/**
 * The fallback for what the form cannot render (oneOf, mixed types, arrays of arrays): the value as JSON.
 * Only text that parses is committed; until then the field says why it does not.
 */
export function JsonField({ id, label, schema, value, required, errors, onChange }: JsonFieldProps) {
  const [text, setText] = useState(() => format(value));
  const [parseError, setParseError] = useState<string | null>(null);

  useEffect(() => {
    setText((current) => {
      try {
        if (current.trim() !== "" && JSON.stringify(JSON.parse(current)) === JSON.stringify(value)) return current;
      } catch {
        /* the text is mid-edit and invalid: replace it with the new value below */
      }
      return format(value);
    });
  }, [value]);

  function change(next: string) {
    setText(next);
    if (next.trim() === "") {
      setParseError(null);
      onChange(undefined);
      return;
    }
    try {
      const parsed: unknown = JSON.parse(next);
      setParseError(null);
      onChange(parsed);
    } catch (error) {
      setParseError(`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const allErrors = parseError ? [parseError, ...errors] : errors;
  const description = [schema.description, "Edited as JSON."].filter(Boolean).join(" ");
  return (
    <FieldShell id={id} label={label} required={required} description={description} errors={allErrors}>
      <textarea
        id={id}
        className="schema-json"
        spellCheck={false}
        rows={Math.min(10, Math.max(3, text.split("\n").length))}
        value={text}
        aria-invalid={allErrors.length > 0 || undefined}
        aria-describedby={describedBy(id, description, allErrors)}
        onChange={(event) => change(event.target.value)}
      />
    </FieldShell>
  );
}
