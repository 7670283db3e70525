import { type KeyboardEvent, useRef, useState } from "react";

// The phone keypad of a test call: each key goes to the agent as DTMF (the media socket's `dtmf` message), for
// flows with collect_digits / press_digit nodes. Shown while the call is live; afterwards only what was sent.

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"] as const;
const isKey = (key: string): boolean => (KEYS as readonly string[]).includes(key);

export function DtmfKeypad({
  live,
  sent,
  arrived,
  onPress,
}: {
  live: boolean;
  /** Keys sent in this call, in order. */
  sent: string[];
  /** How many of them voxd reported as arrived. */
  arrived: number;
  /** Sends one key; false when it could not be sent (the call just ended). */
  onPress: (digit: string) => boolean;
}) {
  const [notSent, setNotSent] = useState<string | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  if (!live) {
    if (sent.length === 0) return null;
    return (
      <p className="tc-dtmf-summary" data-testid="dtmf-sent">
        Keys sent: <span className="tc-dtmf-keys">{sent.join(" ")}</span>
      </p>
    );
  }

  function press(digit: string) {
    setNotSent(onPress(digit) ? null : digit);
  }

  // The physical keys while focus is in the keypad: 0-9, * and # (the number pad's too).
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.ctrlKey || event.metaKey || event.altKey || !isKey(event.key)) return;
    event.preventDefault();
    if (event.repeat) return; // a held key is one press
    buttons.current.get(event.key)?.focus();
    press(event.key);
  }

  const received = Math.min(arrived, sent.length);
  return (
    <section className="tc-dtmf" aria-labelledby="tc-dtmf-title">
      <h3 id="tc-dtmf-title">Keypad</h3>
      <div className="tc-dtmf-body">
        <div className="tc-keypad" role="group" aria-label="Keypad" data-testid="dtmf-keypad" onKeyDown={onKeyDown}>
          {KEYS.map((digit) => (
            <button
              key={digit}
              type="button"
              aria-label={`Key ${digit}`}
              ref={(element) => {
                if (element) buttons.current.set(digit, element);
                else buttons.current.delete(digit);
              }}
              onClick={() => press(digit)}
            >
              {digit}
            </button>
          ))}
        </div>
        <div className="tc-dtmf-info">
          <p data-testid="dtmf-sent" aria-live="polite">
            Sent:{" "}
            {sent.length > 0 ? (
              <span className="tc-dtmf-keys">{sent.join(" ")}</span>
            ) : (
              <span className="muted">nothing yet</span>
            )}
          </p>
          {sent.length > 0 && (
            <p className="hint" data-testid="dtmf-arrived" data-arrived={received}>
              Received by voxd: {received} of {sent.length}
            </p>
          )}
          {notSent !== null && (
            <p className="tc-warning" role="status" data-testid="dtmf-not-sent">
              Key {notSent} was not sent: the call is no longer live.
            </p>
          )}
          <p className="hint">Click a key, or type 0-9, * and # while the keypad has focus.</p>
        </div>
      </div>
    </section>
  );
}
