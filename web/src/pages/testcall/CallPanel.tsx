import { Link } from "react-router-dom";
import { MicrophoneError } from "@vox/web-call";
import { ErrorMessage } from "../../components/Status";
import { CallErrors, LatencyTable, LiveTranscript, NodeTransitions, Speaker } from "./CallDisplays";
import { DtmfKeypad } from "./DtmfKeypad";
import { type CallPhase, useTestCall } from "./useTestCall";

const PHASE_TEXT: Record<CallPhase, string> = {
  idle: "Not started",
  starting: "Opening the microphone…",
  connecting: "Connecting…",
  live: "Live",
  ended: "Ended",
};

/** A voice call with the agent from this browser, with what happens in it. */
export function CallPanel({ agentId, agentActive }: { agentId: string | null; agentActive: boolean }) {
  const { view, start, hangUp, setMuted, sendDtmf } = useTestCall();
  const inCall = view.phase === "starting" || view.phase === "connecting" || view.phase === "live";

  return (
    <section className="card tc-call" aria-labelledby="tc-call-title">
      <div className="tc-call-head">
        <h2 id="tc-call-title">Voice call</h2>
        <span
          className={`badge${view.phase === "live" ? " live" : ""}`}
          data-testid="call-state"
          data-state={view.phase}
          role="status"
        >
          {PHASE_TEXT[view.phase]}
          {view.phase === "ended" && view.endReason && (
            <>
              : <span data-testid="call-end-reason">{view.endReason}</span>
            </>
          )}
        </span>
      </div>

      <div className="tc-controls">
        {!inCall ? (
          <button
            type="button"
            className="primary"
            data-testid="call-start"
            disabled={!agentId || !agentActive}
            onClick={() => agentId && void start(agentId)}
          >
            {view.phase === "ended" ? "Call again" : "Start call"}
          </button>
        ) : (
          <>
            <button type="button" className="danger" data-testid="call-hangup" onClick={() => void hangUp()}>
              Hang up
            </button>
            <button
              type="button"
              data-testid="call-mute"
              aria-pressed={view.muted}
              disabled={view.phase !== "live"}
              onClick={() => setMuted(!view.muted)}
            >
              {view.muted ? "Unmute" : "Mute"}
            </button>
          </>
        )}
        {agentId && !agentActive && <span className="hint">This agent is inactive: activate it to call it.</span>}
        {view.phase === "ended" && view.callId && (
          <Link to={`/calls/${view.callId}`} data-testid="call-link">
            Open the call's record
          </Link>
        )}
      </div>

      {view.startError !== null && <StartError error={view.startError} />}
      <CallErrors errors={view.errors} />

      {view.phase !== "idle" && (
        <>
          <div className="tc-speakers">
            <Speaker who="caller" talking={view.callerTalking} level={view.levels.caller} />
            <Speaker
              who="agent"
              talking={view.agentTalking}
              level={view.levels.agent}
              peak={view.agentLevelMax}
            />
          </div>
          <DtmfKeypad
            live={view.phase === "live"}
            sent={view.dtmfSent}
            arrived={view.dtmfArrived}
            onPress={sendDtmf}
          />
          <h3>Transcript</h3>
          <LiveTranscript entries={view.transcript} />
          <h3>Latency per turn</h3>
          <LatencyTable rows={view.latency} />
          <NodeTransitions nodes={view.nodes} />
        </>
      )}
      {view.phase === "idle" && view.startError === null && (
        <p className="muted">
          Start a call to talk to the agent with your microphone. The browser asks for microphone access first.
        </p>
      )}
    </section>
  );
}

function StartError({ error }: { error: unknown }) {
  if (error instanceof MicrophoneError) {
    return (
      <div className="error" role="alert" data-testid="call-start-error" data-code={error.code}>
        <strong>No microphone: </strong>
        {error.message} The call was not started.
      </div>
    );
  }
  return (
    <div data-testid="call-start-error">
      <ErrorMessage error={error} title="The call could not start" />
    </div>
  );
}
