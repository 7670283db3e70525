import { fakeApi, json } from "../../components/forms/testing/fakeApi";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { TestCallPage } from "./TestCallPage";

// The keypad against the real SDK: only its WebSocket and audio are faked, so a key press is checked as the
// message on the media socket (docs/protocol.md section 2.2), and voxd's side is played by the test.
const fakes = vi.hoisted(() => {
  class FakeSocket {
    static instances: FakeSocket[] = [];
    binaryType: BinaryType = "blob";
    readyState = 0;
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: MessageEvent) => void) | null = null;
    onclose: ((event: CloseEvent) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    readonly sent: (string | ArrayBuffer)[] = [];
    constructor(readonly url: string) {
      FakeSocket.instances.push(this);
    }
    send(data: string | ArrayBuffer) {
      if (this.readyState !== 1) throw new Error("send on a socket that is not open");
      this.sent.push(data);
    }
    close() {
      this.readyState = 3;
    }
    // voxd's side.
    open() {
      this.readyState = 1;
      this.onopen?.(new Event("open"));
    }
    receive(event: object) {
      this.onmessage?.({ data: JSON.stringify(event) } as MessageEvent);
    }
    serverClose(code: number) {
      this.readyState = 3;
      this.onclose?.({ code, reason: "" } as CloseEvent);
    }
    /** The text messages the SDK sent, parsed. */
    messages(): Record<string, unknown>[] {
      return this.sent.filter((m): m is string => typeof m === "string").map((m) => JSON.parse(m));
    }
    dtmf(): unknown[] {
      return this.messages()
        .filter((m) => m.type === "dtmf")
        .map((m) => m.digit);
    }
  }
  const silentAudio = async () => ({
    playAgent: () => undefined,
    clearAgent: () => undefined,
    playedMs: () => 0,
    agentLevel: () => 0,
    close: async () => undefined,
  });
  return { FakeSocket, silentAudio, requestMicrophone: vi.fn() };
});

vi.mock("@vox/web-call", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@vox/web-call")>();
  class VoxWebCall extends actual.VoxWebCall {
    constructor() {
      super({ WebSocket: fakes.FakeSocket, createAudio: fakes.silentAudio });
    }
  }
  return { ...actual, VoxWebCall, requestMicrophone: fakes.requestMicrophone };
});

const AGENT = {
  id: "agent_ivr",
  name: "Bank IVR",
  status: "active",
  language: "en-US",
  voice: "slt",
  created_at: "2026-11-24T10:00:00.000Z",
  updated_at: "2026-11-24T10:00:00.000Z",
  settings: {},
  stats: { calls_handled: 0, success_rate: 0, avg_latency: 0 },
};

const ROOM = {
  call_id: "call_7",
  agent_id: "agent_ivr",
  access_token: "tok",
  expires_at: "2026-11-24T10:00:30.000Z",
  socket_url: "ws://127.0.0.1:8081/calls/call_7?access_token=tok",
  events_url: "ws://127.0.0.1:8080/ws/calls/call_7",
  sample_rate: 16000,
};

const STARTED = { type: "call_started", call_id: "call_7", agent_id: "agent_ivr", sample_rate: 16000, t_ms: 0 };

beforeEach(() => {
  fakes.FakeSocket.instances = [];
  fakes.requestMicrophone.mockReset();
  fakes.requestMicrophone.mockResolvedValue({ getTracks: () => [] } as unknown as MediaStream);
  fakeApi({
    "GET /api/agents": () => json([AGENT]),
    "POST /api/test/create-room": () => json(ROOM, 201),
  });
});
afterEach(() => {
  delete window.__voxTestCall;
});

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={["/agents/agent_ivr/test"]}>
        <Routes>
          <Route path="/agents/:agentId/test" element={<TestCallPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

/** Starts a call and returns its media socket, opened but before voxd's call_started. */
async function connectingCall(user: ReturnType<typeof userEvent.setup>) {
  renderPage();
  await waitFor(() => expect(screen.getByTestId("call-start")).toBeEnabled());
  await user.click(screen.getByTestId("call-start"));
  await waitFor(() => expect(fakes.FakeSocket.instances).toHaveLength(1));
  const socket = fakes.FakeSocket.instances[0];
  act(() => socket.open());
  return socket;
}

async function liveCall(user: ReturnType<typeof userEvent.setup>) {
  const socket = await connectingCall(user);
  act(() => socket.receive(STARTED));
  await waitFor(() => expect(screen.getByTestId("call-state")).toHaveAttribute("data-state", "live"));
  return socket;
}

describe("Test call keypad (DTMF)", () => {
  it("is there only while the call is live; afterwards the keys sent stay listed", async () => {
    const user = userEvent.setup();
    renderPage();
    await waitFor(() => expect(screen.getByTestId("call-start")).toBeEnabled());
    expect(screen.queryByTestId("dtmf-keypad")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("call-start"));
    await waitFor(() => expect(fakes.FakeSocket.instances).toHaveLength(1));
    const socket = fakes.FakeSocket.instances[0];
    act(() => socket.open());
    expect(screen.getByTestId("call-state")).toHaveAttribute("data-state", "connecting");
    expect(screen.queryByTestId("dtmf-keypad")).not.toBeInTheDocument();

    act(() => socket.receive(STARTED));
    const keypad = screen.getByRole("group", { name: "Keypad" });
    const keys = within(keypad).getAllByRole("button");
    expect(keys.map((key) => key.textContent)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"]);
    expect(keys.map((key) => key.getAttribute("aria-label"))).toContain("Key 5");
    expect(screen.getByTestId("dtmf-sent")).toHaveTextContent("Sent: nothing yet");

    await user.click(within(keypad).getByRole("button", { name: "Key 9" }));
    await user.click(screen.getByTestId("call-hangup"));
    expect(screen.getByTestId("call-state")).toHaveAttribute("data-state", "ended");
    expect(screen.queryByTestId("dtmf-keypad")).not.toBeInTheDocument();
    expect(screen.getByTestId("dtmf-sent")).toHaveTextContent("Keys sent: 9");
  });

  it("a click sends the key on the media socket and lists it; voxd's dtmf events count as received", async () => {
    const user = userEvent.setup();
    const socket = await liveCall(user);
    await user.click(screen.getByRole("button", { name: "Key 5" }));
    expect(socket.messages()).toContainEqual({ type: "dtmf", digit: "5" });
    await user.click(screen.getByRole("button", { name: "Key #" }));
    await user.click(screen.getByRole("button", { name: "Key 1" }));
    expect(socket.dtmf()).toEqual(["5", "#", "1"]);
    expect(screen.getByTestId("dtmf-sent")).toHaveTextContent("Sent: 5 # 1");

    act(() => socket.receive({ type: "dtmf", call_id: "call_7", digit: "5", t_ms: 900 }));
    act(() => socket.receive({ type: "dtmf", call_id: "call_7", digit: "#", t_ms: 950 }));
    expect(screen.getByTestId("dtmf-arrived")).toHaveTextContent("Received by voxd: 2 of 3");
  });

  it("takes 0-9, * and # from the keyboard while the keypad has focus, and nothing else", async () => {
    const user = userEvent.setup();
    const socket = await liveCall(user);

    // Focus elsewhere: typing a digit sends nothing.
    screen.getByTestId("call-mute").focus();
    await user.keyboard("5");
    expect(socket.dtmf()).toEqual([]);

    // Tab into the keypad (the keys are real buttons), then type.
    await user.tab();
    expect(screen.getByRole("button", { name: "Key 1" })).toHaveFocus();
    await user.keyboard("7*#0a{Control>}3{/Control}");
    expect(socket.dtmf()).toEqual(["7", "*", "#", "0"]);
    // The pressed key takes the focus, so the eye sees which one went.
    expect(screen.getByRole("button", { name: "Key 0" })).toHaveFocus();
    // Enter on a focused key presses it, once.
    await user.keyboard("{Enter}");
    expect(socket.dtmf()).toEqual(["7", "*", "#", "0", "0"]);
    expect(screen.getByTestId("dtmf-sent")).toHaveTextContent("Sent: 7 * # 0 0");
  });

  it("a key pressed as the call ends is not sent, and nothing breaks", async () => {
    const user = userEvent.setup();
    const socket = await liveCall(user);
    const key = screen.getByRole("button", { name: "Key 4" });
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.error);
    window.addEventListener("error", onError);
    // The end is deliberately outside act(), so React warns about it; only that warning is expected.
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let warnings: unknown[][] = [];
    try {
      // voxd ends the call, and the click lands before React has re-rendered: the SDK's sendDtmf throws.
      socket.receive({ type: "call_ended", call_id: "call_7", reason: "agent_hangup", t_ms: 2000 });
      socket.serverClose(1000);
      fireEvent.click(key);
    } finally {
      window.removeEventListener("error", onError);
      warnings = [...consoleError.mock.calls];
      consoleError.mockRestore();
    }
    expect(errors).toEqual([]);
    for (const [message] of warnings) expect(String(message)).toMatch(/not wrapped in act/);
    expect(socket.dtmf()).toEqual([]);
    await waitFor(() => expect(screen.getByTestId("call-state")).toHaveAttribute("data-state", "ended"));
    expect(screen.getByTestId("call-end-reason")).toHaveTextContent("agent_hangup");
    expect(screen.queryByTestId("dtmf-keypad")).not.toBeInTheDocument();
    expect(screen.queryByTestId("dtmf-sent")).not.toBeInTheDocument();
  });

  it("says so when a key could not be sent while the keypad is still up", async () => {
    const user = userEvent.setup();
    const socket = await liveCall(user);
    const { VoxWebCall } = await import("@vox/web-call");
    const sendDtmf = vi.spyOn(VoxWebCall.prototype, "sendDtmf").mockImplementationOnce(() => {
      throw new Error("sendDtmf: no live call");
    });
    await user.click(screen.getByRole("button", { name: "Key 2" }));
    expect(screen.getByTestId("dtmf-not-sent")).toHaveTextContent("Key 2 was not sent");
    expect(screen.getByTestId("dtmf-sent")).toHaveTextContent("Sent: nothing yet");
    sendDtmf.mockRestore();
    await user.click(screen.getByRole("button", { name: "Key 2" }));
    expect(socket.dtmf()).toEqual(["2"]);
    expect(screen.queryByTestId("dtmf-not-sent")).not.toBeInTheDocument();
  });
});
