import type { Call } from "../../api/types";
import { formatOffsetMs } from "./format";

/** The flow's nodes in the order the call entered them. */
export function FlowPath({ path }: { path: NonNullable<Call["flow_path"]> }) {
  return (
    <ol className="flow-path" data-testid="flow-path">
      {path.map((step, i) => (
        <li key={`${step.node_id}-${i}`} data-testid="flow-step">
          <time className="muted">{formatOffsetMs(step.t_ms)}</time> <strong>{step.name || step.node_id}</strong>{" "}
          <span className="badge">{step.type}</span>
          {step.name && <code className="muted"> {step.node_id}</code>}
        </li>
      ))}
    </ol>
  );
}
