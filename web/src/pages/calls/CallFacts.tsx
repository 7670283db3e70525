import { Link } from "react-router-dom";
import type { Call } from "../../api/types";
import { SentimentBadge } from "./SentimentBadge";
import { StatusBadge } from "./StatusBadge";
import { explainDisconnection } from "./disconnectionReasons";
import { formatDateTime, formatDuration } from "./format";

/** The call's header facts: who, which way, when, how long and why it ended. */
export function CallFacts({ call, agentName }: { call: Call; agentName: string | undefined }) {
  const explanation = explainDisconnection(call.disconnection_reason);
  return (
    <dl className="call-facts card" data-testid="call-facts">
      <div>
        <dt>Agent</dt>
        <dd>
          <Link to={`/agents/${encodeURIComponent(call.agent_id)}`}>{agentName ?? call.agent_id}</Link>
        </dd>
      </div>
      <div>
        <dt>Direction</dt>
        <dd>{call.direction}</dd>
      </div>
      <div>
        <dt>Phone number</dt>
        <dd>{call.phone_number || "–"}</dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={call.status} />
        </dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>{formatDateTime(call.started_at)}</dd>
      </div>
      <div>
        <dt>Ended</dt>
        <dd>{call.status === "in_progress" ? "ongoing" : formatDateTime(call.ended_at)}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>{call.status === "in_progress" ? "ongoing" : formatDuration(call.duration)}</dd>
      </div>
      <div>
        <dt>Sentiment</dt>
        <dd data-testid="call-sentiment">
          <SentimentBadge sentiment={call.sentiment} />
        </dd>
      </div>
      <div className="call-facts-reason">
        <dt>Ended because</dt>
        <dd data-testid="disconnection-reason">
          {call.disconnection_reason ? (
            <>
              <code>{call.disconnection_reason}</code> <span className="muted">{explanation}</span>
            </>
          ) : (
            "–"
          )}
        </dd>
      </div>
    </dl>
  );
}
