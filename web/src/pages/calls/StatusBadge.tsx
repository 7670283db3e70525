import type { Call } from "../../api/types";

const CLASSES: Record<Call["status"], string> = { completed: "ok", failed: "bad", in_progress: "live" };
const LABELS: Record<Call["status"], string> = { completed: "completed", failed: "failed", in_progress: "in progress" };

export function StatusBadge({ status }: { status: Call["status"] }) {
  return (
    <span className={`badge ${CLASSES[status]}`} data-testid="call-status" data-status={status}>
      {LABELS[status]}
    </span>
  );
}
