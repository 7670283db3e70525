import { type CallAudio, type CallAudioFactory, createBrowserAudio } from "./callAudio";
import { Emitter } from "./emitter";
import { type CallError, type ProtocolEvent, type WebCallEvents, isEvent } from "./events";
import { MicrophoneError } from "./microphone";
import { SAMPLE_RATES, pcm16FromBytes, pcm16ToBytes, rms } from "./pcm";
import {
  CLOSE_NORMAL,
  type ClientMessage,
  describeCloseCode,
  encodeClientMessage,
  isDtmfDigit,
  parseServerText,
} from "./protocol";
import { TranscriptBuilder } from "./transcript";

export interface StartCallOptions {
  /** `socket_url` from POST /api/calls/start or /api/test/create-room (your server calls those). */
  socketUrl: string;
  /** The call's `sample_rate` from the same answer (default 16000). */
  sampleRate?: number;
  /** An AudioContext to use (e.g. created in the click handler, so autoplay rules allow it); left open. */
  audioContext?: AudioContext;
  /** A microphone stream already granted, or constraints for getUserMedia (default: echo cancellation,
   * noise suppression and auto gain on). The stream's tracks stop when the call ends. */
  microphone?: MediaStream | MediaStreamConstraints;
  /** Agent audio held back before playing, against network jitter (default 80 ms). */
  jitterBufferMs?: number;
}

/** Minimal WebSocket surface the SDK uses (the browser's WebSocket, or a fake in tests). */
export interface WebSocketLike {
  binaryType: BinaryType;
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface VoxWebCallOptions {
  /** Replaces the browser's WebSocket (tests, or a polyfill). */
  WebSocket?: WebSocketConstructor;
  /** Replaces microphone capture and playback (tests). */
  createAudio?: CallAudioFactory;
}

export type CallState = "idle" | "connecting" | "live" | "ended";

export interface CallStats {
  framesSent: number;
  framesReceived: number;
  /** Largest RMS (0..1) of an agent frame handed to playback. */
  agentRmsMax: number;
  agentPlayedMs: number;
}

const OPEN = 1;
const LEVEL_INTERVAL_MS = 100;
const MARK_EVERY_TICKS = 2; // a mark every 200 ms

/**
 * One web call with a Vox agent from the browser: joins the media socket, streams the microphone as 20 ms
 * PCM16 frames, plays the agent, and reports the call's events. It holds no API key: your server starts the
 * call and hands the page its `socket_url` (a one-time token).
 */
export class VoxWebCall extends Emitter<WebCallEvents> {
  private readonly WebSocketImpl: WebSocketConstructor | undefined;
  private readonly createAudio: CallAudioFactory;
  private socket: WebSocketLike | null = null;
  private audio: CallAudio | null = null;
  private callState: CallState = "idle";
  private muted = false;
  private started = false;
  private endReason: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private ticks = 0;
  private lastMarkMs = -1;
  private callerLevel = 0;
  private readonly transcriptBuilder = new TranscriptBuilder();
  private readonly counters: CallStats = { framesSent: 0, framesReceived: 0, agentRmsMax: 0, agentPlayedMs: 0 };
  private callId: string | null = null;

  constructor(options: VoxWebCallOptions = {}) {
    super();
    this.WebSocketImpl = options.WebSocket ?? (typeof WebSocket !== "undefined" ? WebSocket : undefined);
    this.createAudio = options.createAudio ?? createBrowserAudio;
  }

  get state(): CallState {
    return this.callState;
  }

  get isMuted(): boolean {
    return this.muted;
  }

  get transcript() {
    return this.transcriptBuilder.transcript;
  }

  stats(): CallStats {
    if (this.audio) this.counters.agentPlayedMs = this.audio.playedMs();
    return { ...this.counters };
  }

  /**
   * Opens the microphone, then joins the call. Resolves once the server's `call_started` arrives; rejects
   * (after an `error` event) when the microphone or the connection fails. A failed microphone never joins.
   */
  async startCall(options: StartCallOptions): Promise<void> {
    if (this.callState !== "idle") throw new Error(`startCall: this call is already ${this.callState}`);
    const sampleRate = options.sampleRate ?? 16000;
    if (!(SAMPLE_RATES as readonly number[]).includes(sampleRate)) {
      throw new RangeError(`sampleRate must be one of ${SAMPLE_RATES.join(", ")}, got ${sampleRate}`);
    }
    if (!/^wss?:\/\//.test(options.socketUrl)) {
      throw new TypeError(`socketUrl must be a ws:// or wss:// URL (socket_url), got "${options.socketUrl}"`);
    }
    if (!this.WebSocketImpl) throw new Error("No WebSocket in this environment");
    this.callState = "connecting";

    try {
      this.audio = await this.createAudio({
        sampleRate,
        audioContext: options.audioContext,
        microphone: options.microphone,
        jitterBufferMs: options.jitterBufferMs,
        onCallerFrame: (frame) => this.sendCallerFrame(frame),
      });
    } catch (cause) {
      this.callState = "ended";
      const error: CallError =
        cause instanceof MicrophoneError
          ? { code: cause.code, message: cause.message, fatal: true }
          : { code: "audio_unavailable", message: `Audio could not start: ${messageOf(cause)}`, fatal: true };
      this.emit("error", error);
      throw cause instanceof Error ? cause : new Error(error.message);
    }
    if (this.callState !== "connecting") {
      // stopCall() while the microphone prompt was open.
      await this.releaseAudio();
      throw new Error("the call was stopped before it connected");
    }

    return new Promise<void>((resolve, reject) => {
      const socket = new (this.WebSocketImpl as WebSocketConstructor)(options.socketUrl);
      socket.binaryType = "arraybuffer";
      this.socket = socket;
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve();
      };
      socket.onmessage = (message) => {
        if (typeof message.data === "string") this.handleText(message.data, settle);
        else if (message.data instanceof ArrayBuffer) this.handleAgentAudio(message.data);
      };
      socket.onclose = (close) => {
        this.handleClose(close.code, close.reason);
        settle(new Error(`the media socket closed (${close.code} ${describeCloseCode(close.code)})`));
      };
      // A browser reports the details with the close event that follows; nothing to do here.
      socket.onerror = () => undefined;
      this.startTimer();
    });
  }

  /** Hangs up: sends `hangup`, closes the socket, releases the microphone. `call_ended` follows. */
  async stopCall(): Promise<void> {
    if (this.callState === "idle" || this.callState === "ended") return;
    const socket = this.socket;
    if (socket && socket.readyState === OPEN) {
      this.send({ type: "hangup" });
      socket.close(CLOSE_NORMAL, "hangup");
    }
    await this.finish(this.endReason ?? "user_hangup");
  }

  /** Sends silence instead of the microphone (the call keeps its audio clock). */
  mute(): void {
    this.muted = true;
  }

  unmute(): void {
    this.muted = false;
  }

  /** A key press: 0-9, *, #, A-D. */
  sendDtmf(digit: string): void {
    if (!isDtmfDigit(digit)) throw new RangeError(`not a DTMF digit: "${digit}" (0-9, *, #, A-D)`);
    if (this.callState !== "live") throw new Error("sendDtmf: no live call");
    this.send({ type: "dtmf", digit });
  }

  private sendCallerFrame(frame: Int16Array): void {
    const outgoing = this.muted ? new Int16Array(frame.length) : frame;
    this.callerLevel = this.muted ? 0 : rms(frame);
    if (!this.started || !this.socket || this.socket.readyState !== OPEN) return;
    this.socket.send(pcm16ToBytes(outgoing));
    this.counters.framesSent++;
  }

  private handleText(text: string, settle: (error?: Error) => void): void {
    const parsed = parseServerText(text);
    if (parsed.kind === "invalid") {
      this.emit("error", { code: "bad_server_message", message: parsed.reason, fatal: false });
      return;
    }
    const event = parsed.event;
    this.emit("event", event);
    this.handleEvent(event);
    if (event.type === "call_started") settle();
  }

  private handleEvent(event: ProtocolEvent): void {
    if (event.type === "clear") {
      this.audio?.clearAgent();
      this.sendMark(true);
    } else if (isEvent(event, "call_started")) {
      this.started = true;
      this.callState = "live";
      this.callId = event.call_id ?? null;
      this.emit("call_started", {
        callId: event.call_id ?? "",
        agentId: event.agent_id,
        sampleRate: event.sample_rate,
      });
    } else if (isEvent(event, "transcript")) {
      const transcript = this.transcriptBuilder.apply(event);
      this.emit("update", { transcript, event });
    } else if (isEvent(event, "agent_start_talking")) {
      this.emit("agent_start_talking", { turn: event.turn });
    } else if (isEvent(event, "agent_stop_talking")) {
      this.emit("agent_stop_talking", { turn: event.turn, interrupted: event.interrupted });
    } else if (isEvent(event, "error")) {
      this.emit("error", { code: event.code, message: event.message, fatal: Boolean(event.fatal) });
    } else if (isEvent(event, "call_ended")) {
      this.endReason = event.reason;
    }
  }

  private handleAgentAudio(bytes: ArrayBuffer): void {
    if (bytes.byteLength === 0 || bytes.byteLength % 2 !== 0) {
      this.emit("error", {
        code: "bad_server_message",
        message: `agent audio frame of ${bytes.byteLength} bytes`,
        fatal: false,
      });
      return;
    }
    const frame = pcm16FromBytes(bytes);
    this.counters.framesReceived++;
    this.counters.agentRmsMax = Math.max(this.counters.agentRmsMax, rms(frame));
    this.audio?.playAgent(frame);
  }

  private handleClose(code: number, reason: string): void {
    if (this.callState === "ended") return;
    if (this.endReason !== null || (code === CLOSE_NORMAL && this.started)) {
      void this.finish(this.endReason ?? "user_hangup");
      return;
    }
    const joined = this.started;
    this.emit("error", {
      code: joined ? "socket_closed" : "connection_failed",
      message: joined
        ? `The call's connection closed: ${code} ${describeCloseCode(code)}${reason ? ` (${reason})` : ""}`
        : `Could not join the call (${code} ${describeCloseCode(code)}): the server refused the connection, ` +
          "or the call's token was used or expired.",
      fatal: true,
    });
    void this.finish("error_transport");
  }

  private async finish(reason: string): Promise<void> {
    if (this.callState === "ended") return;
    if (this.started) this.sendMark(false);
    this.callState = "ended";
    this.stopTimer();
    if (this.socket) {
      this.socket.onmessage = null;
      if (this.socket.readyState <= OPEN) this.socket.close(CLOSE_NORMAL, "ended");
    }
    await this.releaseAudio();
    this.emit("call_ended", { reason });
  }

  private async releaseAudio(): Promise<void> {
    const audio = this.audio;
    if (!audio) return;
    this.counters.agentPlayedMs = audio.playedMs();
    this.audio = null;
    await audio.close().catch((cause: unknown) => {
      this.emit("error", { code: "audio_unavailable", message: messageOf(cause), fatal: false });
    });
  }

  private startTimer(): void {
    this.timer = setInterval(() => {
      this.ticks++;
      this.emit("audio_level", { caller: this.callerLevel, agent: this.audio?.agentLevel() ?? 0 });
      if (this.ticks % MARK_EVERY_TICKS === 0) this.sendMark(false);
    }, LEVEL_INTERVAL_MS);
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  // `mark` tells the server how much agent audio was played, to judge what the caller heard.
  private sendMark(always: boolean): void {
    if (!this.audio || !this.started) return;
    const played = this.audio.playedMs();
    this.counters.agentPlayedMs = played;
    if (!always && played === this.lastMarkMs) return;
    this.lastMarkMs = played;
    this.send({ type: "mark", played_ms: played });
  }

  private send(message: ClientMessage): void {
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(encodeClientMessage(message));
  }

  /** The call's id once `call_started` arrived. */
  get currentCallId(): string | null {
    return this.callId;
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
