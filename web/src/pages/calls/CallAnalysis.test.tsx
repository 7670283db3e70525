import { fakeApi, json, requestsTo } from "../../components/forms/testing/fakeApi";
import { act, screen, waitFor, within } from "@testing-library/react";
import { renderPage } from "../../components/forms/testing/renderPage";
import { signIn } from "../../auth/session";
import type { CallAnalysis } from "../../api/types";
import { FakeWebSocket } from "../../live/testing/fakeWebSocket";
import { CallDetailPage } from "./CallDetailPage";
import { AGENTS, makeCall } from "./testFixtures";

// The call page's Analysis section (call_analysis on the record, docs/api.md) and its refresh on call_analyzed.

class StubResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

const LEXICON: CallAnalysis = {
  method: "lexicon",
  user_sentiment: "positive",
  call_summary: null,
  call_successful: null,
  analyzed_at: "2026-11-24T09:02:06.000Z",
};
const LLM: CallAnalysis = {
  method: "llm",
  user_sentiment: "negative",
  call_summary: "The caller wanted a Tuesday appointment; none was free, and they hung up unhappy.",
  call_successful: false,
  provider: "llm.openai",
  analyzed_at: "2026-11-24T09:02:11.000Z",
};

const renderCall = (id: string) => renderPage(<CallDetailPage />, { url: `/calls/${id}`, path: "/calls/:callId" });
const serve = (id: string, answer: () => unknown) =>
  fakeApi({ "GET /api/agents": () => json(AGENTS), [`GET /api/calls/${id}`]: () => json(answer()) });

beforeEach(() => {
  signIn("test-key-0123456789");
  FakeWebSocket.reset();
  vi.stubGlobal("WebSocket", FakeWebSocket);
  vi.stubGlobal("ResizeObserver", StubResizeObserver);
});
afterEach(() => vi.unstubAllGlobals());

describe("CallDetailPage, the Analysis section", () => {
  it("shows the LLM's summary, sentiment, success verdict and provider, and stops listening", async () => {
    serve("call_llm", () => makeCall({ id: "call_llm", sentiment: "negative", call_analysis: LLM }));
    renderCall("call_llm");
    const section = await screen.findByTestId("call-analysis");
    expect(within(section).getByRole("heading", { name: "Analysis" })).toBeInTheDocument();
    expect(within(section).getByTestId("analysis-summary")).toHaveTextContent(
      "The caller wanted a Tuesday appointment; none was free, and they hung up unhappy.",
    );
    const badge = within(within(section).getByTestId("analysis-sentiment")).getByTestId("sentiment-badge");
    expect(badge).toHaveAttribute("data-sentiment", "negative");
    expect(badge).toHaveTextContent("negative");
    expect(badge).toHaveClass("bad");
    expect(within(section).getByTestId("analysis-successful")).toHaveTextContent("no");
    expect(section).toHaveTextContent("Call successful");
    expect(within(section).getByTestId("analysis-method")).toHaveTextContent("by llm.openai");
    expect(within(section).getByTestId("analysis-method")).toHaveTextContent("2026");
    expect(within(section).queryByTestId("analysis-none")).not.toBeInTheDocument();
    // The facts show the record's sentiment too.
    expect(within(screen.getByTestId("call-sentiment")).getByTestId("sentiment-badge")).toHaveAttribute("data-sentiment", "negative");
    // The LLM's analysis is the last one: no event socket.
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it("says yes for a successful call", async () => {
    serve("call_ok", () => makeCall({ id: "call_ok", call_analysis: { ...LLM, user_sentiment: "positive", call_successful: true } }));
    renderCall("call_ok");
    expect(await screen.findByTestId("analysis-successful")).toHaveTextContent("yes");
    expect(screen.getByTestId("analysis-successful")).toHaveAttribute("data-successful", "true");
  });

  it("shows the offline scoring without summary or verdict", async () => {
    serve("call_lex", () => makeCall({ id: "call_lex", sentiment: "positive", call_analysis: LEXICON }));
    renderCall("call_lex");
    const section = await screen.findByTestId("call-analysis");
    expect(within(section).getByTestId("sentiment-badge")).toHaveAttribute("data-sentiment", "positive");
    expect(within(section).getByTestId("sentiment-badge")).toHaveClass("ok");
    expect(within(section).getByTestId("analysis-method")).toHaveTextContent("Scored from the caller's words");
    expect(within(section).getByTestId("analysis-method")).toHaveAttribute("data-method", "lexicon");
    expect(within(section).queryByTestId("analysis-summary")).not.toBeInTheDocument();
    expect(within(section).queryByTestId("analysis-successful")).not.toBeInTheDocument();
    expect(section).not.toHaveTextContent("Call successful");
  });

  it("explains an unknown offline score", async () => {
    serve("call_fr", () => makeCall({ id: "call_fr", call_analysis: { ...LEXICON, user_sentiment: "unknown" } }));
    renderCall("call_fr");
    const sentiment = await screen.findByTestId("analysis-sentiment");
    expect(within(sentiment).getByTestId("sentiment-badge")).toHaveTextContent("unknown");
    expect(sentiment).toHaveTextContent("English only");
  });

  it('says "Not analysed" for an ended call without call_analysis', async () => {
    serve("call_old", () => makeCall({ id: "call_old" }));
    renderCall("call_old");
    const none = await screen.findByTestId("analysis-none");
    expect(none).toHaveTextContent(/^Not analysed\./);
    expect(none).toHaveTextContent('[calls] analysis = off');
    expect(screen.queryByTestId("analysis-method")).not.toBeInTheDocument();
  });

  it("shows no Analysis section while the call is live", async () => {
    const live = makeCall({ id: "call_live", status: "in_progress", ended_at: null, duration: undefined, disconnection_reason: null, transcript: [] });
    serve("call_live", () => live);
    renderCall("call_live");
    await screen.findByTestId("live-call");
    expect(screen.queryByTestId("call-analysis")).not.toBeInTheDocument();
    expect(screen.queryByText(/Not analysed/)).not.toBeInTheDocument();
  });
});

describe("CallDetailPage, call_analyzed on /ws/events", () => {
  it("refetches the record when its call_analyzed comes, so the LLM's summary appears without a reload", async () => {
    let stored = makeCall({ id: "call_lex", sentiment: "positive", call_analysis: LEXICON });
    serve("call_lex", () => stored);
    renderCall("call_lex");
    await screen.findByTestId("call-analysis");
    const [socket] = FakeWebSocket.to("/ws/events");
    expect(new URL(socket.url).searchParams.get("token")).toBe("test-key-0123456789");
    act(() => socket.serverOpen());
    const readsBefore = requestsTo("GET", "/api/calls/call_lex").length;

    // Another call's analysis, and this call's other events, change nothing.
    stored = makeCall({ id: "call_lex", sentiment: "negative", call_analysis: LLM });
    act(() => {
      socket.serverSend({ type: "call_analyzed", call_id: "call_other", call_analysis: LLM, sentiment: "negative" });
      socket.serverSend({ type: "call_ended", call_id: "call_lex", t_ms: 9000, reason: "user_hangup", duration_ms: 9000 });
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(requestsTo("GET", "/api/calls/call_lex")).toHaveLength(readsBefore);
    expect(screen.queryByTestId("analysis-summary")).not.toBeInTheDocument();

    act(() => socket.serverSend({ type: "call_analyzed", call_id: "call_lex", call_analysis: LLM, sentiment: "negative" }));
    await waitFor(() => expect(requestsTo("GET", "/api/calls/call_lex")).toHaveLength(readsBefore + 1));
    expect(await screen.findByTestId("analysis-summary")).toHaveTextContent("none was free");
    expect(screen.getByTestId("analysis-method")).toHaveTextContent("by llm.openai");
    // Nothing more to wait for: the socket is closed.
    await waitFor(() => expect(socket.closedByClient).toBe(true));
  });

  it("after a live call ends, shows its analysis and then the LLM's", async () => {
    let stored = makeCall({ id: "call_live", status: "in_progress", ended_at: null, duration: undefined, disconnection_reason: null, transcript: [] });
    serve("call_live", () => stored);
    renderCall("call_live");
    await screen.findByTestId("live-call");
    const [callSocket] = FakeWebSocket.to("/ws/calls/call_live");
    const [events] = FakeWebSocket.to("/ws/events");
    act(() => {
      callSocket.serverOpen();
      events.serverOpen();
    });

    stored = makeCall({ id: "call_live", sentiment: "positive", call_analysis: LEXICON });
    act(() => callSocket.serverSend({ type: "call_ended", call_id: "call_live", t_ms: 9000, reason: "user_hangup", duration_ms: 9000 }));
    expect(await screen.findByTestId("analysis-method")).toHaveTextContent("Scored from the caller's words");

    stored = makeCall({ id: "call_live", sentiment: "negative", call_analysis: LLM });
    act(() => events.serverSend({ type: "call_analyzed", call_id: "call_live", call_analysis: LLM, sentiment: "negative" }));
    expect(await screen.findByTestId("analysis-summary")).toHaveTextContent("none was free");
  });
});
