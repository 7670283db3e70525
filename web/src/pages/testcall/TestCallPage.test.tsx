import { fakeApi, json, problem, requestsTo } from "../../components/forms/testing/fakeApi";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import type { WebCallEvents } from "@vox/web-call";
import { TestCallPage } from "./TestCallPage";

// The SDK faked at its interface: the page's side of a call, driven by the test.
const sdk = vi.hoisted(() => {
  type Handler = (payload: never) => void;
  class FakeVoxWebCall {
    static last: FakeVoxWebCall | null = null;
    state = "idle";
    transcript: unknown[] = [];
    currentCallId: string | null = null;
    private handlers = new Map<string, Set<Handler>>();
    startCall = vi.fn(async () => {
      this.state = "connecting";
    });
    stopCall = vi.fn(async () => {
      this.state = "ended";
      this.emit("call_ended", { reason: "user_hangup" });
    });
    mute = vi.fn();
    unmute = vi.fn();
    constructor() {
      FakeVoxWebCall.last = this;
    }
    on(name: string, fn: Handler) {
      if (!this.handlers.has(name)) this.handlers.set(name, new Set());
      this.handlers.get(name)?.add(fn);
      return this;
    }
    off(name: string, fn: Handler) {
      this.handlers.get(name)?.delete(fn);
      return this;
    }
    stats() {
      return { framesSent: 10, framesReceived: 5, agentRmsMax: 0.3, agentPlayedMs: 100 };
    }
    emit(name: string, payload: unknown) {
      for (const fn of this.handlers.get(name) ?? []) (fn as (p: unknown) => void)(payload);
    }
  }
  return { FakeVoxWebCall, requestMicrophone: vi.fn() };
});

vi.mock("@vox/web-call", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@vox/web-call")>();
  return { ...actual, VoxWebCall: sdk.FakeVoxWebCall, requestMicrophone: sdk.requestMicrophone };
});

const AGENTS = [
  {
    id: "agent_demo",
    name: "Riverside Clinic receptionist (demo)",
    status: "active",
    description: "Books appointments.",
    language: "en-US",
    voice: "slt",
    created_at: "2026-11-24T10:00:00.000Z",
    updated_at: "2026-11-24T10:00:00.000Z",
    settings: {},
    stats: { calls_handled: 0, success_rate: 0, avg_latency: 0 },
  },
  {
    id: "agent_llm",
    name: "Front desk",
    status: "active",
    language: "en-US",
    voice: "slt",
    created_at: "2026-11-24T10:00:00.000Z",
    updated_at: "2026-11-24T10:00:00.000Z",
    settings: {},
    stats: { calls_handled: 0, success_rate: 0, avg_latency: 0 },
  },
];

const ROOM = {
  call_id: "call_42",
  agent_id: "agent_demo",
  access_token: "tok",
  expires_at: "2026-11-24T10:00:30.000Z",
  socket_url: "ws://127.0.0.1:8081/calls/call_42?access_token=tok",
  events_url: "ws://127.0.0.1:8080/ws/calls/call_42",
  sample_rate: 16000,
};

function serve(createRoom?: () => Response) {
  fakeApi({
    "GET /api/agents": () => json(AGENTS),
    ...(createRoom ? { "POST /api/test/create-room": createRoom } : {}),
  });
}

function renderPage(path = "/test-call") {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/test-call" element={<TestCallPage />} />
          <Route path="/agents/:agentId/test" element={<TestCallPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

// With no agent in the route the page preselects the first one once the list arrives.
async function enabledStartButton() {
  // The call panel is re-created for the chosen agent: query the button again each time.
  await waitFor(() => expect(screen.getByTestId("call-start")).toBeEnabled());
  return screen.getByTestId("call-start");
}

function fakeStream() {
  const track = { stop: vi.fn() };
  return { stream: { getTracks: () => [track] } as unknown as MediaStream, track };
}

function emit<K extends keyof WebCallEvents>(name: K, payload: WebCallEvents[K]) {
  act(() => sdk.FakeVoxWebCall.last?.emit(name, payload));
}

beforeEach(() => {
  sdk.FakeVoxWebCall.last = null;
  sdk.requestMicrophone.mockReset();
});
afterEach(() => {
  delete window.__voxTestCall;
});

describe("TestCallPage voice call", () => {
  it("starts a test room for the agent in the route, joins it and shows the live call", async () => {
    serve(() => json(ROOM, 201));
    sdk.requestMicrophone.mockResolvedValue(fakeStream().stream);
    const user = userEvent.setup();
    renderPage("/agents/agent_demo/test");

    expect(await screen.findByLabelText("Agent")).toHaveValue("agent_demo");
    await user.click(screen.getByTestId("call-start"));

    await waitFor(() => expect(sdk.FakeVoxWebCall.last?.startCall).toHaveBeenCalled());
    expect(requestsTo("POST", "/api/test/create-room")[0].body).toEqual({ agent_id: "agent_demo", sample_rate: 16000 });
    expect(sdk.FakeVoxWebCall.last?.startCall).toHaveBeenCalledWith(
      expect.objectContaining({ socketUrl: ROOM.socket_url, sampleRate: 16000 }),
    );
    expect(screen.getByTestId("call-state")).toHaveAttribute("data-state", "connecting");

    emit("call_started", { callId: "call_42", agentId: "agent_demo", sampleRate: 16000 });
    expect(screen.getByTestId("call-state")).toHaveAttribute("data-state", "live");

    emit("event", { type: "agent_start_talking", turn: 0 });
    expect(screen.getByTestId("agent-talking")).toHaveAttribute("data-active", "true");
    const greeting = { type: "transcript", role: "agent", text: "Would you like to book?", final: true, turn: 0 } as const;
    emit("update", { transcript: [{ role: "agent", content: "Would you like to book?", final: true, turn: 0 }], event: greeting });
    emit("event", { type: "agent_stop_talking", turn: 0, interrupted: false });
    emit("event", { type: "user_start_talking", turn: 1 });
    expect(screen.getByTestId("caller-talking")).toHaveAttribute("data-active", "true");
    const partial = { type: "transcript", role: "user", text: "ye", final: false, turn: 1 } as const;
    emit("update", {
      transcript: [
        { role: "agent", content: "Would you like to book?", final: true, turn: 0 },
        { role: "user", content: "ye", final: false, turn: 1 },
      ],
      event: partial,
    });
    emit("audio_level", { caller: 0.1, agent: 0.25 });
    emit("event", { type: "metrics", turn: 1, e2e_ms: 640, stt_ms: 300, llm_ms: null, tts_ms: 12 });
    emit("event", {
      type: "node_transition",
      from_node_id: "greet",
      to_node_id: "ask_day",
      node_type: "conversation",
      node_name: "Ask for a day",
      condition: "keyword",
    });

    const entries = within(screen.getByTestId("transcript")).getAllByTestId("transcript-entry");
    expect(entries.map((e) => [e.dataset.role, e.dataset.final, e.textContent])).toEqual([
      ["agent", "true", "AgentWould you like to book?"],
      ["user", "false", "Youye"],
    ]);
    expect(screen.getByTestId("agent-talking")).toHaveAttribute("data-active", "false");
    const row = within(screen.getByTestId("latency-table")).getByTestId("latency-row");
    expect(Array.from(row.querySelectorAll("td")).map((td) => td.textContent)).toEqual(["1", "640", "300", "–", "12"]);
    expect(screen.getByTestId("node-transitions")).toHaveTextContent("Ask for a day");
    expect(screen.getByTestId("agent-level")).toHaveAttribute("data-agent-audio-rms-max", "0.2500");
    expect(window.__voxTestCall).toMatchObject({ phase: "live", framesReceived: 5, agentPlayedRmsMax: 0.25 });

    // Hang up: the SDK's stopCall, then the link to the call's record.
    await user.click(screen.getByTestId("call-hangup"));
    expect(sdk.FakeVoxWebCall.last?.stopCall).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("call-state")).toHaveAttribute("data-state", "ended");
    expect(screen.getByTestId("call-end-reason")).toHaveTextContent("user_hangup");
    expect(screen.getByTestId("call-link")).toHaveAttribute("href", "/calls/call_42");
  });

  it("mutes and unmutes through the SDK", async () => {
    serve(() => json(ROOM, 201));
    sdk.requestMicrophone.mockResolvedValue(fakeStream().stream);
    const user = userEvent.setup();
    renderPage();
    await user.click(await enabledStartButton());
    await waitFor(() => expect(sdk.FakeVoxWebCall.last?.startCall).toHaveBeenCalled());
    emit("call_started", { callId: "call_42", agentId: "agent_demo", sampleRate: 16000 });
    await user.click(screen.getByTestId("call-mute"));
    expect(sdk.FakeVoxWebCall.last?.mute).toHaveBeenCalled();
    expect(screen.getByTestId("call-mute")).toHaveAttribute("aria-pressed", "true");
    await user.click(screen.getByTestId("call-mute"));
    expect(sdk.FakeVoxWebCall.last?.unmute).toHaveBeenCalled();
  });

  it("hanging up while the microphone prompt is open starts nothing", async () => {
    serve(() => json(ROOM, 201));
    const { stream, track } = fakeStream();
    let grant: (stream: MediaStream) => void = () => undefined;
    sdk.requestMicrophone.mockReturnValue(new Promise<MediaStream>((resolve) => (grant = resolve)));
    const user = userEvent.setup();
    renderPage();
    await user.click(await enabledStartButton());
    expect(screen.getByTestId("call-state")).toHaveAttribute("data-state", "starting");
    await user.click(screen.getByTestId("call-hangup"));
    await act(async () => grant(stream));
    await waitFor(() => expect(screen.getByTestId("call-state")).toHaveAttribute("data-state", "ended"));
    expect(track.stop).toHaveBeenCalled();
    expect(requestsTo("POST", "/api/test/create-room")).toHaveLength(0);
    expect(sdk.FakeVoxWebCall.last).toBeNull();
  });

  it("shows a denied microphone clearly and starts no call", async () => {
    const { MicrophoneError } = await import("@vox/web-call");
    serve();
    sdk.requestMicrophone.mockRejectedValue(
      new MicrophoneError("microphone_denied", "Microphone access was denied. Allow the microphone for this site."),
    );
    const user = userEvent.setup();
    renderPage();
    await user.click(await enabledStartButton());
    const message = await screen.findByTestId("call-start-error");
    expect(message).toHaveTextContent("Microphone access was denied");
    expect(message).toHaveTextContent("The call was not started");
    expect(requestsTo("POST", "/api/test/create-room")).toHaveLength(0);
    expect(sdk.FakeVoxWebCall.last).toBeNull();
    expect(screen.getByTestId("call-state")).toHaveAttribute("data-state", "idle");
  });

  it("shows the API's message when the room cannot be created, and releases the microphone", async () => {
    serve(() => problem(503, "provider_unavailable", "the agent's llm provider llm.openai is not loaded"));
    const { stream, track } = fakeStream();
    sdk.requestMicrophone.mockResolvedValue(stream);
    const user = userEvent.setup();
    renderPage("/agents/agent_llm/test");
    await screen.findByLabelText("Agent");
    await user.click(screen.getByTestId("call-start"));
    expect(await screen.findByTestId("call-start-error")).toHaveTextContent("llm.openai is not loaded");
    expect(track.stop).toHaveBeenCalled();
    expect(sdk.FakeVoxWebCall.last).toBeNull();
  });

  it("shows call errors and a call the server ended", async () => {
    serve(() => json(ROOM, 201));
    sdk.requestMicrophone.mockResolvedValue(fakeStream().stream);
    const user = userEvent.setup();
    renderPage();
    await user.click(await enabledStartButton());
    await waitFor(() => expect(sdk.FakeVoxWebCall.last?.startCall).toHaveBeenCalled());
    emit("call_started", { callId: "call_42", agentId: "agent_demo", sampleRate: 16000 });
    emit("error", { code: "flow_no_edge", message: "no edge matched", fatal: false });
    emit("error", { code: "socket_closed", message: "The call's connection closed: 1011", fatal: true });
    emit("call_ended", { reason: "error_transport" });
    expect(screen.getByTestId("call-errors")).toHaveTextContent("flow_no_edge");
    expect(screen.getByTestId("call-errors")).toHaveTextContent("1011");
    expect(screen.getByTestId("call-end-reason")).toHaveTextContent("error_transport");
    expect(screen.getByTestId("call-start")).toHaveTextContent("Call again");
  });

  it("tells when the agent in the route does not exist", async () => {
    serve();
    renderPage("/agents/agent_gone/test");
    expect(await screen.findByText(/No agent has the id/)).toBeInTheDocument();
    expect(screen.getByTestId("call-start")).toBeDisabled();
  });
});
