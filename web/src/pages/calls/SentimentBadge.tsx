import type { Sentiment } from "../../api/types";

const CLASSES: Record<Sentiment, string> = { positive: "ok", negative: "bad", neutral: "neutral", unknown: "" };

/**
 * The caller's sentiment as a small coloured badge. `compact` (the calls table) writes an unknown one as a dash,
 * so the column shows only the calls that have one.
 */
export function SentimentBadge({ sentiment, compact = false }: { sentiment: Sentiment | undefined; compact?: boolean }) {
  const value = sentiment ?? "unknown";
  if (value === "unknown" && compact) {
    return (
      <span className="muted" data-testid="sentiment-badge" data-sentiment="unknown" title="Sentiment unknown">
        –
      </span>
    );
  }
  return (
    <span className={`badge sentiment ${CLASSES[value]}`} data-testid="sentiment-badge" data-sentiment={value}>
      {value}
    </span>
  );
}
