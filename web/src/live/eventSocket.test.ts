import { FakeWebSocket } from "./testing/fakeWebSocket";
import { eventSocketUrl, openEventSocket, type SocketStatus } from "./eventSocket";

describe("eventSocketUrl", () => {
  it("uses ws:// on http pages and wss:// on https pages, with the key in the query", () => {
    expect(eventSocketUrl("/ws/events", "k 1", new URL("http://host:5240/calls") as unknown as Location)).toBe(
      "ws://host:5240/ws/events?token=k+1",
    );
    expect(eventSocketUrl("/ws/calls/call_1", "key", new URL("https://vox.example/x") as unknown as Location)).toBe(
      "wss://vox.example/ws/calls/call_1?token=key",
    );
  });
});

describe("openEventSocket", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => vi.useRealTimers());

  const open = (reconnect: boolean, events: unknown[], statuses: SocketStatus[]) =>
    openEventSocket("ws://host/ws/events?token=k", {
      reconnect,
      createSocket: (url) => new FakeWebSocket(url),
      onEvent: (event) => events.push(event),
      onStatus: (status) => statuses.push(status),
      initialDelayMs: 100,
      maxDelayMs: 300,
    });

  it("passes events on, skips frames that are not events, and reconnects with a growing delay", () => {
    const events: unknown[] = [];
    const statuses: SocketStatus[] = [];
    const close = open(true, events, statuses);
    const first = FakeWebSocket.instances[0];
    first.serverOpen();
    first.serverSend({ type: "call_started", call_id: "call_1", t_ms: 0, agent_id: "agent_1" });
    first.onmessage?.(new MessageEvent("message", { data: "not json" }));
    expect(events).toEqual([{ type: "call_started", call_id: "call_1", t_ms: 0, agent_id: "agent_1" }]);

    first.serverClose();
    expect(statuses.at(-1)).toBe("reconnecting");
    vi.advanceTimersByTime(99);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    // The second attempt fails too: the next waits twice as long.
    FakeWebSocket.instances[1].serverClose();
    vi.advanceTimersByTime(199);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(3);
    FakeWebSocket.instances[2].serverOpen();
    expect(statuses.at(-1)).toBe("open");

    close();
    expect(FakeWebSocket.instances[2].closedByClient).toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(3);
  });

  it("does not reconnect a per-call socket the server closed", () => {
    const statuses: SocketStatus[] = [];
    open(false, [], statuses);
    FakeWebSocket.instances[0].serverOpen();
    FakeWebSocket.instances[0].serverClose(1000);
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(statuses.at(-1)).toBe("closed");
  });
});
