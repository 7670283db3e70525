import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router-dom";
import { useAllAgents } from "../../api/hooks";
import { Empty, ErrorMessage, Loading, PageHeader } from "../../components/Status";
import { AgentBreakdown } from "./AgentBreakdown";
import { CallsPerDayChart, LatencyPerDayChart } from "./DayCharts";
import { SentimentChart } from "./SentimentChart";
import { fetchAnalytics, type Analytics } from "./analyticsApi";
import {
  WINDOWS,
  analyticsQuery,
  milliseconds,
  percent,
  seconds,
  windowFromQuery,
  type WindowDays,
} from "./analyticsWindow";
import "./analytics.css";

/** /analytics: how the calls went over the last 7, 30 or 90 days, overall or for one agent. */
export function AnalyticsPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const { agentId, days } = windowFromQuery(searchParams);
  const agents = useAllAgents();
  const query = analyticsQuery(agentId, days);
  const analytics = useQuery({
    // The window moves with the UTC day, so the day is part of the key.
    queryKey: ["analytics", agentId, days, query.started_before],
    queryFn: () => fetchAnalytics(query),
    placeholderData: keepPreviousData,
  });

  const choose = (next: { agentId?: string; days?: WindowDays }) => {
    const params = new URLSearchParams();
    const nextAgent = next.agentId ?? agentId;
    if (nextAgent) params.set("agent_id", nextAgent);
    params.set("days", String(next.days ?? days));
    setSearchParams(params);
  };

  return (
    <section className="page analytics-page">
      <PageHeader title="Analytics" />
      <form
        className="analytics-controls card"
        aria-label="Analytics window"
        onSubmit={(event) => event.preventDefault()}
      >
        <div>
          <label htmlFor="analytics-agent">Agent</label>
          <select id="analytics-agent" value={agentId} onChange={(event) => choose({ agentId: event.target.value })}>
            <option value="">All agents</option>
            {(agents.data ?? []).map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="analytics-window">
          <legend>Window</legend>
          <div className="analytics-window-buttons">
          {WINDOWS.map((option) => (
            <button
              key={option}
              type="button"
              className={option === days ? "primary" : undefined}
              aria-pressed={option === days}
              onClick={() => choose({ days: option })}
            >
              {option} days
            </button>
          ))}
          </div>
        </fieldset>
      </form>
      {agents.error && <ErrorMessage error={agents.error} title="Cannot list the agents" />}
      {analytics.error ? (
        <ErrorMessage error={analytics.error} title="Cannot compute the analytics" />
      ) : !analytics.data ? (
        <Loading what="analytics" />
      ) : (
        <AnalyticsReport analytics={analytics.data} oneAgent={agentId !== ""} />
      )}
    </section>
  );
}

const utcDay = (iso: string) => iso.slice(0, 10);

function AnalyticsReport({ analytics, oneAgent }: { analytics: Analytics; oneAgent: boolean }) {
  const { overall } = analytics;
  const lastDay = new Date(Date.parse(analytics.to) - 1).toISOString();
  const window = `${utcDay(analytics.from)} to ${utcDay(lastDay)} (UTC)`;
  if (overall.calls === 0) {
    return (
      <Empty>
        <span data-testid="analytics-empty">
          No calls from {window}. Calls appear here once they have been placed or imported.
        </span>
      </Empty>
    );
  }
  return (
    <div className="analytics-report" data-testid="analytics-report">
      <p className="muted">{window}</p>
      <dl className="analytics-tiles">
        <Tile
          label="Calls"
          value={String(overall.calls)}
          testId="tile-calls"
          detail={`${overall.completed} completed, ${overall.failed} failed, ${overall.in_progress} in progress`}
        />
        <Tile
          label="Success rate"
          value={percent(overall.success_rate)}
          testId="tile-success"
          detail="completed / ended"
        />
        <Tile
          label="Avg latency"
          value={milliseconds(overall.latency_ms.avg)}
          testId="tile-latency-avg"
          detail="end to end, p50 per call"
        />
        <Tile
          label="p95 latency"
          value={milliseconds(overall.latency_ms.p95)}
          testId="tile-latency-p95"
          detail="of the calls' p95"
        />
        <Tile label="Avg duration" value={seconds(overall.avg_duration_s)} testId="tile-duration" />
      </dl>
      <div className="analytics-grid">
        <section className="card">
          <h2>Calls per day</h2>
          <CallsPerDayChart days={analytics.days} />
        </section>
        <section className="card">
          <h2>Latency per day</h2>
          {analytics.days.some((day) => day.avg_latency_ms !== null) ? (
            <LatencyPerDayChart days={analytics.days} />
          ) : (
            <p className="muted">No call in this window answered a turn, so there is no latency to show.</p>
          )}
        </section>
        <section className="card">
          <h2>Sentiment</h2>
          <SentimentChart sentiment={overall.sentiment} />
        </section>
        {!oneAgent && (
          <section className="card">
            <h2>Per agent</h2>
            <AgentBreakdown agents={analytics.agents} />
          </section>
        )}
      </div>
    </div>
  );
}

function Tile({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <div className="analytics-tile card">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
      {detail && <dd className="muted analytics-tile-detail">{detail}</dd>}
    </div>
  );
}
