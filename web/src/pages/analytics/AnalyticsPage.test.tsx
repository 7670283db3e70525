import { fakeApi, json, problem, requestsTo } from "../../components/forms/testing/fakeApi";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderPage } from "../../components/forms/testing/renderPage";
import { AGENTS } from "../calls/testFixtures";
import { AnalyticsPage } from "./AnalyticsPage";
import type { Analytics } from "./analyticsApi";
import { analyticsQuery } from "./analyticsWindow";

// jsdom lays nothing out: this observer reports every chart container as 600×240 at once, as a browser would.
class StubResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    const entry = { target, contentRect: { width: 600, height: 240, top: 0, left: 0 } } as unknown as ResizeObserverEntry;
    this.callback([entry], this as unknown as ResizeObserver);
  }
  unobserve() {}
  disconnect() {}
}

const group = {
  calls: 12,
  completed: 9,
  failed: 2,
  in_progress: 1,
  success_rate: 9 / 11,
  avg_duration_s: 41.24,
  latency_ms: { avg: 520.4, p95: 810 },
  sentiment: { positive: 0, neutral: 0, negative: 0, unknown: 12 },
};

const ANSWER: Analytics = {
  from: "2026-11-18T00:00:00.000Z",
  to: "2026-11-25T00:00:00.000Z",
  overall: group,
  agents: [
    { ...group, agent_id: "agent_front", agent_name: "Front desk", calls: 10, success_rate: 0.9, latency_ms: { avg: 500, p95: 790 } },
    { ...group, agent_id: "agent_gone", agent_name: null, calls: 2, success_rate: 0.5, latency_ms: { avg: null, p95: null } },
  ],
  days: [
    { date: "2026-11-18", calls: 0, completed: 0, failed: 0, avg_latency_ms: null, p95_latency_ms: null },
    { date: "2026-11-19", calls: 5, completed: 4, failed: 1, avg_latency_ms: 500, p95_latency_ms: 790 },
    { date: "2026-11-20", calls: 7, completed: 5, failed: 1, avg_latency_ms: 540, p95_latency_ms: 810 },
  ],
};

const EMPTY: Analytics = {
  from: "2026-11-18T00:00:00.000Z",
  to: "2026-11-25T00:00:00.000Z",
  overall: { ...group, calls: 0, completed: 0, failed: 0, in_progress: 0, success_rate: null, avg_duration_s: null, latency_ms: { avg: null, p95: null }, sentiment: { positive: 0, neutral: 0, negative: 0, unknown: 0 } },
  agents: [],
  days: [],
};

const renderAnalytics = (url = "/analytics") => renderPage(<AnalyticsPage />, { url, path: "/analytics" });

beforeEach(() => vi.stubGlobal("ResizeObserver", StubResizeObserver));
afterEach(() => vi.unstubAllGlobals());

describe("AnalyticsPage", () => {
  it("shows the answer's figures: tiles, unknown sentiment said plainly, per-agent table, charts", async () => {
    fakeApi({ "GET /api/agents": () => json(AGENTS), "GET /api/analytics": () => json(ANSWER) });
    const { container } = renderAnalytics();
    expect(await screen.findByTestId("tile-calls")).toHaveTextContent("12");
    expect(screen.getByTestId("tile-success")).toHaveTextContent("81.8 %");
    expect(screen.getByTestId("tile-latency-avg")).toHaveTextContent("520 ms");
    expect(screen.getByTestId("tile-latency-p95")).toHaveTextContent("810 ms");
    expect(screen.getByTestId("tile-duration")).toHaveTextContent("41.2 s");
    expect(screen.getByText("9 completed, 2 failed, 1 in progress")).toBeInTheDocument();
    const unknown = screen.getByTestId("sentiment-unknown");
    expect(unknown).toHaveTextContent("all 12 are unknown");
    expect(unknown).toHaveTextContent("post-call analysis");
    expect(unknown).toHaveTextContent("scores the caller's words offline (English only)");
    expect(unknown).toHaveTextContent("the agent's LLM");
    expect(unknown).toHaveTextContent('[calls] analysis = off turns analysis off');
    expect(unknown).not.toHaveTextContent("import");

    const rows = screen.getAllByTestId("agent-analytics-row");
    expect(within(rows[0]).getByRole("link", { name: "Front desk" })).toHaveAttribute("href", "/agents/agent_front");
    expect(rows[0]).toHaveTextContent("90 %");
    expect(rows[0]).toHaveTextContent("790 ms");
    expect(rows[1]).toHaveTextContent("agent_gone (deleted)");
    expect(rows[1]).toHaveTextContent("50 %");
    expect(rows[1]).toHaveTextContent("–");

    // The charts draw (recharts renders an SVG per chart once it has a size).
    await waitFor(() => expect(container.querySelectorAll("svg.recharts-surface").length).toBeGreaterThanOrEqual(4));
    expect(container.querySelectorAll(".recharts-bar-rectangle").length).toBeGreaterThan(0);
  });

  it("says nothing about unknown sentiment once some calls have one", async () => {
    const analysed = { ...group, sentiment: { positive: 5, neutral: 3, negative: 1, unknown: 3 } };
    fakeApi({ "GET /api/agents": () => json(AGENTS), "GET /api/analytics": () => json({ ...ANSWER, overall: analysed }) });
    renderAnalytics();
    expect(await screen.findByTestId("sentiment")).toBeInTheDocument();
    expect(screen.queryByTestId("sentiment-unknown")).not.toBeInTheDocument();
  });

  it("asks for the last 30 UTC days by default, and for the chosen agent and window", async () => {
    fakeApi({ "GET /api/agents": () => json(AGENTS), "GET /api/analytics": () => json(ANSWER) });
    const user = userEvent.setup();
    renderAnalytics();
    await screen.findByTestId("tile-calls");
    const expected30 = analyticsQuery("", 30);
    const first = requestsTo("GET", "/api/analytics")[0].query;
    expect(first.get("started_after")).toBe(expected30.started_after);
    expect(first.get("started_before")).toBe(expected30.started_before);
    expect(first.has("agent_id")).toBe(false);
    expect(Date.parse(first.get("started_before")!) - Date.parse(first.get("started_after")!)).toBe(30 * 86_400_000);

    await user.click(screen.getByRole("button", { name: "7 days" }));
    await user.selectOptions(screen.getByLabelText("Agent"), "agent_front");
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/analytics?agent_id=agent_front&days=7"));
    await waitFor(() => {
      const last = requestsTo("GET", "/api/analytics").at(-1)!.query;
      expect(last.get("agent_id")).toBe("agent_front");
      expect(Date.parse(last.get("started_before")!) - Date.parse(last.get("started_after")!)).toBe(7 * 86_400_000);
    });
    expect(screen.getByRole("button", { name: "7 days" })).toHaveAttribute("aria-pressed", "true");
    // One agent: the per-agent breakdown is left out.
    await waitFor(() => expect(screen.queryByTestId("agent-analytics")).not.toBeInTheDocument());
  });

  it("shows an empty state, not empty charts, for a window without calls", async () => {
    fakeApi({ "GET /api/agents": () => json(AGENTS), "GET /api/analytics": () => json(EMPTY) });
    const { container } = renderAnalytics("/analytics?days=7");
    expect(await screen.findByTestId("analytics-empty")).toHaveTextContent("No calls from 2026-11-18 to 2026-11-24 (UTC)");
    expect(container.querySelector("svg.recharts-surface")).toBeNull();
    expect(screen.queryByTestId("tile-calls")).not.toBeInTheDocument();
  });

  it("shows the API's message when the analytics cannot be computed", async () => {
    fakeApi({
      "GET /api/agents": () => json(AGENTS),
      "GET /api/analytics": () => problem(400, "invalid_query", "agent_id: no agent agent_x"),
    });
    renderAnalytics("/analytics?agent_id=agent_x");
    expect(await screen.findByText(/no agent agent_x/)).toBeInTheDocument();
  });
});
