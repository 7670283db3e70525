import type { ReactNode } from "react";

/** A message about one field, addressed by a JSON Pointer relative to the form's value (e.g. "/expect/type"). */
export interface FieldMessage {
  pointer: string;
  message: string;
}

export function messagesAt(errors: FieldMessage[], pointer: string): string[] {
  return errors.filter((error) => error.pointer === pointer).map((error) => error.message);
}

export function hintId(id: string) {
  return `${id}-hint`;
}

export function errorId(id: string) {
  return `${id}-error`;
}

/** The ids a control is described by: its hint and its errors, when there are any. */
export function describedBy(id: string, description: string | undefined, errors: string[]) {
  const ids = [description ? hintId(id) : "", errors.length > 0 ? errorId(id) : ""].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

export function RequiredMark({ required }: { required: boolean }) {
  if (!required) return null;
  return (
    <span className="schema-required" title="required" aria-hidden="true">
      {" *"}
    </span>
  );
}

/** Hint and error lines under a control. */
export function FieldNotes({ id, description, errors }: { id: string; description?: string; errors: string[] }) {
  return (
    <>
      {description && (
        <span className="hint" id={hintId(id)}>
          {description}
        </span>
      )}
      {errors.length > 0 && (
        <span className="field-error" id={errorId(id)} role="alert">
          {errors.join(" ")}
        </span>
      )}
    </>
  );
}

interface FieldShellProps {
  id: string;
  label: string;
  required: boolean;
  description?: string;
  errors: string[];
  children: ReactNode;
}

/** Label above the control, hint and errors below. */
export function FieldShell({ id, label, required, description, errors, children }: FieldShellProps) {
  return (
    <div className={errors.length > 0 ? "schema-field has-error" : "schema-field"}>
      <label htmlFor={id}>
        {label}
        <RequiredMark required={required} />
      </label>
      {children}
      <FieldNotes id={id} description={description} errors={errors} />
    </div>
  );
}
