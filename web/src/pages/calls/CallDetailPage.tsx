import { useCallback, useEffect, useRef } from "react";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import { useAllAgents } from "../../api/hooks";
import type { Call } from "../../api/types";
import { ErrorMessage, Loading, PageHeader } from "../../components/Status";
import { useLiveCall } from "../../live/useLiveCall";
import { CallAnalysisSection } from "./CallAnalysisSection";
import { CallFacts } from "./CallFacts";
import { CallTranscript } from "./CallTranscript";
import { CollectedVariables, Metadata, ProviderSwitches } from "./CallExtras";
import { FlowPath } from "./FlowPath";
import { LatencyBreakdown } from "./LatencyBreakdown";
import { LiveCallPanel } from "./LiveCallPanel";
import { RecordingPlayer } from "./RecordingPlayer";
import { useRefreshOnCallAnalyzed } from "./useRefreshOnCallAnalyzed";
import "./calls.css";

/** /calls/:callId: one call's record, and while it is in progress, the call as it happens. */
export function CallDetailPage() {
  const { callId = "" } = useParams();
  const call = useQuery({
    queryKey: ["calls", "one", callId],
    queryFn: () => unwrap(api.GET("/api/calls/{call_id}", { params: { path: { call_id: callId } } })),
  });
  const agents = useAllAgents();
  const agentName = agents.data?.find((agent) => agent.id === call.data?.agent_id)?.name;

  return (
    <section className="page call-page">
      <PageHeader
        title={agentName ? `Call with ${agentName}` : "Call"}
        actions={
          <Link to="/calls" className="button">
            All calls
          </Link>
        }
      />
      <p className="muted call-id">
        <code data-testid="call-id">{callId}</code>
      </p>
      {call.error ? (
        <ErrorMessage error={call.error} title="Cannot read the call" />
      ) : !call.data ? (
        <Loading what="the call" />
      ) : (
        <CallRecord call={call.data} agentName={agentName} refetch={() => void call.refetch()} />
      )}
    </section>
  );
}

interface CallRecordProps {
  call: Call;
  agentName: string | undefined;
  refetch: () => void;
}

function CallRecord({ call, agentName, refetch }: CallRecordProps) {
  const inProgress = call.status === "in_progress";
  const onEnded = useCallback(() => refetch(), [refetch]);
  const live = useLiveCall(call.id, inProgress, onEnded);
  // The call may have ended between reading the record and opening its socket: the snapshot says so.
  const snapshotStatus = live.state.snapshot?.status;
  const refetchedForSnapshot = useRef(false);
  useEffect(() => {
    if (!inProgress || !snapshotStatus || snapshotStatus === "in_progress" || refetchedForSnapshot.current) return;
    refetchedForSnapshot.current = true;
    refetch();
  }, [inProgress, snapshotStatus, refetch]);
  // An agent with an LLM replaces the offline analysis a few seconds after the call ends; until then, listen.
  useRefreshOnCallAnalyzed(call.id, call.call_analysis?.method !== "llm");

  const flowPath = call.flow_path ?? [];
  const switches = call.provider_switches ?? [];
  return (
    <>
      <CallFacts call={call} agentName={agentName} />
      {inProgress && <LiveCallPanel callId={call.id} state={live.state} status={live.status} onEnded={refetch} />}
      {inProgress ? (
        <>
          <p className="muted">
            The record's transcript, latency figures and flow path are stored when the call ends; until then the
            live view above shows them as they happen.
          </p>
          <h2>Metadata</h2>
          <Metadata metadata={call.metadata as Record<string, unknown>} />
        </>
      ) : (
        <>
          <CallAnalysisSection call={call} />
          <div className="call-columns">
            <div>
              <h2>Transcript</h2>
              <CallTranscript transcript={call.transcript} />
              {call.recording_url && (
                <>
                  <h2>Recording</h2>
                  <RecordingPlayer url={call.recording_url} />
                </>
              )}
            </div>
            <div>
              <h2>Latency</h2>
              <LatencyBreakdown latency={call.latency} />
              <h2>Flow path</h2>
              {flowPath.length > 0 ? (
                <FlowPath path={flowPath} />
              ) : (
                <p className="muted">This call did not run a call flow.</p>
              )}
              <h2>Collected variables</h2>
              <CollectedVariables variables={(call.collected_variables ?? {}) as Record<string, unknown>} />
              {switches.length > 0 && (
                <>
                  <h2>Provider switches</h2>
                  <ProviderSwitches switches={switches} />
                </>
              )}
              <h2>Metadata</h2>
              <Metadata metadata={call.metadata as Record<string, unknown>} />
            </div>
          </div>
        </>
      )}
    </>
  );
}
