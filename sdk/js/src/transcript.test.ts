import { TranscriptBuilder } from "./transcript";

describe("TranscriptBuilder", () => {
  it("merges partials into the final entry of their turn and role", () => {
    const builder = new TranscriptBuilder();
    builder.apply({ role: "agent", text: "Hello,", final: false, turn: 0 });
    builder.apply({ role: "agent", text: "Hello, this is Riverside.", final: false, turn: 0 });
    const afterGreeting = builder.apply({ role: "agent", text: "Hello, this is Riverside.", final: true, turn: 0 });
    expect(afterGreeting).toEqual([{ role: "agent", content: "Hello, this is Riverside.", final: true, turn: 0 }]);

    builder.apply({ role: "user", text: "ye", final: false, turn: 1 });
    const final = builder.apply({ role: "user", text: "yes", final: true, turn: 1 });
    expect(final).toEqual([
      { role: "agent", content: "Hello, this is Riverside.", final: true, turn: 0 },
      { role: "user", content: "yes", final: true, turn: 1 },
    ]);
  });

  it("keeps an agent answer and a caller's barge-in as separate, interleaved entries", () => {
    const builder = new TranscriptBuilder();
    builder.apply({ role: "agent", text: "Our hours are", final: false, turn: 1 });
    builder.apply({ role: "user", text: "wait", final: false, turn: 2 });
    builder.apply({ role: "agent", text: "Our hours", final: true, turn: 1 });
    const list = builder.apply({ role: "user", text: "wait a moment", final: true, turn: 2 });
    expect(list.map((e) => [e.role, e.content, e.final])).toEqual([
      ["agent", "Our hours", true],
      ["user", "wait a moment", true],
    ]);
  });

  it("starts a new entry after a final one, and for a new turn", () => {
    const builder = new TranscriptBuilder();
    builder.apply({ role: "user", text: "yes", final: true, turn: 1 });
    builder.apply({ role: "user", text: "tomorrow", final: false, turn: 2 });
    const list = builder.apply({ role: "user", text: "tuesday", final: false, turn: 3 });
    expect(list.map((e) => e.content)).toEqual(["yes", "tomorrow", "tuesday"]);
  });

  it("answers a new array on each change and empties on reset", () => {
    const builder = new TranscriptBuilder();
    const first = builder.apply({ role: "user", text: "a", final: false });
    const second = builder.apply({ role: "user", text: "ab", final: false });
    expect(second).not.toBe(first);
    expect(second).toHaveLength(1);
    builder.reset();
    expect(builder.transcript).toEqual([]);
  });
});
