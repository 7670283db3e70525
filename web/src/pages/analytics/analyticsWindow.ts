import type { AnalyticsQuery } from "./analyticsApi";

// The analytics page's choices, kept in the URL query (agent_id, days) so a view can be linked.

export const WINDOWS = [7, 30, 90] as const;
export type WindowDays = (typeof WINDOWS)[number];
const DAY_MS = 86_400_000;

export function windowFromQuery(query: URLSearchParams): { agentId: string; days: WindowDays } {
  const days = Number(query.get("days"));
  return {
    agentId: query.get("agent_id") ?? "",
    days: (WINDOWS as readonly number[]).includes(days) ? (days as WindowDays) : 30,
  };
}

/**
 * The API's window: the last `days` UTC days, today included (the answer's `days` are UTC days, so a window on
 * UTC midnights gives whole bars).
 */
export function analyticsQuery(agentId: string, days: WindowDays, now: Date = new Date()): AnalyticsQuery {
  const tomorrow = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const query: AnalyticsQuery = {
    started_after: new Date(tomorrow - days * DAY_MS).toISOString(),
    started_before: new Date(tomorrow).toISOString(),
  };
  if (agentId) query.agent_id = agentId;
  return query;
}

export function percent(rate: number | null): string {
  return rate === null ? "–" : `${Math.round(rate * 1000) / 10} %`;
}

export function milliseconds(value: number | null): string {
  return value === null ? "–" : `${Math.round(value)} ms`;
}

export function seconds(value: number | null): string {
  return value === null ? "–" : `${Math.round(value * 10) / 10} s`;
}
