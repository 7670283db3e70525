// PCM helpers: the protocol's audio is signed 16-bit little-endian mono; Web Audio works in float32.

/** The protocol's recommended frame: 20 ms. */
export const FRAME_MS = 20;

/** Rates the server accepts (docs/protocol.md section 1). */
export const SAMPLE_RATES = [8000, 16000, 24000, 48000] as const;

export function samplesPerFrame(sampleRate: number, frameMs = FRAME_MS): number {
  return Math.round((sampleRate * frameMs) / 1000);
}

/** Bytes of one PCM16 mono frame: 640 for 20 ms at 16 kHz. */
export function frameBytes(sampleRate: number, frameMs = FRAME_MS): number {
  return samplesPerFrame(sampleRate, frameMs) * 2;
}

/** Float samples in [-1, 1] to PCM16 (clipped). */
export function floatToPcm16(input: Float32Array): Int16Array {
  const out = new Int16Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const s = Math.max(-1, Math.min(1, input[i]));
    out[i] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
  }
  return out;
}

export function pcm16ToFloat(input: Int16Array): Float32Array {
  const out = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = input[i] / 0x8000;
  return out;
}

/** Little-endian bytes (a binary WebSocket frame) to samples, whatever the machine's byte order. */
export function pcm16FromBytes(bytes: ArrayBuffer): Int16Array {
  if (bytes.byteLength % 2 !== 0) throw new RangeError(`PCM16 needs an even byte length, got ${bytes.byteLength}`);
  const view = new DataView(bytes);
  const out = new Int16Array(bytes.byteLength / 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

export function pcm16ToBytes(samples: Int16Array): ArrayBuffer {
  const bytes = new ArrayBuffer(samples.length * 2);
  const view = new DataView(bytes);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i], true);
  return bytes;
}

/** Root mean square level in 0..1 (1 = full-scale square wave). */
export function rms(samples: Float32Array | Int16Array): number {
  if (samples.length === 0) return 0;
  const scale = samples instanceof Int16Array ? 1 / 0x8000 : 1;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] * scale;
    sum += s * s;
  }
  return Math.sqrt(sum / samples.length);
}

/**
 * Converts a continuous float stream from one rate to another, chunk by chunk, with no clicks at chunk
 * boundaries: linear interpolation, after a moving-average low-pass when downsampling (enough for speech
 * recognition; the usual case, an AudioContext already at the call's rate, passes samples through).
 */
export class StreamResampler {
  private readonly step: number;
  private readonly averageLength: number;
  private readonly history: Float32Array;
  private historySum = 0;
  private historyIndex = 0;
  private position = 0; // next output position, in input samples relative to the current chunk
  private last = 0; // the previous chunk's last (filtered) sample

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    if (!(fromRate > 0) || !(toRate > 0)) throw new RangeError(`bad sample rates ${fromRate} -> ${toRate}`);
    this.step = fromRate / toRate;
    this.averageLength = this.step > 1 ? Math.round(this.step) : 1;
    this.history = new Float32Array(this.averageLength);
  }

  process(input: Float32Array): Float32Array {
    if (this.fromRate === this.toRate) return input.slice();
    const x = this.averageLength > 1 ? this.lowPass(input) : input;
    const out: number[] = [];
    const end = x.length - 1;
    let p = this.position;
    while (p <= end) {
      const i = Math.floor(p);
      const frac = p - i;
      const a = i < 0 ? this.last : x[i];
      out.push(frac === 0 ? a : a + (x[i + 1] - a) * frac);
      p += this.step;
    }
    if (x.length > 0) {
      this.position = p - x.length;
      this.last = x[end];
    }
    return Float32Array.from(out);
  }

  private lowPass(input: Float32Array): Float32Array {
    const out = new Float32Array(input.length);
    const n = this.averageLength;
    for (let i = 0; i < input.length; i++) {
      this.historySum += input[i] - this.history[this.historyIndex];
      this.history[this.historyIndex] = input[i];
      this.historyIndex = (this.historyIndex + 1) % n;
      out[i] = this.historySum / n;
    }
    return out;
  }
}

/** Cuts a stream of samples into frames of a fixed length, keeping the remainder for the next push. */
export class PcmFramer {
  private pending: Int16Array;
  private filled = 0;

  constructor(readonly frameSamples: number) {
    if (!Number.isInteger(frameSamples) || frameSamples <= 0) throw new RangeError(`bad frame size ${frameSamples}`);
    this.pending = new Int16Array(frameSamples);
  }

  push(samples: Int16Array): Int16Array[] {
    const frames: Int16Array[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.frameSamples - this.filled, samples.length - offset);
      this.pending.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.frameSamples) {
        frames.push(this.pending);
        this.pending = new Int16Array(this.frameSamples);
        this.filled = 0;
      }
    }
    return frames;
  }
}
