import { fakeApi, json, problem, requestsTo } from "../../components/forms/testing/fakeApi";
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderPage } from "../../components/forms/testing/renderPage";
import { signIn } from "../../auth/session";
import { FakeWebSocket } from "../../live/testing/fakeWebSocket";
import { CallDetailPage } from "./CallDetailPage";
import { AGENTS, makeCall } from "./testFixtures";

// wavesurfer.js draws on a canvas and decodes with Web Audio, neither of which jsdom has: fake it at its
// interface and check what the page gives it.
const wavesurfer = vi.hoisted(() => ({
  loaded: [] as Blob[],
  options: [] as Record<string, unknown>[],
}));
vi.mock("wavesurfer.js", () => ({
  default: {
    create: (options: Record<string, unknown>) => {
      wavesurfer.options.push(options);
      const handlers = new Map<string, (...args: unknown[]) => void>();
      return {
        on: (name: string, fn: (...args: unknown[]) => void) => {
          handlers.set(name, fn);
          return () => handlers.delete(name);
        },
        loadBlob: async (blob: Blob) => {
          wavesurfer.loaded.push(blob);
          handlers.get("ready")?.(3.5);
        },
        playPause: async () => handlers.get("play")?.(),
        destroy: () => undefined,
      };
    },
  },
}));

class StubResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

const FLOW_CALL = makeCall({
  id: "call_flow",
  agent_id: "agent_demo",
  disconnection_reason: "agent_hangup",
  flow_path: [
    { node_id: "greet", type: "conversation", name: "Greeting", t_ms: 0 },
    { node_id: "ask_day", type: "extract_variables", name: "Ask the day", t_ms: 4200 },
    { node_id: "bye", type: "end_call", t_ms: 9100 },
  ],
  collected_variables: { day: "tuesday" } as never,
  provider_switches: [{ stage: "tts", from: "tts.elevenlabs", to: "tts.flite", reason: "timeout", t_ms: 3000 }],
  metadata: { source: "import" } as never,
});

const LIVE_CALL = makeCall({
  id: "call_live",
  status: "in_progress",
  direction: "web",
  duration: undefined,
  ended_at: null,
  disconnection_reason: null,
  latency: {},
  transcript: [],
});

const renderCall = (id: string) => renderPage(<CallDetailPage />, { url: `/calls/${id}`, path: "/calls/:callId" });

beforeEach(() => {
  signIn("test-key-0123456789");
  FakeWebSocket.reset();
  wavesurfer.loaded.length = 0;
  wavesurfer.options.length = 0;
  vi.stubGlobal("WebSocket", FakeWebSocket);
  vi.stubGlobal("ResizeObserver", StubResizeObserver);
});
afterEach(() => vi.unstubAllGlobals());

describe("CallDetailPage, a stored call", () => {
  it("shows the facts, the reason explained, transcript, latency, flow path, variables, switches and metadata", async () => {
    fakeApi({ "GET /api/agents": () => json(AGENTS), "GET /api/calls/call_flow": () => json(FLOW_CALL) });
    renderCall("call_flow");

    const reason = await screen.findByTestId("disconnection-reason");
    expect(reason).toHaveTextContent("agent_hangup");
    expect(reason).toHaveTextContent("The agent ended the call");
    expect(await screen.findByRole("heading", { name: "Call with Riverside Clinic receptionist (demo)" })).toBeInTheDocument();
    expect(screen.getByTestId("call-facts")).toHaveTextContent("+14155550100");
    expect(screen.getByTestId("call-facts")).toHaveTextContent("2 m 05 s");

    const lines = screen.getAllByTestId("transcript-line");
    expect(lines.map((line) => line.dataset.speaker)).toEqual(["agent", "user"]);
    expect(lines[1]).toHaveTextContent("Caller");
    expect(lines[1]).toHaveTextContent("0:02.1");
    expect(lines[1]).toHaveTextContent("I'd like an appointment.");

    expect(within(screen.getByTestId("latency-e2e")).getByText("480 ms")).toBeInTheDocument();
    expect(within(screen.getByTestId("latency-e2e")).getByText("655 ms")).toBeInTheDocument();
    expect(within(screen.getByTestId("latency-llm")).getByText("210 ms")).toBeInTheDocument();

    const steps = screen.getAllByTestId("flow-step");
    expect(steps.map((step) => step.textContent)).toEqual([
      expect.stringContaining("Greeting"),
      expect.stringContaining("Ask the day"),
      expect.stringContaining("bye"),
    ]);
    expect(steps[1]).toHaveTextContent("0:04.2");
    expect(screen.getByTestId("collected-variables")).toHaveTextContent("tuesday");
    expect(screen.getByTestId("provider-switches")).toHaveTextContent("tts.flite");
    expect(screen.getByTestId("call-metadata")).toHaveTextContent('"source": "import"');
    expect(screen.queryByTestId("live-call")).not.toBeInTheDocument();
    // A stored call has no call socket; it listens on /ws/events only for its analysis (CallAnalysis.test.tsx).
    expect(FakeWebSocket.to("/ws/calls/call_flow")).toHaveLength(0);
  });

  it("fetches the recording with the API key and plays it in a split-channel waveform", async () => {
    const wav = new Uint8Array([82, 73, 70, 70]);
    fakeApi({
      "GET /api/agents": () => json(AGENTS),
      "GET /api/calls/call_rec": () => json(makeCall({ id: "call_rec", recording_url: "/api/calls/call_rec/recording" })),
      "GET /api/calls/call_rec/recording": () => new Response(wav, { headers: { "Content-Type": "audio/wav" } }),
    });
    const user = userEvent.setup();
    renderCall("call_rec");
    const play = await screen.findByRole("button", { name: "Play the recording" });
    await waitFor(() => expect(play).toBeEnabled());
    const [download] = requestsTo("GET", "/api/calls/call_rec/recording");
    expect(download.headers.get("Authorization")).toBe("Bearer test-key-0123456789");
    expect(wavesurfer.loaded).toHaveLength(1);
    expect(new Uint8Array(await wavesurfer.loaded[0].arrayBuffer())).toEqual(wav);
    expect(wavesurfer.options[0].splitChannels).toHaveLength(2);
    await user.click(play);
    expect(await screen.findByRole("button", { name: "Pause the recording" })).toBeInTheDocument();
  });

  it("shows the API's message when the recording is missing", async () => {
    fakeApi({
      "GET /api/agents": () => json(AGENTS),
      "GET /api/calls/call_rec": () => json(makeCall({ id: "call_rec", recording_url: "/api/calls/call_rec/recording" })),
      "GET /api/calls/call_rec/recording": () => problem(404, "recording_not_found", "call call_rec has no recording"),
    });
    renderCall("call_rec");
    expect(await screen.findByText(/call call_rec has no recording/)).toBeInTheDocument();
  });

  it("shows the API's message for an unknown call", async () => {
    fakeApi({
      "GET /api/agents": () => json(AGENTS),
      "GET /api/calls/call_nope": () => problem(404, "call_not_found", "no call call_nope"),
    });
    renderCall("call_nope");
    expect(await screen.findByText(/no call call_nope/)).toBeInTheDocument();
  });
});

describe("CallDetailPage, a live call opened mid-call", () => {
  it("shows the lines said before it opened, from the snapshot, then the new ones", async () => {
    const midCall = { ...LIVE_CALL, transcript: [{ speaker: "agent", text: "Hello, this is the clinic." }] };
    fakeApi({ "GET /api/agents": () => json(AGENTS), "GET /api/calls/call_live": () => json(LIVE_CALL) });
    renderCall("call_live");
    await screen.findByTestId("live-call");
    const [socket] = FakeWebSocket.to("/ws/calls/call_live");
    act(() => {
      socket.serverOpen();
      socket.serverSend({ type: "snapshot", call: midCall });
      socket.serverSend({ type: "transcript", call_id: "call_live", t_ms: 2900, role: "user", text: "Tuesday please", final: true, turn: 1 });
    });
    const lines = screen.getAllByTestId("live-transcript-line");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveTextContent("Hello, this is the clinic.");
    expect(lines[1]).toHaveTextContent("Tuesday please");
  });
});

describe("CallDetailPage, a live call", () => {
  it("follows the call's events: snapshot, partial then final transcript, talking, metrics, nodes; refetches on call_ended", async () => {
    let stored = LIVE_CALL;
    fakeApi({ "GET /api/agents": () => json(AGENTS), "GET /api/calls/call_live": () => json(stored) });
    renderCall("call_live");
    await screen.findByTestId("live-call");
    const [socket] = FakeWebSocket.to("/ws/calls/call_live");
    expect(new URL(socket.url).searchParams.get("token")).toBe("test-key-0123456789");
    act(() => {
      socket.serverOpen();
      socket.serverSend({ type: "snapshot", call: LIVE_CALL });
      socket.serverSend({ type: "node_transition", call_id: "call_live", t_ms: 0, from_node_id: null, to_node_id: "greet", node_type: "conversation", node_name: "Greeting", condition: "start" });
      socket.serverSend({ type: "agent_start_talking", call_id: "call_live", t_ms: 100, turn: 0 });
    });
    expect(screen.getByTestId("agent-talking")).toHaveAttribute("data-active", "true");
    expect(screen.getByTestId("live-transitions")).toHaveTextContent("Greeting");

    act(() => {
      socket.serverSend({ type: "agent_stop_talking", call_id: "call_live", t_ms: 1500, turn: 0, interrupted: false });
      socket.serverSend({ type: "user_start_talking", call_id: "call_live", t_ms: 2000, turn: 1 });
      socket.serverSend({ type: "transcript", call_id: "call_live", t_ms: 2300, role: "user", text: "I would", final: false, turn: 1 });
    });
    expect(screen.getByTestId("caller-talking")).toHaveAttribute("data-active", "true");
    let lines = screen.getAllByTestId("live-transcript-line");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveAttribute("data-final", "false");

    act(() => {
      socket.serverSend({ type: "transcript", call_id: "call_live", t_ms: 2900, role: "user", text: "I would like Tuesday", final: true, turn: 1 });
      socket.serverSend({ type: "user_stop_talking", call_id: "call_live", t_ms: 3000, turn: 1 });
      socket.serverSend({ type: "metrics", call_id: "call_live", t_ms: 3500, turn: 1, e2e_ms: 512, stt_ms: 130, llm_ms: null, tts_ms: 95 });
    });
    lines = screen.getAllByTestId("live-transcript-line");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveAttribute("data-final", "true");
    expect(lines[0]).toHaveTextContent("I would like Tuesday");
    expect(screen.getByTestId("caller-talking")).toHaveAttribute("data-active", "false");
    expect(screen.getByTestId("live-metrics")).toHaveTextContent("512 ms");

    const readsBefore = requestsTo("GET", "/api/calls/call_live").length;
    stored = makeCall({ id: "call_live", direction: "web", disconnection_reason: "user_hangup" });
    act(() => socket.serverSend({ type: "call_ended", call_id: "call_live", t_ms: 9000, reason: "user_hangup", duration_ms: 9000 }));
    await waitFor(() => expect(requestsTo("GET", "/api/calls/call_live").length).toBe(readsBefore + 1));
    await waitFor(() => expect(screen.queryByTestId("live-call")).not.toBeInTheDocument());
    expect(screen.getByTestId("call-status")).toHaveTextContent("completed");
  });

  it("ends the call with POST /api/calls/end after confirmation, and shows the API's refusal", async () => {
    let endAnswer = () => problem(409, "call_not_active", "call call_live already ended (completed)");
    fakeApi({
      "GET /api/agents": () => json(AGENTS),
      "GET /api/calls/call_live": () => json(LIVE_CALL),
      "POST /api/calls/end": () => endAnswer(),
    });
    const user = userEvent.setup();
    renderCall("call_live");
    await user.click(await screen.findByRole("button", { name: "End call" }));
    expect(requestsTo("POST", "/api/calls/end")).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Yes, end the call" }));
    expect(await screen.findByText(/already ended \(completed\)/)).toBeInTheDocument();
    expect(requestsTo("POST", "/api/calls/end")[0].body).toEqual({ call_id: "call_live" });

    endAnswer = () => json(makeCall({ id: "call_live", disconnection_reason: "api_hangup" }));
    const readsBefore = requestsTo("GET", "/api/calls/call_live").length;
    await user.click(screen.getByRole("button", { name: "End call" }));
    await user.click(screen.getByRole("button", { name: "Yes, end the call" }));
    await waitFor(() => expect(requestsTo("POST", "/api/calls/end")).toHaveLength(2));
    await waitFor(() => expect(requestsTo("GET", "/api/calls/call_live").length).toBeGreaterThan(readsBefore));
  });
});
