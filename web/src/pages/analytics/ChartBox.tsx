import type { ReactElement } from "react";
import { ResponsiveContainer } from "recharts";

/** A chart with a fixed height and the panel's width (measured by ResizeObserver; the initial size until then). */
interface ChartBoxProps {
  label: string;
  height?: number;
  children: ReactElement;
}

export function ChartBox({ label, height = 240, children }: ChartBoxProps) {
  return (
    <figure className="chart-box" aria-label={label} style={{ height }}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 520, height }}>
        {children}
      </ResponsiveContainer>
    </figure>
  );
}
