// How the call pages write times, durations and latencies.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "–";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** Seconds as "1 m 05 s" (or "42 s"). */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "–";
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  return `${minutes} m ${String(whole % 60).padStart(2, "0")} s`;
}

export function formatMs(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : `${Math.round(value)} ms`;
}

/** Milliseconds from the call's start as "m:ss.s". */
export function formatOffsetMs(ms: number): string {
  const totalSeconds = ms / 1000;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = (totalSeconds - minutes * 60).toFixed(1).padStart(4, "0");
  return `${minutes}:${seconds}`;
}
