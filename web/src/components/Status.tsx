import type { ReactNode } from "react";
import { ApiError } from "../api/problem";

/** The API's own message for a failed request, with its field errors. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  const message = apiError ? apiError.message : error instanceof Error ? error.message : String(error);
  return (
    <div className="error" role="alert">
      {title && <strong>{title}: </strong>}
      {message}
      {apiError && apiError.fieldErrors.length > 0 && (
        <ul>
          {apiError.fieldErrors.map((fieldError) => (
            <li key={fieldError.field + fieldError.message}>
              <code>{fieldError.field}</code> {fieldError.message}
              {fieldError.allowed && ` (allowed: ${fieldError.allowed.join(", ")})`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function PageHeader({ title, actions }: { title: string; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {actions && <div className="actions">{actions}</div>}
    </header>
  );
}
