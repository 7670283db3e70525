import { useMutation } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { ConfirmButton } from "../../components/forms/ConfirmButton";
import { ErrorMessage } from "../../components/Status";
import { LiveIndicator } from "../../live/LiveIndicator";
import type { SocketStatus } from "../../live/eventSocket";
import type { LiveCallState } from "../../live/useLiveCall";
import { formatMs, formatOffsetMs } from "./format";

interface LiveCallPanelProps {
  callId: string;
  state: LiveCallState;
  status: SocketStatus;
  /** After End call: the record is stored, read it again. */
  onEnded: () => void;
}

/** A call in progress, as its event socket tells it: who talks, what is said, each turn's latency, the flow. */
export function LiveCallPanel({ callId, state, status, onEnded }: LiveCallPanelProps) {
  const endCall = useMutation({
    mutationFn: () => unwrap(api.POST("/api/calls/end", { body: { call_id: callId } })),
    onSuccess: onEnded,
  });
  return (
    <section className="live-call card" aria-label="Live call" data-testid="live-call">
      <header className="live-call-header">
        <h2>Live call</h2>
        <LiveIndicator status={status} title="Events of this call as they happen" />
        <div className="live-call-talking">
          <Talking who="Caller" testId="caller-talking" active={state.userTalking} />
          <Talking who="Agent" testId="agent-talking" active={state.agentTalking} />
        </div>
        {state.endedReason === null && (
          <ConfirmButton
            question="End this call for the caller now?"
            confirmLabel="Yes, end the call"
            onConfirm={() => endCall.mutate()}
            busy={endCall.isPending}
          >
            End call
          </ConfirmButton>
        )}
      </header>
      {endCall.error && <ErrorMessage error={endCall.error} title="Cannot end the call" />}
      {state.endedReason && (
        <p role="status">
          The call ended: <code>{state.endedReason}</code>
        </p>
      )}

      <h3>Transcript</h3>
      {state.transcript.length === 0 ? (
        <p className="muted">Nothing said since this page opened.</p>
      ) : (
        <ol className="call-transcript" data-testid="live-transcript" aria-live="polite">
          {state.transcript.map((entry, i) => (
            <li
              key={i}
              className={`call-line call-line-${entry.role}${entry.final ? "" : " partial"}`}
              data-testid="live-transcript-line"
              data-final={entry.final}
            >
              <span className="call-line-speaker">{entry.role === "agent" ? "Agent" : "Caller"}</span>
              <span className="call-line-time muted">{entry.turn !== undefined ? `turn ${entry.turn}` : ""}</span>
              <span className="call-line-text">{entry.content}</span>
            </li>
          ))}
        </ol>
      )}

      <div className="live-call-columns">
        <div>
          <h3>Latency per turn</h3>
          {state.metrics.length === 0 ? (
            <p className="muted">No turn answered yet.</p>
          ) : (
            <table className="data compact" data-testid="live-metrics">
              <thead>
                <tr>
                  <th scope="col">Turn</th>
                  <th scope="col">e2e</th>
                  <th scope="col">stt</th>
                  <th scope="col">llm</th>
                  <th scope="col">tts</th>
                </tr>
              </thead>
              <tbody>
                {state.metrics.map((metric, i) => (
                  <tr key={i}>
                    <td>{metric.turn}</td>
                    <td>{formatMs(metric.e2e_ms)}</td>
                    <td>{formatMs(metric.stt_ms)}</td>
                    <td>{formatMs(metric.llm_ms)}</td>
                    <td>{formatMs(metric.tts_ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h3>Flow nodes</h3>
          {state.transitions.length === 0 ? (
            <p className="muted">No node transition since this page opened.</p>
          ) : (
            <ol className="flow-path" data-testid="live-transitions">
              {state.transitions.map((transition, i) => (
                <li key={i}>
                  <time className="muted">{formatOffsetMs(transition.t_ms ?? 0)}</time>{" "}
                  {transition.to_node_id === null ? (
                    <em>end of flow</em>
                  ) : (
                    <strong>{transition.node_name || transition.to_node_id}</strong>
                  )}{" "}
                  {transition.condition && <span className="badge">{transition.condition}</span>}
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
      {state.errors.length > 0 && (
        <>
          <h3>Errors</h3>
          <ul className="live-errors">
            {state.errors.map((error, i) => (
              <li key={i} className={error.fatal ? "error" : undefined}>
                <code>{error.code}</code> {error.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Talking({ who, testId, active }: { who: string; testId: string; active: boolean }) {
  return (
    <span className={`talking${active ? " on" : ""}`} data-testid={testId} data-active={active}>
      {who} {active ? <strong>talking</strong> : <span className="muted">quiet</span>}
    </span>
  );
}
