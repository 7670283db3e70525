import {
  PcmFramer,
  StreamResampler,
  floatToPcm16,
  frameBytes,
  pcm16FromBytes,
  pcm16ToBytes,
  pcm16ToFloat,
  rms,
  samplesPerFrame,
} from "./pcm";
import { CaptureFramer } from "./capture";

function sine(rate: number, hz: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}

describe("frame sizes", () => {
  it("are 20 ms of PCM16 at each call rate", () => {
    expect(frameBytes(16000)).toBe(640);
    expect(frameBytes(8000)).toBe(320);
    expect(frameBytes(24000)).toBe(960);
    expect(frameBytes(48000)).toBe(1920);
    expect(samplesPerFrame(16000, 10)).toBe(160);
  });
});

describe("PCM16 conversion", () => {
  it("maps float full scale to int16 and clips beyond it", () => {
    const pcm = floatToPcm16(Float32Array.from([0, 1, -1, 0.5, 2, -3]));
    expect(Array.from(pcm)).toEqual([0, 32767, -32768, 16384, 32767, -32768]);
    expect(pcm16ToFloat(Int16Array.from([-32768, 0, 16384]))[0]).toBe(-1);
    expect(pcm16ToFloat(Int16Array.from([16384]))[0]).toBeCloseTo(0.5, 4);
  });

  it("reads and writes little-endian bytes", () => {
    const bytes = pcm16ToBytes(Int16Array.from([1, -2, 0x1234]));
    expect(Array.from(new Uint8Array(bytes))).toEqual([1, 0, 0xfe, 0xff, 0x34, 0x12]);
    expect(Array.from(pcm16FromBytes(bytes))).toEqual([1, -2, 0x1234]);
    expect(() => pcm16FromBytes(new ArrayBuffer(3))).toThrow(/even/);
  });

  it("measures RMS in 0..1 for floats and PCM16", () => {
    expect(rms(new Float32Array(10))).toBe(0);
    expect(rms(Float32Array.from([0.5, -0.5]))).toBeCloseTo(0.5);
    expect(rms(sine(16000, 440, 0.1, 1))).toBeCloseTo(Math.SQRT1_2, 2);
    expect(rms(Int16Array.from([-32768, -32768]))).toBe(1);
  });
});

describe("StreamResampler", () => {
  it("passes samples through at equal rates", () => {
    const input = Float32Array.from([0.1, 0.2, 0.3]);
    expect(Array.from(new StreamResampler(16000, 16000).process(input))).toEqual(Array.from(input));
  });

  it("downsamples 48 kHz to 16 kHz: a third of the samples, the tone kept", () => {
    const resampler = new StreamResampler(48000, 16000);
    const input = sine(48000, 300, 1);
    const out: number[] = [];
    // In odd chunks, as an audio worklet delivers them: the result must not depend on the chunking.
    for (let i = 0; i < input.length; i += 137) out.push(...resampler.process(input.subarray(i, i + 137)));
    expect(Math.abs(out.length - 16000)).toBeLessThanOrEqual(1);
    const expected = sine(16000, 300, 1);
    // The moving average delays by one input sample; compare levels, and the signal against a shifted copy.
    expect(rms(Float32Array.from(out))).toBeCloseTo(rms(expected), 2);
    let worst = 0;
    for (let i = 100; i < 15000; i++) {
      const want = 0.5 * Math.sin((2 * Math.PI * 300 * (i * 3 - 1)) / 48000);
      worst = Math.max(worst, Math.abs(out[i] - want));
    }
    expect(worst).toBeLessThan(0.02);
  });

  it("damps a tone above the target's Nyquist frequency when downsampling", () => {
    const out = new StreamResampler(48000, 16000).process(sine(48000, 15000, 0.5));
    expect(rms(out)).toBeLessThan(0.1 * rms(sine(48000, 15000, 0.5)));
  });

  it("upsamples 8 kHz to 16 kHz by interpolation", () => {
    const out = new StreamResampler(8000, 16000).process(Float32Array.from([0, 1, 0, -1]));
    expect(Array.from(out)).toEqual([0, 0.5, 1, 0.5, 0, -0.5, -1]);
  });

  it("refuses rates that are not positive", () => {
    expect(() => new StreamResampler(0, 16000)).toThrow(RangeError);
  });
});

describe("PcmFramer", () => {
  it("cuts exact frames and keeps the remainder for the next push", () => {
    const framer = new PcmFramer(4);
    expect(framer.push(Int16Array.from([1, 2, 3]))).toEqual([]);
    const frames = framer.push(Int16Array.from([4, 5, 6, 7, 8, 9]));
    expect(frames.map((f) => Array.from(f))).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    expect(framer.push(Int16Array.from([10, 11, 12])).map((f) => Array.from(f))).toEqual([[9, 10, 11, 12]]);
  });
});

describe("CaptureFramer", () => {
  it("turns 128-sample worklet blocks at 48 kHz into 640-byte frames at 16 kHz", () => {
    const framer = new CaptureFramer(48000, 16000);
    const input = sine(48000, 440, 1);
    const frames: Int16Array[] = [];
    for (let i = 0; i < input.length; i += 128) frames.push(...framer.push(input.subarray(i, i + 128)));
    expect(frames.length).toBe(50);
    for (const frame of frames) expect(pcm16ToBytes(frame).byteLength).toBe(640);
    expect(rms(frames[25])).toBeGreaterThan(0.3);
  });
});
