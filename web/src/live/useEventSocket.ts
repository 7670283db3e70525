import { useEffect, useRef, useState } from "react";
import type { ProtocolEvent } from "@vox/web-call";
import { currentApiKey } from "../auth/session";
import { eventSocketUrl, openEventSocket, type EventSocketFactory, type SocketStatus } from "./eventSocket";

export interface UseEventSocketOptions {
  reconnect: boolean;
  /** Tests inject a fake WebSocket here. */
  createSocket?: EventSocketFactory;
}

/**
 * Listens to an event path (`/ws/events`, `/ws/calls/{id}`) while mounted and `path` is not null.
 * `onEvent` may change on every render: the latest one is called, without reopening the socket.
 */
export function useEventSocket(
  path: string | null,
  onEvent: (event: ProtocolEvent) => void,
  { reconnect, createSocket }: UseEventSocketOptions,
): SocketStatus {
  const [status, setStatus] = useState<SocketStatus>("connecting");
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    const apiKey = currentApiKey();
    if (!path || !apiKey) {
      setStatus("closed");
      return;
    }
    return openEventSocket(eventSocketUrl(path, apiKey), {
      reconnect,
      createSocket,
      onEvent: (event) => handler.current(event),
      onStatus: setStatus,
    });
  }, [path, reconnect, createSocket]);

  return status;
}
