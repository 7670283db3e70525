import type { ProtocolEvent } from "./events";

// The media socket's messages (docs/protocol.md section 2): what the client sends, how to read what it gets.

export type ClientMessage =
  | { type: "dtmf"; digit: string }
  | { type: "mark"; played_ms: number }
  | { type: "hangup" };

const DTMF_DIGIT = /^[0-9*#A-D]$/;

export function isDtmfDigit(digit: string): boolean {
  return DTMF_DIGIT.test(digit);
}

export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}

export type ServerMessage = { kind: "event"; event: ProtocolEvent } | { kind: "invalid"; reason: string };

/** Reads one text frame from the server: an event object with a string `type`, or why it is not one. */
export function parseServerText(text: string): ServerMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "invalid", reason: `not JSON: ${text.slice(0, 80)}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "invalid", reason: "not a JSON object" };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string") return { kind: "invalid", reason: "no string `type`" };
  return { kind: "event", event: value as ProtocolEvent };
}

/** WebSocket close codes the server uses (section 2.3), and the browser's 1006 for a lost connection. */
export const CLOSE_NORMAL = 1000;
const CLOSE_MEANINGS: Record<number, string> = {
  1000: "normal end",
  1001: "going away",
  1002: "protocol violation",
  1003: "a text frame that is not UTF-8",
  1006: "connection lost or refused",
  1009: "a frame bigger than 64 KiB",
  1011: "internal error on the server",
};

export function describeCloseCode(code: number): string {
  return CLOSE_MEANINGS[code] ?? "unexpected close";
}
