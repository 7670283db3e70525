import { MicrophoneCapture } from "./capture";
import { MicrophoneError, VOICE_CONSTRAINTS, requestMicrophone } from "./microphone";
import { PlaybackScheduler, WebAudioOutput } from "./playback";

// The audio side of a call behind one interface, so the protocol logic can be tested without a browser.

export interface CallAudio {
  /** Schedules one frame of agent PCM16 at the call's rate. */
  playAgent(frame: Int16Array): void;
  /** Drops agent audio not yet played. */
  clearAgent(): void;
  /** Milliseconds of agent audio played so far. */
  playedMs(): number;
  /** RMS (0..1) of the agent audio playing now. */
  agentLevel(): number;
  /** Stops capture and playback and releases the microphone (its tracks are stopped, even a stream given). */
  close(): Promise<void>;
}

export interface CallAudioOptions {
  sampleRate: number;
  audioContext?: AudioContext;
  microphone?: MediaStream | MediaStreamConstraints;
  jitterBufferMs?: number;
  /** Called with each 20 ms caller frame, from the time the audio starts until close. */
  onCallerFrame: (frame: Int16Array) => void;
}

export type CallAudioFactory = (options: CallAudioOptions) => Promise<CallAudio>;

/**
 * Microphone capture and agent playback on Web Audio. Rejects with a MicrophoneError when there is no mic.
 * The microphone stream belongs to the call from here on: its tracks stop when the call's audio closes.
 * An AudioContext passed in is left open (the page may reuse it); one created here is closed.
 */
export const createBrowserAudio: CallAudioFactory = async (options) => {
  const given = typeof MediaStream !== "undefined" && options.microphone instanceof MediaStream;
  const stream = given
    ? (options.microphone as MediaStream)
    : await requestMicrophone((options.microphone as MediaStreamConstraints | undefined) ?? VOICE_CONSTRAINTS);
  if (stream.getAudioTracks().length === 0) {
    throw new MicrophoneError("microphone_not_found", "The media stream given has no audio track.");
  }
  const ownsContext = !options.audioContext;
  let context: AudioContext;
  try {
    // At the call's rate when we create it, so capture needs no resampling (Chromium and Firefox allow this).
    context = options.audioContext ?? new AudioContext({ sampleRate: options.sampleRate, latencyHint: "interactive" });
  } catch (cause) {
    stopTracks(stream);
    throw cause;
  }
  try {
    // Outside a user gesture the context may start suspended; resume so capture and playback run.
    if (context.state === "suspended") await context.resume();
    const capture = await MicrophoneCapture.start(context, stream, options.sampleRate, options.onCallerFrame);
    const playback = new PlaybackScheduler(new WebAudioOutput(context), options.sampleRate, options.jitterBufferMs);
    return {
      playAgent: (frame) => playback.enqueue(frame),
      clearAgent: () => playback.clear(),
      playedMs: () => playback.playedMs(),
      agentLevel: () => playback.levelNow(),
      async close() {
        playback.clear();
        capture.stop();
        stopTracks(stream);
        if (ownsContext) await context.close();
      },
    };
  } catch (cause) {
    stopTracks(stream);
    if (ownsContext) await context.close().catch(() => undefined);
    throw cause;
  }
};

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
