import { useCallback, useReducer } from "react";
import {
  isEvent,
  type MetricsEvent,
  type NodeTransitionEvent,
  type ProtocolEvent,
  type TranscriptEntry,
  type TranscriptEvent,
} from "@vox/web-call";
import type { Call } from "../api/types";
import type { SocketStatus } from "./eventSocket";
import { useEventSocket, type UseEventSocketOptions } from "./useEventSocket";

/** What a dashboard shows of a call in progress, built from its event socket. */
export interface LiveCallState {
  /** The record as the snapshot gave it, when it came. */
  snapshot: Call | null;
  transcript: TranscriptEntry[];
  userTalking: boolean;
  agentTalking: boolean;
  metrics: MetricsEvent[];
  transitions: NodeTransitionEvent[];
  errors: { code: string; message: string; fatal: boolean }[];
  /** The reason of call_ended once it came. */
  endedReason: string | null;
}

const INITIAL: LiveCallState = {
  snapshot: null,
  transcript: [],
  userTalking: false,
  agentTalking: false,
  metrics: [],
  transitions: [],
  errors: [],
  endedReason: null,
};

/**
 * Partial transcripts replace the open (not yet final) entry of their role and turn until the final one comes,
 * so the list reads as the conversation. Pure, unlike the SDK's TranscriptBuilder, because React may run a
 * reducer twice.
 */
export function applyTranscript(entries: TranscriptEntry[], event: TranscriptEvent): TranscriptEntry[] {
  const entry: TranscriptEntry = { role: event.role, content: event.text, final: event.final };
  if (event.turn !== undefined) entry.turn = event.turn;
  for (let i = entries.length - 1; i >= 0; i--) {
    const existing = entries[i];
    if (existing.role !== event.role) continue;
    const sameTurn = event.turn === undefined || existing.turn === undefined || existing.turn === event.turn;
    if (!existing.final && sameTurn) return entries.map((old, j) => (j === i ? entry : old));
    break;
  }
  return [...entries, entry];
}

/**
 * The lines said before the page joined: a live call's snapshot carries them as its record's transcript (the
 * lines after it arrive as events, so none comes twice). Events that came before the snapshot stay after them.
 */
export function transcriptOfSnapshot(call: Call | null): TranscriptEntry[] {
  if (!call || call.status !== "in_progress") return [];
  return (call.transcript ?? []).map((line) => ({ role: line.speaker, content: line.text, final: true }));
}

function reduce(state: LiveCallState, event: ProtocolEvent): LiveCallState {
  if (event.type === "snapshot") {
    const call = (event as unknown as { call: Call | null }).call;
    return { ...state, snapshot: call, transcript: [...transcriptOfSnapshot(call), ...state.transcript] };
  }
  if (isEvent(event, "transcript")) return { ...state, transcript: applyTranscript(state.transcript, event) };
  switch (event.type) {
    case "user_start_talking":
      return { ...state, userTalking: true };
    case "user_stop_talking":
      return { ...state, userTalking: false };
    case "agent_start_talking":
      return { ...state, agentTalking: true };
    case "agent_stop_talking":
      return { ...state, agentTalking: false };
    case "interruption":
      return { ...state, agentTalking: false };
  }
  if (isEvent(event, "metrics")) return { ...state, metrics: [...state.metrics, event] };
  if (isEvent(event, "node_transition")) return { ...state, transitions: [...state.transitions, event] };
  if (isEvent(event, "error")) {
    return { ...state, errors: [...state.errors, { code: event.code, message: event.message, fatal: event.fatal }] };
  }
  if (isEvent(event, "call_ended")) {
    return { ...state, endedReason: event.reason, userTalking: false, agentTalking: false };
  }
  return state;
}

/**
 * Watches `/ws/calls/{callId}` while `active`: the snapshot, then the call's events as they happen.
 * `onEnded` runs on call_ended (the record is stored by then, so it can be fetched again).
 */
export function useLiveCall(
  callId: string,
  active: boolean,
  onEnded: (reason: string) => void,
  socketOptions: Partial<UseEventSocketOptions> = {},
): { state: LiveCallState; status: SocketStatus } {
  const [state, dispatch] = useReducer(reduce, INITIAL);
  const onEvent = useCallback(
    (event: ProtocolEvent) => {
      dispatch(event);
      if (isEvent(event, "call_ended")) onEnded(event.reason);
    },
    [onEnded],
  );
  const status = useEventSocket(active ? `/ws/calls/${encodeURIComponent(callId)}` : null, onEvent, {
    reconnect: false,
    createSocket: socketOptions.createSocket,
  });
  return { state, status };
}
