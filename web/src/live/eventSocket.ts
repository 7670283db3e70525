import type { ProtocolEvent } from "@vox/web-call";

// A WebSocket to one of voxd's event streams (docs/protocol.md section 3), reopened with backoff when it drops.

export type SocketStatus = "connecting" | "open" | "reconnecting" | "closed";

/** What the socket needs from a WebSocket; tests pass a fake constructor. */
export interface EventSocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(code?: number, reason?: string): void;
}
export type EventSocketFactory = (url: string) => EventSocketLike;

export interface EventSocketOptions {
  onEvent: (event: ProtocolEvent) => void;
  onStatus?: (status: SocketStatus) => void;
  /** Reopen after a drop (the all-calls stream); a per-call stream ends for good after call_ended. */
  reconnect: boolean;
  createSocket?: EventSocketFactory;
  /** First retry delay; doubled per failure up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * The ws:// or wss:// URL of an event path on the host that served the page (in dev the Vite proxy forwards /ws).
 * Browsers cannot set headers on a WebSocket, so the API key travels in the query as the protocol allows.
 */
export function eventSocketUrl(path: string, apiKey: string, location: Location = window.location): string {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("token", apiKey);
  return url.toString();
}

function parseEvent(data: unknown): ProtocolEvent | null {
  if (typeof data !== "string") return null;
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed && typeof parsed === "object" && typeof (parsed as { type?: unknown }).type === "string") {
      return parsed as ProtocolEvent;
    }
  } catch {
    /* not JSON: the server never sends that; ignore rather than break the stream */
  }
  return null;
}

/** Opens the socket at once; answers a function that closes it and stops any retry. */
export function openEventSocket(url: string, options: EventSocketOptions): () => void {
  const create = options.createSocket ?? ((target: string) => new WebSocket(target) as EventSocketLike);
  const initialDelay = options.initialDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  let delay = initialDelay;
  let socket: EventSocketLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const setStatus = (status: SocketStatus) => options.onStatus?.(status);

  const connect = () => {
    setStatus(delay === initialDelay ? "connecting" : "reconnecting");
    const current = create(url);
    socket = current;
    current.onopen = () => {
      delay = initialDelay;
      setStatus("open");
    };
    current.onmessage = (message) => {
      const event = parseEvent(message.data);
      if (event) options.onEvent(event);
    };
    current.onerror = () => {
      /* a close follows every error; the retry is decided there */
    };
    current.onclose = () => {
      if (stopped || socket !== current) return;
      socket = null;
      if (!options.reconnect) {
        setStatus("closed");
        return;
      }
      setStatus("reconnecting");
      retryTimer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, maxDelay);
    };
  };

  connect();
  return () => {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    const current = socket;
    socket = null;
    if (current) {
      current.onopen = current.onmessage = current.onclose = current.onerror = null;
      current.close(1000, "page left");
    }
  };
}
