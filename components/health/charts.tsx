"use client";
// The Health page's charts (recharts): counts per bucket with the previous period as a
// dashed line beside, and deduplication coverage per event against the 75 % target.
import { Bar, BarChart, CartesianGrid, Legend, Line, ComposedChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type ChartPoint = { at: string; current: Record<string, number>; previous: Record<string, number> };

const COLORS: Record<string, string> = {
  received: "#6366f1",
  accepted: "#10b981",
  rejected: "#ef4444",
  duplicates: "#a855f7",
  delivered: "#0ea5e9",
  failed: "#f59e0b",
  dead: "#7f1d1d",
};

function tick(at: string, grain: "hour" | "day"): string {
  const d = new Date(at);
  return grain === "day"
    ? d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" })
    : d.toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
}

/** Bars for this period's counts, a dashed line for the previous period's first count. */
export function CountsChart({ points, series, grain, label }: { points: ChartPoint[]; series: string[]; grain: "hour" | "day"; label: string }) {
  const data = points.map((p) => ({
    at: tick(p.at, grain),
    ...Object.fromEntries(series.map((s) => [s, p.current[s] ?? 0])),
    [`previous ${series[0]}`]: p.previous[series[0]] ?? 0,
  }));
  return (
    <figure aria-label={label} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="at" tick={{ fontSize: 11 }} minTickGap={24} />
          <YAxis tick={{ fontSize: 11 }} allowDecimals={false} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar key={s} dataKey={s} fill={COLORS[s] ?? "#64748b"} isAnimationActive={false} />
          ))}
          <Line type="monotone" dataKey={`previous ${series[0]}`} stroke="#94a3b8" strokeDasharray="5 4" dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Stacked shares per event: both sources, browser only, server only; the target as a line. */
export function CoverageChart({ rows, target }: { rows: { name: string; both: number; browserOnly: number; serverOnly: number }[]; target: number }) {
  const data = rows.map((r) => ({ name: r.name, "browser + server": Math.round(r.both * 1000) / 10, "browser only": Math.round(r.browserOnly * 1000) / 10, "server only": Math.round(r.serverOnly * 1000) / 10 }));
  return (
    <figure aria-label="Deduplication coverage per event" className="w-full" style={{ height: Math.max(140, 48 * rows.length + 60) }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 22, right: 16, bottom: 0, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis type="number" domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="name" tick={{ fontSize: 12 }} width={90} />
          <Tooltip formatter={(v) => `${v} %`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="browser + server" stackId="s" fill="#10b981" isAnimationActive={false} />
          <Bar dataKey="browser only" stackId="s" fill="#f59e0b" isAnimationActive={false} />
          <Bar dataKey="server only" stackId="s" fill="#6366f1" isAnimationActive={false} />
          <ReferenceLine x={target * 100} stroke="#b91c1c" strokeDasharray="4 3" label={{ value: `target ${target * 100} %`, position: "top", fontSize: 11, fill: "#b91c1c" }} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
