import type { CallAudio, CallAudioOptions } from "./callAudio";
import type { WebCallEvents } from "./events";
import { MicrophoneError } from "./microphone";
import { pcm16FromBytes, pcm16ToBytes } from "./pcm";
import { type AudioOutput, PlaybackScheduler } from "./playback";
import { VoxWebCall, type WebSocketLike } from "./webCall";

// A WebSocket the test drives: it records what the SDK sends and lets the test play the server.
class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  binaryType: BinaryType = "blob";
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly sent: (string | ArrayBuffer)[] = [];
  closedWith: number | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string | ArrayBuffer) {
    if (this.readyState !== 1) throw new Error("send on a socket that is not open");
    this.sent.push(data);
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  // The server's side.
  open() {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  receive(data: string | ArrayBuffer | object) {
    const payload = typeof data === "string" || data instanceof ArrayBuffer ? data : JSON.stringify(data);
    this.onmessage?.({ data: payload } as MessageEvent);
  }
  serverClose(code: number, reason = "") {
    this.readyState = 3;
    this.onclose?.({ code, reason } as CloseEvent);
  }
  messages(): Record<string, unknown>[] {
    return this.sent.filter((m): m is string => typeof m === "string").map((m) => JSON.parse(m));
  }
}

class FakeOutput implements AudioOutput {
  currentTime = 0;
  live = 0;
  play() {
    this.live++;
    return { stop: () => void this.live-- };
  }
}

// The audio layer faked at its interface, with the real playback scheduler on a fake clock.
function fakeAudio() {
  const output = new FakeOutput();
  const playback = new PlaybackScheduler(output, 16000, 80);
  const state = { options: null as CallAudioOptions | null, closed: false, output, playback };
  const factory = async (options: CallAudioOptions): Promise<CallAudio> => {
    state.options = options;
    return {
      playAgent: (frame) => playback.enqueue(frame),
      clearAgent: () => playback.clear(),
      playedMs: () => playback.playedMs(),
      agentLevel: () => playback.levelNow(),
      close: async () => {
        state.closed = true;
      },
    };
  };
  return { state, factory };
}

const SOCKET_URL = "ws://127.0.0.1:8081/calls/call_1?access_token=t";
const STARTED = {
  type: "call_started",
  call_id: "call_1",
  agent_id: "agent_1",
  sample_rate: 16000,
  encoding: "pcm_s16le",
  channels: 1,
  t_ms: 0,
};

function record<K extends keyof WebCallEvents>(call: VoxWebCall, name: K): WebCallEvents[K][] {
  const seen: WebCallEvents[K][] = [];
  call.on(name, (payload) => seen.push(payload));
  return seen;
}

async function joinedCall() {
  const audio = fakeAudio();
  const call = new VoxWebCall({ WebSocket: FakeSocket, createAudio: audio.factory });
  const started = call.startCall({ socketUrl: SOCKET_URL, sampleRate: 16000 });
  await vi.waitFor(() => expect(FakeSocket.instances).toHaveLength(1));
  const socket = FakeSocket.instances[0];
  socket.open();
  socket.receive(STARTED);
  await started;
  return { call, socket, audio };
}

beforeEach(() => {
  FakeSocket.instances = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe("VoxWebCall", () => {
  it("joins socket_url, emits call_started and streams caller frames as binary", async () => {
    const audio = fakeAudio();
    const call = new VoxWebCall({ WebSocket: FakeSocket, createAudio: audio.factory });
    const started = record(call, "call_started");
    const promise = call.startCall({ socketUrl: SOCKET_URL });
    await vi.waitFor(() => expect(FakeSocket.instances).toHaveLength(1));
    const socket = FakeSocket.instances[0];
    expect(socket.url).toBe(SOCKET_URL);
    expect(socket.binaryType).toBe("arraybuffer");
    socket.open();
    // Frames captured before call_started are not sent.
    audio.state.options?.onCallerFrame(new Int16Array(320).fill(5));
    expect(socket.sent).toHaveLength(0);
    socket.receive(STARTED);
    await promise;
    expect(call.state).toBe("live");
    expect(started).toEqual([{ callId: "call_1", agentId: "agent_1", sampleRate: 16000 }]);

    audio.state.options?.onCallerFrame(new Int16Array(320).fill(7));
    const frame = socket.sent[0] as ArrayBuffer;
    expect(frame.byteLength).toBe(640);
    expect(pcm16FromBytes(frame)[0]).toBe(7);
  });

  it("sends silence while muted, and the microphone again after unmute", async () => {
    const { call, socket, audio } = await joinedCall();
    call.mute();
    audio.state.options?.onCallerFrame(new Int16Array(320).fill(900));
    call.unmute();
    audio.state.options?.onCallerFrame(new Int16Array(320).fill(900));
    const frames = socket.sent.map((f) => pcm16FromBytes(f as ArrayBuffer));
    expect(frames[0].every((s) => s === 0)).toBe(true);
    expect(frames[1][0]).toBe(900);
  });

  it("plays agent frames and flushes them on clear, with a mark of what was played", async () => {
    const { call, socket, audio } = await joinedCall();
    for (let i = 0; i < 6; i++) socket.receive(pcm16ToBytes(new Int16Array(320).fill(4000)));
    expect(audio.state.output.live).toBe(6);
    expect(call.stats().framesReceived).toBe(6);
    expect(call.stats().agentRmsMax).toBeCloseTo(4000 / 32768, 3);
    audio.state.output.currentTime = 0.13; // two frames played, the third half-way
    socket.receive({ type: "clear" });
    // The four frames not over were stopped; the two that ended were never stopped (nothing to stop).
    expect(audio.state.output.live).toBe(2);
    expect(audio.state.playback.bufferedSeconds()).toBe(0);
    expect(socket.messages()).toContainEqual({ type: "mark", played_ms: 50 });
  });

  it("sends mark every 200 ms while played audio grows, and audio levels ~10 times a second", async () => {
    vi.useFakeTimers();
    const { call, socket, audio } = await joinedCall();
    const levels = record(call, "audio_level");
    socket.receive(pcm16ToBytes(new Int16Array(320).fill(16384)));
    audio.state.output.currentTime = 0.09;
    audio.state.options?.onCallerFrame(new Int16Array(320).fill(8192));
    vi.advanceTimersByTime(200);
    expect(levels).toHaveLength(2);
    expect(levels[1].agent).toBeCloseTo(0.5, 2);
    expect(levels[1].caller).toBeCloseTo(0.25, 2);
    expect(socket.messages()).toEqual([{ type: "mark", played_ms: 10 }]);
    vi.advanceTimersByTime(200); // nothing more played: no new mark
    expect(socket.messages()).toHaveLength(1);
  });

  it("merges transcript events into updates and re-emits every raw event", async () => {
    const { call, socket } = await joinedCall();
    const updates = record(call, "update");
    const raw = record(call, "event");
    const talking = record(call, "agent_start_talking");
    socket.receive({ type: "agent_start_talking", call_id: "call_1", t_ms: 10, turn: 0 });
    socket.receive({ type: "transcript", role: "agent", text: "Hello", final: false, turn: 0, t_ms: 20 });
    socket.receive({ type: "transcript", role: "agent", text: "Hello there.", final: true, turn: 0, t_ms: 30 });
    socket.receive({ type: "metrics", turn: 1, e2e_ms: 500, stt_ms: 100, llm_ms: 0, tts_ms: 50, t_ms: 40 });
    expect(talking).toEqual([{ turn: 0 }]);
    expect(updates).toHaveLength(2);
    expect(updates[1].transcript).toEqual([{ role: "agent", content: "Hello there.", final: true, turn: 0 }]);
    expect(raw.map((e) => e.type)).toEqual(["agent_start_talking", "transcript", "transcript", "metrics"]);
  });

  it("reports server errors and bad messages as error events; the call goes on", async () => {
    const { call, socket } = await joinedCall();
    const errors = record(call, "error");
    socket.receive({ type: "error", code: "bad_audio_frame", message: "odd length", fatal: false });
    socket.receive("{not json");
    expect(errors).toEqual([
      { code: "bad_audio_frame", message: "odd length", fatal: false },
      expect.objectContaining({ code: "bad_server_message", fatal: false }),
    ]);
    expect(call.state).toBe("live");
  });

  it("stopCall sends hangup, closes with 1000, releases the audio and emits call_ended", async () => {
    const { call, socket, audio } = await joinedCall();
    const ended = record(call, "call_ended");
    await call.stopCall();
    expect(socket.messages().at(-1)).toEqual({ type: "hangup" });
    expect(socket.closedWith).toBe(1000);
    expect(audio.state.closed).toBe(true);
    expect(ended).toEqual([{ reason: "user_hangup" }]);
    expect(call.state).toBe("ended");
    await call.stopCall(); // a second stop does nothing
    expect(ended).toHaveLength(1);
  });

  it("ends with the server's reason on call_ended then close 1000", async () => {
    const { call, socket, audio } = await joinedCall();
    const ended = record(call, "call_ended");
    const errors = record(call, "error");
    socket.receive({ type: "call_ended", reason: "agent_hangup", duration_ms: 9000 });
    socket.serverClose(1000);
    await vi.waitFor(() => expect(ended).toEqual([{ reason: "agent_hangup" }]));
    expect(errors).toEqual([]);
    expect(audio.state.closed).toBe(true);
  });

  it("turns an abnormal close into a fatal error and call_ended", async () => {
    const { call, socket } = await joinedCall();
    const ended = record(call, "call_ended");
    const errors = record(call, "error");
    socket.serverClose(1011, "boom");
    await vi.waitFor(() => expect(ended).toEqual([{ reason: "error_transport" }]));
    expect(errors).toEqual([
      { code: "socket_closed", message: expect.stringContaining("1011 internal error"), fatal: true },
    ]);
  });

  it("rejects startCall when the socket is refused before the call starts", async () => {
    const audio = fakeAudio();
    const call = new VoxWebCall({ WebSocket: FakeSocket, createAudio: audio.factory });
    const errors = record(call, "error");
    const promise = call.startCall({ socketUrl: SOCKET_URL });
    await vi.waitFor(() => expect(FakeSocket.instances).toHaveLength(1));
    FakeSocket.instances[0].serverClose(1006);
    await expect(promise).rejects.toThrow(/1006/);
    expect(errors[0].code).toBe("connection_failed");
    expect(audio.state.closed).toBe(true);
  });

  it("does not join when the microphone is denied", async () => {
    const call = new VoxWebCall({
      WebSocket: FakeSocket,
      createAudio: async () => {
        throw new MicrophoneError("microphone_denied", "Microphone access was denied.");
      },
    });
    const errors = record(call, "error");
    await expect(call.startCall({ socketUrl: SOCKET_URL })).rejects.toThrow(/denied/);
    expect(FakeSocket.instances).toHaveLength(0);
    expect(errors).toEqual([{ code: "microphone_denied", message: "Microphone access was denied.", fatal: true }]);
  });

  it("validates its input", async () => {
    const call = new VoxWebCall({ WebSocket: FakeSocket, createAudio: fakeAudio().factory });
    await expect(call.startCall({ socketUrl: "http://x/calls/1" })).rejects.toThrow(/ws:\/\//);
    await expect(call.startCall({ socketUrl: SOCKET_URL, sampleRate: 11025 })).rejects.toThrow(/sampleRate/);
    const { call: live, socket } = await joinedCall();
    expect(() => live.sendDtmf("x")).toThrow(RangeError);
    live.sendDtmf("#");
    expect(socket.messages()).toContainEqual({ type: "dtmf", digit: "#" });
  });
});
