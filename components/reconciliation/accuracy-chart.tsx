"use client";
// Accuracy per destination per day: (delivered + ignored) / paid orders, one line each.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const COLORS = ["#6366f1", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#a855f7", "#64748b"];

export function AccuracyChart({ days, destinations, rows, threshold }: { days: string[]; destinations: { id: string; name: string }[]; rows: { day: string; destinationId: string; accuracy: number | null }[]; threshold: number }) {
  const data = days.map((day) => {
    const point: Record<string, string | number | null> = { day: new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }) };
    for (const d of destinations) {
      const r = rows.find((x) => x.day === day && x.destinationId === d.id);
      point[d.name] = r?.accuracy === null || r === undefined ? null : Math.round(r.accuracy * 1000) / 10;
    }
    return point;
  });
  return (
    <figure aria-label="Accuracy per destination per day" className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -12 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} minTickGap={16} />
          <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} />
          <Tooltip formatter={(v) => (v === null || v === undefined ? "no orders" : `${v} %`)} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <ReferenceLine y={threshold} stroke="#94a3b8" strokeDasharray="5 4" />
          {destinations.map((d, i) => (
            <Line key={d.id} type="monotone" dataKey={d.name} stroke={COLORS[i % COLORS.length]} connectNulls dot={{ r: 3 }} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
