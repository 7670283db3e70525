import { type AudioOutput, PlaybackScheduler } from "./playback";

class FakeOutput implements AudioOutput {
  currentTime = 0;
  readonly played: { start: number; samples: number; stopped: boolean }[] = [];
  play(samples: Float32Array, _rate: number, startAt: number) {
    const entry = { start: startAt, samples: samples.length, stopped: false };
    this.played.push(entry);
    return {
      stop: () => {
        entry.stopped = true;
      },
    };
  }
}

const frame = (value = 8000) => new Int16Array(320).fill(value); // 20 ms at 16 kHz

describe("PlaybackScheduler", () => {
  it("starts behind the jitter buffer and plays frames back to back", () => {
    const output = new FakeOutput();
    const playback = new PlaybackScheduler(output, 16000, 80);
    playback.enqueue(frame());
    playback.enqueue(frame());
    expect(output.played.map((p) => p.start)).toEqual([0.08, 0.1]);
    expect(playback.bufferedSeconds()).toBeCloseTo(0.12);
  });

  it("counts played milliseconds with the clock and reports the level playing now", () => {
    const output = new FakeOutput();
    const playback = new PlaybackScheduler(output, 16000, 80);
    playback.enqueue(frame(16384));
    playback.enqueue(frame(0));
    expect(playback.playedMs()).toBe(0);
    output.currentTime = 0.09;
    expect(playback.playedMs()).toBe(10);
    expect(playback.levelNow()).toBeCloseTo(0.5);
    output.currentTime = 0.11;
    expect(playback.levelNow()).toBe(0);
    output.currentTime = 1;
    expect(playback.playedMs()).toBe(40);
    expect(playback.levelNow()).toBe(0);
  });

  it("clear stops everything not yet played and keeps only what was heard", () => {
    const output = new FakeOutput();
    const playback = new PlaybackScheduler(output, 16000, 80);
    for (let i = 0; i < 5; i++) playback.enqueue(frame());
    output.currentTime = 0.11; // 30 ms played
    playback.clear();
    expect(output.played.every((p) => p.stopped || p.start + 0.02 <= 0.11)).toBe(true);
    expect(output.played.filter((p) => p.stopped)).toHaveLength(4);
    expect(playback.playedMs()).toBe(30);
    expect(playback.bufferedSeconds()).toBe(0);
    output.currentTime = 2;
    expect(playback.playedMs()).toBe(30);
    // After a clear the next frame starts fresh behind the jitter buffer.
    playback.enqueue(frame());
    expect(output.played.at(-1)?.start).toBeCloseTo(2.08);
  });

  it("restarts behind the jitter buffer after running dry", () => {
    const output = new FakeOutput();
    const playback = new PlaybackScheduler(output, 16000, 60);
    playback.enqueue(frame());
    output.currentTime = 0.5;
    playback.enqueue(frame());
    expect(output.played[1].start).toBeCloseTo(0.56);
    output.currentTime = 1;
    expect(playback.playedMs()).toBe(40);
  });
});
