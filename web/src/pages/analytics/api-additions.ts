import { rawFetch } from "../../api/client";

// GET /api/analytics (docs/api.md "Analytics"), not yet in docs/openapi.json: typed here until
// `npm run gen:api` covers it.

export interface AnalyticsLatency {
  /** Mean of the calls' e2e p50, weighted by turns; null when no call answered a turn. */
  avg: number | null;
  p95: number | null;
}

export interface AnalyticsSentiment {
  positive: number;
  neutral: number;
  negative: number;
  unknown: number;
}

export interface AnalyticsGroup {
  calls: number;
  completed: number;
  failed: number;
  in_progress: number;
  /** completed / (completed + failed); null when there are neither. */
  success_rate: number | null;
  avg_duration_s: number | null;
  latency_ms: AnalyticsLatency;
  sentiment: AnalyticsSentiment;
}

export interface AgentAnalytics extends AnalyticsGroup {
  agent_id: string;
  /** null for an agent deleted since. */
  agent_name: string | null;
}

export interface AnalyticsDay {
  /** A UTC day, YYYY-MM-DD. */
  date: string;
  calls: number;
  completed: number;
  failed: number;
  avg_latency_ms: number | null;
  p95_latency_ms: number | null;
}

export interface Analytics {
  from: string;
  to: string;
  overall: AnalyticsGroup;
  agents: AgentAnalytics[];
  days: AnalyticsDay[];
}

export interface AnalyticsQuery {
  agent_id?: string;
  started_after?: string;
  started_before?: string;
}

/** GET /api/analytics; rejects with the API's problem (400 invalid_query) as an ApiError. */
export async function fetchAnalytics(query: AnalyticsQuery): Promise<Analytics> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  const response = await rawFetch(`/api/analytics${search ? `?${search}` : ""}`, {
    headers: { Accept: "application/json" },
  });
  return (await response.json()) as Analytics;
}
