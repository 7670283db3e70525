import type { FieldError } from "../../api/problem";

/** A refused save's message, with the field errors that belong to no field of the form (the rest show beside theirs). */
export function FormErrorSummary({ error, unmatched }: { error: unknown; unmatched: FieldError[] }) {
  if (!error) return null;
  return (
    <div className="error form-errors" role="alert">
      {error instanceof Error ? error.message : String(error)}
      {unmatched.length > 0 && (
        <ul>
          {unmatched.map((fieldError) => (
            <li key={fieldError.field + fieldError.message}>
              <code>{fieldError.field}</code> {fieldError.message}
              {fieldError.allowed?.length ? ` (allowed: ${fieldError.allowed.join(", ")})` : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
