import "./forms.css";
import { useEffect, useRef, useState, type ReactNode } from "react";

interface ConfirmButtonProps {
  /** The button's text before asking, e.g. "Delete". */
  children: ReactNode;
  /** What is asked, e.g. "Delete this agent?". */
  question: ReactNode;
  /** The confirming button's text, e.g. "Yes, delete". */
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  className?: string;
}

/** A destructive action that asks first, inline (no window.confirm), and can be used by keyboard alone. */
export function ConfirmButton({ children, question, confirmLabel, onConfirm, busy, className = "danger" }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" className={className} onClick={() => setAsking(true)} disabled={busy}>
        {children}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label="Confirm">
      <span>{question}</span>{" "}
      <button
        type="button"
        ref={confirmRef}
        className="danger"
        disabled={busy}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>{" "}
      <button type="button" onClick={() => setAsking(false)} disabled={busy}>
        Cancel
      </button>
    </span>
  );
}
