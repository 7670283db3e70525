import type { TranscriptEvent } from "@vox/web-call";
import { applyTranscript, transcriptOfSnapshot } from "./useLiveCall";
import type { Call } from "../api/types";

const event = (role: "user" | "agent", text: string, final: boolean, turn?: number): TranscriptEvent => ({
  type: "transcript",
  call_id: "call_1",
  t_ms: 0,
  role,
  text,
  final,
  turn,
});

describe("applyTranscript", () => {
  it("grows a partial entry until its final, then starts a new one", () => {
    let entries = applyTranscript([], event("agent", "Hello,", false, 0));
    entries = applyTranscript(entries, event("agent", "Hello, this is the clinic.", false, 0));
    entries = applyTranscript(entries, event("agent", "Hello, this is the clinic.", true, 0));
    entries = applyTranscript(entries, event("user", "Tues", false, 1));
    entries = applyTranscript(entries, event("user", "Tuesday", true, 1));
    entries = applyTranscript(entries, event("user", "Morning", true, 2));
    expect(entries).toEqual([
      { role: "agent", content: "Hello, this is the clinic.", final: true, turn: 0 },
      { role: "user", content: "Tuesday", final: true, turn: 1 },
      { role: "user", content: "Morning", final: true, turn: 2 },
    ]);
  });

  it("keeps a caller's partial and the agent's partial apart, and a new turn apart from an open one", () => {
    let entries = applyTranscript([], event("user", "I would", false, 1));
    entries = applyTranscript(entries, event("agent", "Sure", false, 1));
    entries = applyTranscript(entries, event("user", "I would like", false, 1));
    entries = applyTranscript(entries, event("user", "Next", false, 2));
    expect(entries.map((entry) => entry.content)).toEqual(["I would like", "Sure", "Next"]);
  });

  it("does not change the array it was given (React may run a reducer twice)", () => {
    const before = applyTranscript([], event("user", "Hi", false, 1));
    const after = applyTranscript(before, event("user", "Hi there", false, 1));
    expect(before[0].content).toBe("Hi");
    expect(after[0].content).toBe("Hi there");
  });
});

describe("transcriptOfSnapshot", () => {
  const live = {
    id: "call_1",
    status: "in_progress",
    transcript: [
      { speaker: "agent", text: "Hello, this is the clinic." },
      { speaker: "user", text: "I need an appointment." },
    ],
  } as unknown as Call;

  it("turns a live call's lines so far into final entries", () => {
    expect(transcriptOfSnapshot(live)).toEqual([
      { role: "agent", content: "Hello, this is the clinic.", final: true },
      { role: "user", content: "I need an appointment.", final: true },
    ]);
  });

  it("takes nothing from an ended call or no call", () => {
    expect(transcriptOfSnapshot({ ...live, status: "completed" } as Call)).toEqual([]);
    expect(transcriptOfSnapshot(null)).toEqual([]);
  });
});
