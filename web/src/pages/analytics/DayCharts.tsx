import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { AnalyticsDay } from "./analyticsApi";
import { ChartBox } from "./ChartBox";

const shortDay = (date: string) => date.slice(5); // MM-DD: the year is in the window's title

/** Calls per UTC day, completed and failed stacked (and the calls still in progress on top). */
export function CallsPerDayChart({ days }: { days: AnalyticsDay[] }) {
  const data = days.map((day) => ({
    date: shortDay(day.date),
    completed: day.completed,
    failed: day.failed,
    in_progress: Math.max(0, day.calls - day.completed - day.failed),
  }));
  return (
    <ChartBox label="Calls per day, completed and failed">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="date" minTickGap={12} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar dataKey="completed" stackId="calls" fill="#137333" isAnimationActive={false} />
        <Bar dataKey="failed" stackId="calls" fill="#b42318" isAnimationActive={false} />
        <Bar dataKey="in_progress" name="in progress" stackId="calls" fill="#2f5bd3" isAnimationActive={false} />
      </BarChart>
    </ChartBox>
  );
}

/** Average and p95 end-to-end latency per day; days without an answered turn are gaps, not zeros. */
export function LatencyPerDayChart({ days }: { days: AnalyticsDay[] }) {
  const data = days.map((day) => ({ date: shortDay(day.date), average: day.avg_latency_ms, p95: day.p95_latency_ms }));
  return (
    <ChartBox label="End-to-end latency per day, average and p95, in milliseconds">
      <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="date" minTickGap={12} />
        <YAxis unit=" ms" width={70} />
        <Tooltip formatter={(value) => (value === null ? "–" : `${Math.round(Number(value))} ms`)} />
        <Legend />
        {/* Dots, so a day between two empty days still shows. */}
        <Line dataKey="average" stroke="#2f5bd3" dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
        <Line dataKey="p95" stroke="#a15c00" dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
      </LineChart>
    </ChartBox>
  );
}
