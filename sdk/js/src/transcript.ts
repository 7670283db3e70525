import type { TranscriptEntry, TranscriptEvent } from "./events";

/**
 * The running transcript of a call: partial `transcript` events replace the words of their turn and role
 * until the final one arrives, so the list reads like the conversation, one entry per utterance.
 */
export class TranscriptBuilder {
  private entries: TranscriptEntry[] = [];

  /** Applies one event; answers the new transcript (a fresh array, so UIs can compare by identity). */
  apply(event: Pick<TranscriptEvent, "role" | "text" | "final" | "turn">): TranscriptEntry[] {
    const open = this.openEntryIndex(event.role, event.turn);
    const entry: TranscriptEntry = { role: event.role, content: event.text, final: event.final };
    if (event.turn !== undefined) entry.turn = event.turn;
    if (open >= 0) {
      this.entries = this.entries.map((existing, i) => (i === open ? entry : existing));
    } else {
      this.entries = [...this.entries, entry];
    }
    return this.entries;
  }

  get transcript(): TranscriptEntry[] {
    return this.entries;
  }

  reset(): void {
    this.entries = [];
  }

  // The not-yet-final entry this event continues: the latest of the same role (and turn, when known).
  private openEntryIndex(role: TranscriptEntry["role"], turn: number | undefined): number {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      if (entry.role !== role) continue;
      if (entry.final) return -1;
      if (turn !== undefined && entry.turn !== undefined && entry.turn !== turn) return -1;
      return i;
    }
    return -1;
  }
}
