import { Field, fieldAria } from "./Field";
import { parseJsonText, type JsonShape } from "./jsonText";
import type { ReactNode } from "react";

interface JsonEditorProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  shape: JsonShape;
  value: string;
  onChange: (text: string) => void;
  /** The server's message for this field after a refused save. */
  serverError?: string;
}

/** A textarea for a JSON value; a parse error shows as you type, before anything is sent. */
export function JsonEditor({ id, label, hint, shape, value, onChange, serverError }: JsonEditorProps) {
  const parsed = parseJsonText(value, shape);
  const error = parsed.ok ? serverError : parsed.error;
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <textarea
        {...fieldAria(id, error, Boolean(hint))}
        className="json-editor"
        spellCheck={false}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </Field>
  );
}
