import { ApiError, type FieldError } from "../../api/problem";

/** A 422's field errors split between the form's fields and the rest (listed at the top of the form). */
export interface FieldErrorIndex {
  /** The messages for one field of the form, joined; undefined when it has none. */
  forField(field: string): string | undefined;
  /** Errors that point at no field of the form. */
  unmatched: FieldError[];
}

function describe(fieldError: FieldError): string {
  const allowed = fieldError.allowed?.length ? ` (allowed: ${fieldError.allowed.join(", ")})` : "";
  return fieldError.message + allowed;
}

/**
 * Maps JSON Pointers such as "/settings/temperature" or "/tools/0/url" to the form's fields: a pointer goes to
 * the longest field that is it or one of its ancestors, so "/tools/0/url" lands on the tools editor.
 */
export function indexFieldErrors(error: unknown, fields: readonly string[]): FieldErrorIndex {
  const byField = new Map<string, string[]>();
  const unmatched: FieldError[] = [];
  const fieldErrors = error instanceof ApiError ? error.fieldErrors : [];
  for (const fieldError of fieldErrors) {
    const pointer = fieldError.field;
    const owner = fields
      .filter((field) => pointer === field || pointer.startsWith(`${field}/`))
      .sort((a, b) => b.length - a.length)[0];
    if (owner === undefined) {
      unmatched.push(fieldError);
      continue;
    }
    const messages = byField.get(owner) ?? [];
    messages.push(owner === pointer ? describe(fieldError) : `${pointer}: ${describe(fieldError)}`);
    byField.set(owner, messages);
  }
  return {
    forField: (field) => byField.get(field)?.join("; "),
    unmatched,
  };
}
