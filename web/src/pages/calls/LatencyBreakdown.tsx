import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Call } from "../../api/types";
import { formatMs } from "./format";

const STAGES = [
  { key: "e2e", label: "End to end" },
  { key: "stt", label: "Speech to text" },
  { key: "llm", label: "LLM first token" },
  { key: "tts", label: "Text to speech" },
] as const;

/** p50/p95 of each stage over the call's turns, as a table and a bar chart (ms). */
export function LatencyBreakdown({ latency }: { latency: Call["latency"] | undefined }) {
  const rows = STAGES.map((stage) => ({ ...stage, figures: latency?.[stage.key] })).filter(
    (row) => row.figures && row.figures.p50 !== undefined,
  );
  if (rows.length === 0) return <p className="muted">No latency figures: the agent answered no turn.</p>;
  const chartData = rows.map((row) => ({ stage: row.key, p50: row.figures?.p50 ?? 0, p95: row.figures?.p95 ?? 0 }));
  return (
    <div className="latency-breakdown">
      <table className="data compact" data-testid="latency-table">
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">p50</th>
            <th scope="col">p95</th>
            <th scope="col">max</th>
            <th scope="col">Turns</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid={`latency-${row.key}`}>
              <th scope="row">
                {row.label} <code className="muted">{row.key}</code>
              </th>
              <td>{formatMs(row.figures?.p50)}</td>
              <td>{formatMs(row.figures?.p95)}</td>
              <td>{formatMs(row.figures?.max)}</td>
              <td>{row.figures?.count ?? "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="latency-chart" aria-label="Latency per stage, p50 and p95 in milliseconds" role="img">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={chartData} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="stage" />
            <YAxis unit=" ms" width={70} />
            <Tooltip formatter={(value) => `${Math.round(Number(value))} ms`} />
            <Legend />
            <Bar dataKey="p50" fill="#2f5bd3" isAnimationActive={false} />
            <Bar dataKey="p95" fill="#a3b8ef" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
