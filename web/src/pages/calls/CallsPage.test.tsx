import { fakeApi, json, problem, requestsTo } from "../../components/forms/testing/fakeApi";
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderPage } from "../../components/forms/testing/renderPage";
import { signIn } from "../../auth/session";
import { FakeWebSocket } from "../../live/testing/fakeWebSocket";
import { CALLS_PAGE_SIZE, CallsPage, LIVE_REFETCH_DELAY_MS } from "./CallsPage";
import { AGENTS, makeCall } from "./testFixtures";

const PAGE_1 = [
  makeCall({
    id: "call_live",
    status: "in_progress",
    direction: "web",
    duration: undefined,
    ended_at: null,
    disconnection_reason: null,
    latency: {},
  }),
  makeCall({ id: "call_done", sentiment: "positive" }),
];
const PAGE_2 = [makeCall({ id: "call_old", agent_id: "agent_demo", disconnection_reason: "no_connection", status: "failed" })];

function serveCalls() {
  fakeApi({
    "GET /api/agents": () => json(AGENTS),
    "GET /api/calls": (request) =>
      request.query.get("cursor") === "c2"
        ? json(PAGE_2)
        : json(PAGE_1, 200, { "X-Next-Cursor": "c2" }),
  });
}

const renderCalls = (url = "/calls") => renderPage(<CallsPage />, { url, path: "/calls" });

beforeEach(() => {
  signIn("test-key-0123456789");
  FakeWebSocket.reset();
  vi.stubGlobal("WebSocket", FakeWebSocket);
});
afterEach(() => vi.unstubAllGlobals());

describe("CallsPage", () => {
  it("lists calls with agent names, live status, reason and latency, each linking to its page", async () => {
    serveCalls();
    renderCalls();
    const rows = await screen.findAllByTestId("call-row");
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByTestId("call-status")).toHaveTextContent("in progress");
    expect(within(rows[0]).getByText("ongoing")).toBeInTheDocument();
    expect(within(rows[1]).getByText("Front desk")).toBeInTheDocument();
    expect(within(rows[1]).getByText("user_hangup")).toBeInTheDocument();
    expect(within(rows[1]).getByText("480 ms")).toBeInTheDocument();
    expect(within(rows[1]).getByText("2 m 05 s")).toBeInTheDocument();
    expect(within(rows[1]).getByTestId("call-link")).toHaveAttribute("href", "/calls/call_done");
    expect(requestsTo("GET", "/api/calls")[0].query.get("limit")).toBe(String(CALLS_PAGE_SIZE));
  });

  it("shows each call's sentiment as a badge, and a dash when it is unknown", async () => {
    serveCalls();
    renderCalls();
    const rows = await screen.findAllByTestId("call-row");
    expect(screen.getByRole("columnheader", { name: "Sentiment" })).toBeInTheDocument();
    const known = within(rows[1]).getByTestId("sentiment-badge");
    expect(known).toHaveAttribute("data-sentiment", "positive");
    expect(known).toHaveTextContent("positive");
    expect(known).toHaveClass("badge", "ok");
    const unknown = within(rows[0]).getByTestId("sentiment-badge");
    expect(unknown).toHaveAttribute("data-sentiment", "unknown");
    expect(unknown).toHaveTextContent(/^–$/);
    expect(unknown).not.toHaveClass("badge");
  });

  it("opens a call from anywhere on its row, and from its link by keyboard", async () => {
    serveCalls();
    const user = userEvent.setup();
    const { unmount } = renderCalls();
    const rows = await screen.findAllByTestId("call-row");
    await user.click(within(rows[1]).getByText("Front desk"));
    expect(screen.getByTestId("location")).toHaveTextContent("/calls/call_done");
    unmount();

    renderCalls();
    const link = within((await screen.findAllByTestId("call-row"))[0]).getByTestId("call-link");
    link.focus();
    await user.keyboard("{Enter}");
    expect(screen.getByTestId("location")).toHaveTextContent("/calls/call_live");
  });

  it("puts the filters into the URL and the request, and reads them back from a linked URL", async () => {
    serveCalls();
    const user = userEvent.setup();
    renderCalls("/calls?status=failed");
    await screen.findAllByTestId("call-row");
    expect(screen.getByLabelText("Status")).toHaveValue("failed");
    expect(requestsTo("GET", "/api/calls")[0].query.get("status")).toBe("failed");

    await user.selectOptions(screen.getByLabelText("Agent"), "agent_demo");
    await user.selectOptions(screen.getByLabelText("Direction"), "web");
    await user.type(screen.getByLabelText("Started from"), "2026-11-01");
    await user.type(screen.getByLabelText("Started until"), "2026-11-24");

    await waitFor(() =>
      expect(screen.getByTestId("location")).toHaveTextContent(
        "/calls?agent_id=agent_demo&status=failed&direction=web&from=2026-11-01&to=2026-11-24",
      ),
    );
    await waitFor(() => {
      const last = requestsTo("GET", "/api/calls").at(-1)!.query;
      expect(last.get("agent_id")).toBe("agent_demo");
      expect(last.get("direction")).toBe("web");
      expect(last.get("status")).toBe("failed");
      // Whole local days: from midnight of the first to midnight after the last.
      expect(last.get("started_after")).toBe(new Date(2026, 10, 1).toISOString());
      expect(last.get("started_before")).toBe(new Date(2026, 10, 25).toISOString());
    });

    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(/^\/calls$/));
  });

  it("refuses an end date before the start date without asking the API", async () => {
    serveCalls();
    renderCalls("/calls?from=2026-11-20&to=2026-11-10");
    expect(await screen.findByRole("alert")).toHaveTextContent("The end date is before the start date.");
    expect(requestsTo("GET", "/api/calls")).toHaveLength(0);
  });

  it("pages forward with the API's cursor and back with the cursor stack", async () => {
    serveCalls();
    const user = userEvent.setup();
    renderCalls();
    await screen.findAllByTestId("call-row");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(screen.getAllByTestId("call-row").map((row) => row.dataset.callId)).toEqual(["call_old"]));
    expect(requestsTo("GET", "/api/calls").at(-1)!.query.get("cursor")).toBe("c2");
    expect(screen.getByText("Page 2")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" })).toBeDisabled();

    await user.click(screen.getByRole("button", { name: "Previous" }));
    await waitFor(() => expect(screen.getAllByTestId("call-row")).toHaveLength(2));
    expect(requestsTo("GET", "/api/calls").at(-1)!.query.get("cursor")).toBeNull();
  });

  it("refetches the page once per burst of call_started / call_ended on the event socket", async () => {
    serveCalls();
    renderCalls();
    await screen.findAllByTestId("call-row");
    const [socket] = FakeWebSocket.to("/ws/events");
    expect(new URL(socket.url).searchParams.get("token")).toBe("test-key-0123456789");
    act(() => socket.serverOpen());
    expect(screen.getByTestId("live-indicator")).toHaveAttribute("data-status", "open");
    const before = requestsTo("GET", "/api/calls").length;

    act(() => {
      socket.serverSend({ type: "transcript", call_id: "call_live", t_ms: 10, role: "user", text: "hi", final: true });
    });
    await new Promise((resolve) => setTimeout(resolve, LIVE_REFETCH_DELAY_MS + 100));
    expect(requestsTo("GET", "/api/calls")).toHaveLength(before);

    act(() => {
      socket.serverSend({ type: "call_ended", call_id: "call_live", t_ms: 5000, reason: "user_hangup", duration_ms: 5000 });
      socket.serverSend({ type: "call_started", call_id: "call_new", t_ms: 0, agent_id: "agent_front" });
    });
    await waitFor(() => expect(requestsTo("GET", "/api/calls")).toHaveLength(before + 1), { timeout: 2000 });
    await new Promise((resolve) => setTimeout(resolve, LIVE_REFETCH_DELAY_MS + 100));
    expect(requestsTo("GET", "/api/calls")).toHaveLength(before + 1);
  });

  it("refetches the page when a call_analyzed comes (the LLM's sentiment, after call_ended)", async () => {
    serveCalls();
    renderCalls();
    await screen.findAllByTestId("call-row");
    const [socket] = FakeWebSocket.to("/ws/events");
    act(() => socket.serverOpen());
    const before = requestsTo("GET", "/api/calls").length;
    act(() => {
      socket.serverSend({
        type: "call_analyzed",
        call_id: "call_done",
        sentiment: "negative",
        call_analysis: { method: "llm", user_sentiment: "negative", call_summary: "Unhappy.", call_successful: false, provider: "llm.openai", analyzed_at: "2026-11-24T09:02:11.000Z" },
      });
    });
    await waitFor(() => expect(requestsTo("GET", "/api/calls")).toHaveLength(before + 1), { timeout: 2000 });
  });

  it("shows that it is reconnecting when the event socket drops", async () => {
    serveCalls();
    renderCalls();
    await screen.findAllByTestId("call-row");
    const [socket] = FakeWebSocket.to("/ws/events");
    act(() => socket.serverOpen());
    act(() => socket.serverClose(1006));
    expect(screen.getByTestId("live-indicator")).toHaveAttribute("data-status", "reconnecting");
    await waitFor(() => expect(FakeWebSocket.to("/ws/events")).toHaveLength(2), { timeout: 2500 });
  });

  it("shows the API's message when listing fails, and an empty state when there is nothing", async () => {
    fakeApi({
      "GET /api/agents": () => json(AGENTS),
      "GET /api/calls": () => problem(400, "invalid_query", "started_after is not an ISO-8601 time"),
    });
    renderCalls();
    expect(await screen.findByText(/started_after is not an ISO-8601 time/)).toBeInTheDocument();
  });

  it("says when no call matches the filters", async () => {
    fakeApi({ "GET /api/agents": () => json(AGENTS), "GET /api/calls": () => json([]) });
    renderCalls("/calls?direction=outbound");
    expect(await screen.findByText("No call matches these filters.")).toBeInTheDocument();
  });
});
