import type { SocketStatus } from "./eventSocket";
import "./live.css";

const LABELS: Record<SocketStatus, string> = {
  connecting: "Connecting…",
  open: "Live",
  reconnecting: "Reconnecting…",
  closed: "Not live",
};

/** A small light saying whether the page is receiving live events. */
export function LiveIndicator({ status, title }: { status: SocketStatus; title?: string }) {
  return (
    <span
      className={`live-indicator live-${status}`}
      data-testid="live-indicator"
      data-status={status}
      role="status"
      title={title ?? (status === "open" ? "Updates as calls start and end" : undefined)}
    >
      <span className="live-dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
