import type { CallError, MetricsEvent, NodeTransitionEvent, TranscriptEntry } from "@vox/web-call";

// The live call's read-only displays: transcript, who is talking, levels, latency, flow nodes, errors.

export function LiveTranscript({ entries }: { entries: TranscriptEntry[] }) {
  if (entries.length === 0) return <p className="muted">Nothing said yet.</p>;
  return (
    <ol className="tc-transcript" data-testid="transcript" aria-live="polite">
      {entries.map((entry, i) => (
        <li
          key={i}
          className={`tc-line tc-${entry.role}${entry.final ? "" : " tc-partial"}`}
          data-testid="transcript-entry"
          data-role={entry.role}
          data-final={entry.final ? "true" : "false"}
        >
          <span className="tc-role">{entry.role === "agent" ? "Agent" : "You"}</span>
          <span className="tc-text">{entry.content}</span>
        </li>
      ))}
    </ol>
  );
}

/** A talking light and a level bar for one side of the call. */
export function Speaker({
  who,
  talking,
  level,
  peak,
}: {
  who: "caller" | "agent";
  talking: boolean;
  level: number;
  peak?: number;
}) {
  const label = who === "caller" ? "You" : "Agent";
  // RMS of speech sits well below 0.3; scale so normal speech fills most of the bar.
  const percent = Math.min(100, Math.round(Math.sqrt(level / 0.3) * 100));
  return (
    <div className={`tc-speaker${talking ? " tc-talking" : ""}`} data-testid={`${who}-talking`} data-active={talking}>
      <span className="tc-light" aria-hidden="true" />
      <span className="tc-speaker-name">
        {label} {talking ? <strong>talking</strong> : <span className="muted">quiet</span>}
      </span>
      <meter
        className="tc-meter"
        min={0}
        max={100}
        value={percent}
        aria-label={`${label} audio level`}
        data-testid={`${who}-level`}
        data-level={level.toFixed(4)}
        {...(peak !== undefined ? { "data-agent-audio-rms-max": peak.toFixed(4) } : {})}
      />
    </div>
  );
}

const ms = (value: number | null | undefined) => (value === null || value === undefined ? "–" : `${value}`);

export function LatencyTable({ rows }: { rows: MetricsEvent[] }) {
  if (rows.length === 0) return <p className="muted">No answered turn yet.</p>;
  return (
    <table className="data tc-latency" data-testid="latency-table">
      <thead>
        <tr>
          <th scope="col">Turn</th>
          <th scope="col">End to end (ms)</th>
          <th scope="col">STT (ms)</th>
          <th scope="col">LLM (ms)</th>
          <th scope="col">TTS (ms)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={`${row.turn}-${i}`} data-testid="latency-row">
            <td>{row.turn}</td>
            <td>{ms(row.e2e_ms)}</td>
            <td>{ms(row.stt_ms)}</td>
            <td>{ms(row.llm_ms)}</td>
            <td>{ms(row.tts_ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function NodeTransitions({ nodes }: { nodes: NodeTransitionEvent[] }) {
  if (nodes.length === 0) return null;
  const name = (id: string | null, nodeName?: string) => nodeName ?? id ?? "end";
  return (
    <section>
      <h3>Flow</h3>
      <ol className="tc-nodes" data-testid="node-transitions">
        {nodes.map((node, i) => (
          <li key={i} data-testid="node-transition" data-to-node={node.to_node_id ?? ""}>
            {node.to_node_id === null ? (
              <span>end of flow</span>
            ) : (
              <span>
                <strong>{name(node.to_node_id, node.node_name)}</strong>
                {node.node_type && <span className="badge">{node.node_type}</span>}
              </span>
            )}
            {node.condition && <span className="muted"> via {node.condition}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function CallErrors({ errors }: { errors: CallError[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="tc-errors" data-testid="call-errors">
      {errors.map((error, i) => (
        <li key={i} className={error.fatal ? "error" : "tc-warning"} role={error.fatal ? "alert" : undefined}>
          <code>{error.code}</code> {error.message}
        </li>
      ))}
    </ul>
  );
}
