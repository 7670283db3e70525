import type { Call } from "../../api/types";

// The calls list's filters, kept in the page's URL query so a filtered view can be linked and survives reload.
// Dates are days (YYYY-MM-DD, the person's time zone); the API gets ISO-8601 instants.

export interface CallFilters {
  agentId: string;
  status: "" | Call["status"];
  direction: "" | Call["direction"];
  /** First day included. */
  from: string;
  /** Last day included. */
  to: string;
}

export const STATUSES: Call["status"][] = ["completed", "failed", "in_progress"];
export const DIRECTIONS: Call["direction"][] = ["inbound", "outbound", "web"];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): "" | T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : "";
}

export function filtersFromQuery(query: URLSearchParams): CallFilters {
  return {
    agentId: query.get("agent_id") ?? "",
    status: oneOf(query.get("status"), STATUSES),
    direction: oneOf(query.get("direction"), DIRECTIONS),
    from: DAY.test(query.get("from") ?? "") ? (query.get("from") as string) : "",
    to: DAY.test(query.get("to") ?? "") ? (query.get("to") as string) : "",
  };
}

export function filtersToQuery(filters: CallFilters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.agentId) query.set("agent_id", filters.agentId);
  if (filters.status) query.set("status", filters.status);
  if (filters.direction) query.set("direction", filters.direction);
  if (filters.from) query.set("from", filters.from);
  if (filters.to) query.set("to", filters.to);
  return query;
}

/** Local midnight of a YYYY-MM-DD day, `plusDays` later. */
function localMidnight(day: string, plusDays = 0): Date {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(year, month - 1, date + plusDays);
}

export interface CallListQuery {
  agent_id?: string;
  status?: Call["status"];
  direction?: Call["direction"];
  started_after?: string;
  started_before?: string;
}

/** The API's query for these filters: the "to" day is included, so the window ends at the next midnight. */
export function filtersToApiQuery(filters: CallFilters): CallListQuery {
  const query: CallListQuery = {};
  if (filters.agentId) query.agent_id = filters.agentId;
  if (filters.status) query.status = filters.status;
  if (filters.direction) query.direction = filters.direction;
  if (filters.from) query.started_after = localMidnight(filters.from).toISOString();
  if (filters.to) query.started_before = localMidnight(filters.to, 1).toISOString();
  return query;
}

/** A problem with the filters a person can fix, or null. */
export function filtersProblem(filters: CallFilters): string | null {
  if (filters.from && filters.to && filters.to < filters.from) return "The end date is before the start date.";
  return null;
}

export function hasFilters(filters: CallFilters): boolean {
  return filtersToQuery(filters).toString() !== "";
}
