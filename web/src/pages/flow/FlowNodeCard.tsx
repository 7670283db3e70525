import { Handle, Position, type NodeProps } from "@xyflow/react";
import type { BuilderNode } from "./flowModel";

/** A node on the canvas: its name and type, the start marker, and the server's errors about it. */
export function FlowNodeCard({ data, selected }: NodeProps<BuilderNode>) {
  const errors = data.errors ?? [];
  const classes = ["flow-node", selected ? "selected" : "", errors.length > 0 ? "invalid" : "", data.isStart ? "start" : ""];
  return (
    <div className={classes.filter(Boolean).join(" ")} data-testid={`flow-node-${data.docId}`}>
      <Handle type="target" position={Position.Top} aria-label={`Into ${data.docId}`} />
      <div className="flow-node-head">
        {data.isStart && <span className="badge live">Start</span>}
        <span className="flow-node-type">{data.typeTitle ?? data.nodeType}</span>
      </div>
      <div className="flow-node-name">{data.name || data.docId}</div>
      {data.name && <div className="flow-node-id">{data.docId}</div>}
      {errors.length > 0 && (
        <ul className="flow-node-errors">
          {errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      <Handle type="source" position={Position.Bottom} aria-label={`Out of ${data.docId}`} />
    </div>
  );
}
