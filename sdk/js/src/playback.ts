import { pcm16ToFloat, rms } from "./pcm";

// Agent audio playback: each binary frame is scheduled right after the previous one, behind a small jitter
// buffer, so the frames the server paces in real time play gap-free; `clear` stops everything not yet played.

/** Where scheduled audio goes: Web Audio in the browser, a fake clock in tests. Times in seconds. */
export interface AudioOutput {
  readonly currentTime: number;
  play(samples: Float32Array, sampleRate: number, startAt: number): ScheduledSound;
}

export interface ScheduledSound {
  stop(): void;
}

interface Scheduled {
  start: number;
  end: number;
  level: number;
  sound: ScheduledSound;
}

export class PlaybackScheduler {
  private queue: Scheduled[] = [];
  private nextStart = 0;
  private settledSeconds = 0; // played by chunks already removed from the queue

  constructor(
    private readonly output: AudioOutput,
    readonly sampleRate: number,
    /** Delay before the first frame after silence, to absorb network jitter (60-120 ms per the protocol). */
    readonly jitterMs = 80,
  ) {}

  /** Schedules one frame of PCM16 mono at the call's rate. */
  enqueue(frame: Int16Array): void {
    if (frame.length === 0) return;
    const now = this.output.currentTime;
    this.settle(now);
    // Ran dry (start, or a gap from the network): start again behind the jitter buffer.
    const dry = this.queue.length === 0 || this.nextStart <= now;
    const start = dry ? now + this.jitterMs / 1000 : this.nextStart;
    const samples = pcm16ToFloat(frame);
    const end = start + samples.length / this.sampleRate;
    const sound = this.output.play(samples, this.sampleRate, start);
    this.queue.push({ start, end, level: rms(samples), sound });
    this.nextStart = end;
  }

  /** Drops all audio not yet played, at once (the caller interrupted). */
  clear(): void {
    const now = this.output.currentTime;
    this.settle(now);
    for (const chunk of this.queue) {
      this.settledSeconds += playedPart(chunk, now);
      chunk.sound.stop();
    }
    this.queue = [];
    this.nextStart = 0;
  }

  /** Milliseconds of agent audio played since the call started (for `mark`). */
  playedMs(): number {
    const now = this.output.currentTime;
    this.settle(now);
    let seconds = this.settledSeconds;
    for (const chunk of this.queue) seconds += playedPart(chunk, now);
    return Math.round(seconds * 1000);
  }

  /** The RMS level (0..1) of the frame playing now; 0 in silence. */
  levelNow(): number {
    const now = this.output.currentTime;
    const playing = this.queue.find((chunk) => chunk.start <= now && now < chunk.end);
    return playing ? playing.level : 0;
  }

  /** Seconds of audio scheduled and not yet played. */
  bufferedSeconds(): number {
    return Math.max(0, this.nextStart - this.output.currentTime);
  }

  private settle(now: number): void {
    while (this.queue.length > 0 && this.queue[0].end <= now) {
      const chunk = this.queue.shift() as Scheduled;
      this.settledSeconds += chunk.end - chunk.start;
    }
  }
}

function playedPart(chunk: Scheduled, now: number): number {
  return Math.max(0, Math.min(now, chunk.end) - chunk.start);
}

/** Plays scheduled buffers on an AudioContext (the browser resamples the call's rate to the context's). */
export class WebAudioOutput implements AudioOutput {
  constructor(
    private readonly context: AudioContext,
    private readonly destination: AudioNode = context.destination,
  ) {}

  get currentTime(): number {
    return this.context.currentTime;
  }

  play(samples: Float32Array, sampleRate: number, startAt: number): ScheduledSound {
    const buffer = this.context.createBuffer(1, samples.length, sampleRate);
    buffer.getChannelData(0).set(samples);
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.destination);
    source.start(startAt);
    return {
      stop() {
        try {
          source.stop();
        } catch {
          /* already ended */
        }
        source.disconnect();
      },
    };
  }
}
