import { api, unwrap } from "../../api/client";
import type { components, operations } from "../../api/schema";

// GET /api/analytics (docs/api.md "Analytics"), with the types generated from docs/openapi.json.

export type Analytics = components["schemas"]["Analytics"];
export type AnalyticsGroup = components["schemas"]["AnalyticsSummary"];
export type AgentAnalytics = Analytics["agents"][number];
export type AnalyticsDay = Analytics["days"][number];
export type AnalyticsSentiment = AnalyticsGroup["sentiment"];
export type AnalyticsQuery = NonNullable<operations["getAnalytics"]["parameters"]["query"]>;

/** The statistics of a window; rejects with the API's problem (400 invalid_query) as an ApiError. */
export function fetchAnalytics(query: AnalyticsQuery): Promise<Analytics> {
  return unwrap(api.GET("/api/analytics", { params: { query } }));
}
