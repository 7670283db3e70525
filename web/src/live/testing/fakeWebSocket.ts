// A test double of the browser WebSocket for voxd's event sockets: tests install it with
// vi.stubGlobal("WebSocket", FakeWebSocket) and drive the server's side (open, send events, drop).
export class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;

  readonly url: string;
  readyState = FakeWebSocket.CONNECTING;
  closedByClient = false;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(url: string) {
    this.url = url;
    FakeWebSocket.instances.push(this);
  }

  static reset() {
    FakeWebSocket.instances = [];
  }

  /** The sockets opened to a path (e.g. "/ws/events"), oldest first. */
  static to(path: string): FakeWebSocket[] {
    return FakeWebSocket.instances.filter((socket) => new URL(socket.url).pathname === path);
  }

  send() {
    /* voxd ignores what a watcher sends; so does the fake */
  }

  close() {
    this.closedByClient = true;
    this.readyState = FakeWebSocket.CLOSED;
  }

  // The server's side.
  serverOpen() {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.(new Event("open"));
  }

  serverSend(event: object) {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(event) }));
  }

  serverClose(code = 1006) {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.(new CloseEvent("close", { code }));
  }
}
