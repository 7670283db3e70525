import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import type { AnalyticsSentiment } from "./analyticsApi";
import { ChartBox } from "./ChartBox";

const KINDS = [
  { key: "positive", color: "#137333" },
  { key: "neutral", color: "#5f6b7a" },
  { key: "negative", color: "#b42318" },
  { key: "unknown", color: "#c4cad3" },
] as const;

/**
 * How the callers felt, from the calls' post-call analysis. When every call is unknown (analysis off, other
 * languages without an LLM, older calls), the chart alone would look broken: say where sentiment comes from.
 */
export function SentimentChart({ sentiment }: { sentiment: AnalyticsSentiment }) {
  const total = KINDS.reduce((sum, kind) => sum + sentiment[kind.key], 0);
  const known = total - sentiment.unknown;
  const data = KINDS.map((kind) => ({ sentiment: kind.key, calls: sentiment[kind.key], color: kind.color }));
  return (
    <div data-testid="sentiment">
      {known === 0 && (
        <p className="muted" data-testid="sentiment-unknown">
          No call has a sentiment: all {total} are unknown. Sentiment comes from the post-call analysis: when a call
          ends, voxd scores the caller's words offline (English only), and the agent's LLM, when it has one, judges
          the call instead. Calls in other languages without an LLM, calls still in progress or recorded before
          analysis existed stay unknown, and <code>[calls] analysis = off</code> turns analysis off.
        </p>
      )}
      <ChartBox label="Calls by sentiment" height={180}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="sentiment" width={70} />
          <Tooltip />
          <Bar dataKey="calls" isAnimationActive={false}>
            {data.map((entry) => (
              <Cell key={entry.sentiment} fill={entry.color} />
            ))}
          </Bar>
        </BarChart>
      </ChartBox>
    </div>
  );
}
