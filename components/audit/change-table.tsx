// Before → after of one audit entry, field by field; unchanged fields are left out.
import { Fragment } from "react";

function show(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

export function ChangeTable({ before, after }: { before: unknown; after: unknown }) {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  if (keys.length === 0) return <p className="text-xs text-slate-500">No field changed.</p>;
  return (
    <dl className="grid grid-cols-[max-content_1fr_1fr] gap-x-4 gap-y-1 text-xs">
      <dt className="font-semibold text-slate-500">field</dt>
      <dd className="font-semibold text-slate-500">before</dd>
      <dd className="font-semibold text-slate-500">after</dd>
      {keys.map((k) => (
        <Fragment key={k}>
          <dt className="font-mono text-slate-700">{k}</dt>
          <dd className="break-all font-mono text-red-800">{show(b[k])}</dd>
          <dd className="break-all font-mono text-emerald-800">{show(a[k])}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
