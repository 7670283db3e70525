// The call's events as docs/protocol.md section 4 defines them, and the SDK's own events.

/** Any event the server sends (text frames): always `type`; `call_id` and `t_ms` on call events. */
export interface ProtocolEvent {
  type: string;
  call_id?: string;
  t_ms?: number;
  [field: string]: unknown;
}

export interface CallStartedEvent extends ProtocolEvent {
  type: "call_started";
  agent_id: string;
  sample_rate: number;
}
export interface TranscriptEvent extends ProtocolEvent {
  type: "transcript";
  role: "user" | "agent";
  text: string;
  final: boolean;
  turn?: number;
}
export interface TalkingEvent extends ProtocolEvent {
  type: "user_start_talking" | "user_stop_talking" | "agent_start_talking" | "agent_stop_talking";
  turn: number;
  interrupted?: boolean;
}
export interface MetricsEvent extends ProtocolEvent {
  type: "metrics";
  turn: number;
  e2e_ms: number | null;
  stt_ms: number | null;
  llm_ms: number | null;
  tts_ms: number | null;
}
export interface NodeTransitionEvent extends ProtocolEvent {
  type: "node_transition";
  from_node_id: string | null;
  to_node_id: string | null;
  node_type?: string;
  node_name?: string;
  edge_id?: string | null;
  condition?: string;
}
export interface ErrorEvent extends ProtocolEvent {
  type: "error";
  code: string;
  message: string;
  fatal: boolean;
}
export interface CallEndedEvent extends ProtocolEvent {
  type: "call_ended";
  reason: string;
  duration_ms?: number;
}

/** The typed shape of each known event type, for `isEvent`. */
export interface KnownEvents {
  call_started: CallStartedEvent;
  transcript: TranscriptEvent;
  user_start_talking: TalkingEvent;
  user_stop_talking: TalkingEvent;
  agent_start_talking: TalkingEvent;
  agent_stop_talking: TalkingEvent;
  metrics: MetricsEvent;
  node_transition: NodeTransitionEvent;
  error: ErrorEvent;
  call_ended: CallEndedEvent;
}

/** Narrows a raw event to its documented shape by its `type`. */
export function isEvent<K extends keyof KnownEvents>(event: ProtocolEvent, type: K): event is KnownEvents[K] {
  return event.type === type;
}

/** One line of the running transcript. */
export interface TranscriptEntry {
  role: "user" | "agent";
  content: string;
  /** False while the words may still change (partial recognition, an answer still being spoken). */
  final: boolean;
  /** The caller turn it belongs to (0: the agent's greeting), when the server named it. */
  turn?: number;
}

export interface CallError {
  /** A server error code (docs/protocol.md) or one of the SDK's: microphone_denied, microphone_not_found,
   * microphone_unavailable, audio_unavailable, connection_failed, socket_closed, bad_server_message. */
  code: string;
  message: string;
  /** True when the call is over because of it. */
  fatal: boolean;
}

/** The events `VoxWebCall.on(name, fn)` delivers (named like Retell's web client). */
export interface WebCallEvents {
  call_started: { callId: string; agentId: string; sampleRate: number };
  call_ended: { reason: string };
  agent_start_talking: { turn?: number };
  agent_stop_talking: { turn?: number; interrupted?: boolean };
  update: { transcript: TranscriptEntry[]; event: TranscriptEvent };
  error: CallError;
  /** Every raw event of the protocol, as received. */
  event: ProtocolEvent;
  /** RMS levels (0..1) of the caller's audio sent and the agent's audio playing now, about 10 times a second. */
  audio_level: { caller: number; agent: number };
}
