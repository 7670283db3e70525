import { useCallback, useEffect, useReducer, useRef } from "react";
import {
  type CallError,
  type MetricsEvent,
  type NodeTransitionEvent,
  type ProtocolEvent,
  type TranscriptEntry,
  VoxWebCall,
  isEvent,
  requestMicrophone,
} from "@vox/web-call";
import { api, unwrap } from "../../api/client";

// One test call from the dashboard: microphone first (a refusal starts nothing), then POST
// /api/test/create-room, then the SDK joins the socket. The state is what the page shows.

export type CallPhase = "idle" | "starting" | "connecting" | "live" | "ended";

export interface TestCallView {
  phase: CallPhase;
  callId: string | null;
  endReason: string | null;
  /** Why the call could not start (microphone, the API's problem); the call was not started. */
  startError: unknown;
  transcript: TranscriptEntry[];
  callerTalking: boolean;
  agentTalking: boolean;
  levels: { caller: number; agent: number };
  /** Largest agent level heard while playing (the meter's peak), for tests and the eye. */
  agentLevelMax: number;
  latency: MetricsEvent[];
  nodes: NodeTransitionEvent[];
  errors: CallError[];
  muted: boolean;
  /** Keys sent in this call (DTMF), in order. */
  dtmfSent: string[];
  /** How many keys voxd reported as arrived (its `dtmf` events; they come back in the order sent). */
  dtmfArrived: number;
}

const INITIAL: TestCallView = {
  phase: "idle",
  callId: null,
  endReason: null,
  startError: null,
  transcript: [],
  callerTalking: false,
  agentTalking: false,
  levels: { caller: 0, agent: 0 },
  agentLevelMax: 0,
  latency: [],
  nodes: [],
  errors: [],
  muted: false,
  dtmfSent: [],
  dtmfArrived: 0,
};

type Action =
  | { type: "starting" }
  | { type: "start_failed"; error: unknown }
  | { type: "connecting"; callId: string }
  | { type: "live" }
  | { type: "ended"; reason: string }
  | { type: "transcript"; transcript: TranscriptEntry[] }
  | { type: "event"; event: ProtocolEvent }
  | { type: "error"; error: CallError }
  | { type: "levels"; caller: number; agent: number }
  | { type: "muted"; muted: boolean }
  | { type: "dtmf_sent"; digit: string };

function reduce(view: TestCallView, action: Action): TestCallView {
  switch (action.type) {
    case "starting":
      return { ...INITIAL, phase: "starting" };
    case "start_failed":
      return { ...view, phase: "idle", startError: action.error };
    case "connecting":
      return { ...view, phase: "connecting", callId: action.callId };
    case "live":
      return view.phase === "ended" ? view : { ...view, phase: "live" };
    case "ended":
      return { ...view, phase: "ended", endReason: action.reason, callerTalking: false, agentTalking: false };
    case "transcript":
      return { ...view, transcript: action.transcript };
    case "error":
      return { ...view, errors: [...view.errors, action.error] };
    case "levels":
      return {
        ...view,
        levels: { caller: action.caller, agent: action.agent },
        agentLevelMax: Math.max(view.agentLevelMax, action.agent),
      };
    case "muted":
      return { ...view, muted: action.muted };
    case "dtmf_sent":
      return { ...view, dtmfSent: [...view.dtmfSent, action.digit] };
    case "event":
      return applyEvent(view, action.event);
  }
}

function applyEvent(view: TestCallView, event: ProtocolEvent): TestCallView {
  if (event.type === "user_start_talking") return { ...view, callerTalking: true };
  if (event.type === "user_stop_talking") return { ...view, callerTalking: false };
  if (event.type === "agent_start_talking") return { ...view, agentTalking: true };
  if (event.type === "agent_stop_talking" || event.type === "clear") return { ...view, agentTalking: false };
  if (isEvent(event, "metrics")) return { ...view, latency: [...view.latency, event] };
  if (isEvent(event, "node_transition")) return { ...view, nodes: [...view.nodes, event] };
  if (event.type === "dtmf") return { ...view, dtmfArrived: view.dtmfArrived + 1 };
  return view;
}

/** What end-to-end tests read: `window.__voxTestCall` (see README of the page in the report). */
export interface TestCallProbe {
  phase: CallPhase;
  callId: string | null;
  framesSent: number;
  framesReceived: number;
  /** Largest RMS (0..1) of an agent frame handed to playback. */
  agentFrameRmsMax: number;
  /** Largest agent RMS measured at the playback clock (what was audible). */
  agentPlayedRmsMax: number;
  agentPlayedMs: number;
  transcript: TranscriptEntry[];
}

declare global {
  interface Window {
    __voxTestCall?: TestCallProbe;
  }
}

export function useTestCall() {
  const [view, dispatch] = useReducer(reduce, INITIAL);
  const callRef = useRef<VoxWebCall | null>(null);
  const playedMaxRef = useRef(0);
  // Set by Hang up (or leaving the page) while the microphone prompt or create-room is still pending.
  const cancelledRef = useRef(false);

  const publishProbe = useCallback((call: VoxWebCall, phase: CallPhase) => {
    const stats = call.stats();
    window.__voxTestCall = {
      phase,
      callId: call.currentCallId,
      framesSent: stats.framesSent,
      framesReceived: stats.framesReceived,
      agentFrameRmsMax: stats.agentRmsMax,
      agentPlayedRmsMax: playedMaxRef.current,
      agentPlayedMs: stats.agentPlayedMs,
      transcript: call.transcript,
    };
  }, []);

  const start = useCallback(
    async (agentId: string) => {
      if (callRef.current && callRef.current.state !== "ended") return;
      dispatch({ type: "starting" });
      playedMaxRef.current = 0;
      cancelledRef.current = false;
      callRef.current = null;
      // Created inside the click, so the browser's autoplay rules let it play the agent.
      const context = typeof AudioContext !== "undefined" ? new AudioContext({ sampleRate: 16000 }) : undefined;
      const closeContext = () => void context?.close().catch(() => undefined);

      const releaseMicrophone = (stream: MediaStream) => stream.getTracks().forEach((track) => track.stop());
      const cancelled = () => {
        if (!cancelledRef.current) return false;
        closeContext();
        dispatch({ type: "ended", reason: "cancelled before it connected" });
        return true;
      };

      let microphone: MediaStream;
      try {
        microphone = await requestMicrophone();
      } catch (error) {
        closeContext();
        dispatch({ type: "start_failed", error });
        return;
      }
      if (cancelled()) {
        releaseMicrophone(microphone);
        return;
      }

      let room;
      try {
        room = await unwrap(api.POST("/api/test/create-room", { body: { agent_id: agentId, sample_rate: 16000 } }));
      } catch (error) {
        releaseMicrophone(microphone);
        closeContext();
        dispatch({ type: "start_failed", error });
        return;
      }
      if (cancelled()) {
        releaseMicrophone(microphone);
        // The call exists already: end it now rather than let it wait for its token to expire.
        void api.POST("/api/calls/end", { body: { call_id: room.call_id } }).catch(() => undefined);
        return;
      }

      const call = new VoxWebCall();
      callRef.current = call;
      call.on("call_started", () => {
        dispatch({ type: "live" });
        publishProbe(call, "live");
      });
      call.on("update", ({ transcript }) => dispatch({ type: "transcript", transcript }));
      call.on("event", (event) => dispatch({ type: "event", event }));
      call.on("error", (error) => dispatch({ type: "error", error }));
      call.on("audio_level", ({ caller, agent }) => {
        playedMaxRef.current = Math.max(playedMaxRef.current, agent);
        dispatch({ type: "levels", caller, agent });
        publishProbe(call, "live");
      });
      call.on("call_ended", ({ reason }) => {
        dispatch({ type: "ended", reason });
        publishProbe(call, "ended");
        closeContext();
      });
      dispatch({ type: "connecting", callId: room.call_id });
      try {
        await call.startCall({
          socketUrl: room.socket_url,
          sampleRate: room.sample_rate,
          audioContext: context,
          microphone,
        });
      } catch (error) {
        // Connection failures arrive as `error` + `call_ended` events; anything else ends the attempt here.
        if (call.state !== "ended") {
          closeContext();
          dispatch({ type: "start_failed", error });
        }
      }
    },
    [publishProbe],
  );

  const hangUp = useCallback(async () => {
    cancelledRef.current = true;
    await callRef.current?.stopCall();
  }, []);

  const setMuted = useCallback((muted: boolean) => {
    const call = callRef.current;
    if (!call) return;
    if (muted) call.mute();
    else call.unmute();
    dispatch({ type: "muted", muted });
  }, []);

  /**
   * Presses a key (0-9, *, #) in the live call. False when it could not be sent: no call, or the call ended
   * between the render and the press (the SDK throws then); nothing else changes.
   */
  const sendDtmf = useCallback((digit: string): boolean => {
    const call = callRef.current;
    if (!call) return false;
    try {
      call.sendDtmf(digit);
    } catch {
      return false;
    }
    dispatch({ type: "dtmf_sent", digit });
    return true;
  }, []);

  // Leaving the page hangs up.
  useEffect(
    () => () => {
      cancelledRef.current = true;
      void callRef.current?.stopCall();
    },
    [],
  );

  return { view, start, hangUp, setMuted, sendDtmf };
}
