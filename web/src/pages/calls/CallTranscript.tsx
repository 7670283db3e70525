import type { Call } from "../../api/types";

function secondsAt(value: number | undefined): string {
  if (value === undefined) return "";
  const minutes = Math.floor(value / 60);
  return `${minutes}:${(value - minutes * 60).toFixed(1).padStart(4, "0")}`;
}

/** The stored transcript: who spoke, when (seconds from the start), what. */
export function CallTranscript({ transcript }: { transcript: Call["transcript"] }) {
  if (transcript.length === 0) return <p className="muted">No transcript: nothing was said, or none was recorded.</p>;
  return (
    <ol className="call-transcript" data-testid="call-transcript">
      {transcript.map((line, i) => (
        <li
          key={i}
          className={`call-line call-line-${line.speaker}`}
          data-testid="transcript-line"
          data-speaker={line.speaker}
        >
          <span className="call-line-speaker">{line.speaker === "agent" ? "Agent" : "Caller"}</span>
          <time className="call-line-time muted">{secondsAt(line.start)}</time>
          <span className="call-line-text">{line.text}</span>
        </li>
      ))}
    </ol>
  );
}
