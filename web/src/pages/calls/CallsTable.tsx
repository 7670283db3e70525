import { Link, useNavigate } from "react-router-dom";
import type { Call } from "../../api/types";
import { SentimentBadge } from "./SentimentBadge";
import { StatusBadge } from "./StatusBadge";
import { formatDateTime, formatDuration, formatMs } from "./format";

interface CallsTableProps {
  calls: Call[];
  agentNames: Map<string, string>;
}

/** One row per call; the start time is a real link to the call page, so keyboard and new-tab work. */
export function CallsTable({ calls, agentNames }: CallsTableProps) {
  const navigate = useNavigate();
  return (
    <table className="data calls-table" data-testid="calls-table">
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Agent</th>
          <th scope="col">Direction</th>
          <th scope="col">Status</th>
          <th scope="col">Duration</th>
          <th scope="col">Ended because</th>
          <th scope="col">Latency p50</th>
          <th scope="col">Sentiment</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((call) => (
          <tr
            key={call.id}
            className="call-row clickable"
            data-testid="call-row"
            data-call-id={call.id}
            // A click anywhere on the row opens the call; the link in the first cell is the keyboard's way.
            onClick={(event) => {
              if (!(event.target instanceof HTMLAnchorElement)) navigate(`/calls/${encodeURIComponent(call.id)}`);
            }}
          >
            <td>
              <Link
                to={`/calls/${encodeURIComponent(call.id)}`}
                data-testid="call-link"
                aria-label={`Call ${call.id}, started ${formatDateTime(call.started_at)}`}
              >
                {formatDateTime(call.started_at)}
              </Link>
            </td>
            <td>{agentNames.get(call.agent_id) ?? <code className="muted">{call.agent_id}</code>}</td>
            <td>{call.direction}</td>
            <td>
              <StatusBadge status={call.status} />
            </td>
            <td>
              {call.status === "in_progress" ? <span className="muted">ongoing</span> : formatDuration(call.duration)}
            </td>
            <td>{call.disconnection_reason ? <code>{call.disconnection_reason}</code> : "–"}</td>
            <td>{formatMs(call.latency?.e2e?.p50)}</td>
            <td>
              <SentimentBadge sentiment={call.sentiment} compact />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
