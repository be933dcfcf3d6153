// The semantic diff between two sides (the draft, a version, or what an environment
// serves): a GET form to pick them, and per entity what happened and which fields moved.
import Form from "next/form";
import type { DiffEntry } from "@/lib/versions/diff";
import { Badge, Button, EmptyState } from "../ui/primitives";

export type DiffSide = { value: string; label: string };

const CHANGE_TONE = { added: "green", removed: "red", changed: "amber", renamed: "indigo" } as const;
const ENTITY_LABEL: Record<DiffEntry["entityType"], string> = {
  site: "Site",
  region: "Region",
  plan_event: "Plan event",
  event: "Event",
  trigger: "Trigger",
  variable: "Variable",
  destination: "Destination",
};

function show(value: unknown) {
  if (value === undefined) return <span className="text-slate-400">—</span>;
  return <span className="font-mono text-xs break-all text-slate-900">{typeof value === "string" ? value : JSON.stringify(value)}</span>;
}

export function DiffPicker({ action, sides, from, to }: { action: string; sides: DiffSide[]; from: string; to: string }) {
  const select = "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600";
  return (
    <Form action={action} scroll={false} key={`${from}|${to}`} aria-label="Choose what to compare" className="flex flex-wrap items-end gap-3">
      <div className="min-w-56 space-y-1">
        <label htmlFor="diff-from" className="block text-sm font-medium text-slate-800">
          From
        </label>
        <select id="diff-from" name="from" defaultValue={from} className={select}>
          {sides.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="min-w-56 space-y-1">
        <label htmlFor="diff-to" className="block text-sm font-medium text-slate-800">
          To
        </label>
        <select id="diff-to" name="to" defaultValue={to} className={select}>
          {sides.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="secondary">
        Compare
      </Button>
    </Form>
  );
}

function FieldTable({ entry }: { entry: DiffEntry }) {
  return (
    <table className="mt-2 w-full table-fixed text-left text-sm" aria-label={`Changed fields of ${entry.name}`}>
      <thead>
        <tr className="text-xs uppercase tracking-wide text-slate-500">
          <th scope="col" className="w-1/4 py-1 pr-3 font-semibold">Field</th>
          <th scope="col" className="py-1 pr-3 font-semibold">Before</th>
          <th scope="col" className="py-1 font-semibold">After</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {entry.fields.map((f) => (
          <tr key={f.path}>
            <td className="py-1 pr-3 align-top font-mono text-xs break-all text-slate-600">{f.path}</td>
            <td className="bg-red-50/50 py-1 pr-3 align-top">{show(f.before)}</td>
            <td className="bg-emerald-50/50 py-1 align-top">{show(f.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DiffList({ from, to, changes }: { from: string; to: string; changes: DiffEntry[] }) {
  if (changes.length === 0) {
    return (
      <EmptyState title="No differences">
        {from} and {to} are the same.
      </EmptyState>
    );
  }
  const tally = (["added", "removed", "renamed", "changed"] as const).map((c) => [c, changes.filter((e) => e.change === c).length] as const).filter(([, n]) => n > 0);
  return (
    <div>
      <p className="mb-3 text-sm text-slate-700">
        {changes.length} change{changes.length === 1 ? "" : "s"} from <strong>{from}</strong> to <strong>{to}</strong>: {tally.map(([c, n]) => `${n} ${c}`).join(", ")}.
      </p>
      <ul className="space-y-2" aria-label="Changes">
        {changes.map((entry) => {
          const heading = (
            <span className="inline-flex flex-wrap items-center gap-2 text-sm">
              <Badge tone={CHANGE_TONE[entry.change]}>{entry.change}</Badge>
              <span className="text-slate-500">{ENTITY_LABEL[entry.entityType]}</span>
              <span className="font-semibold text-slate-900">{entry.name}</span>
              {entry.previousName ? (
                <span className="text-slate-600">
                  renamed from <span className="font-medium">{entry.previousName}</span>
                </span>
              ) : null}
            </span>
          );
          const label = `${ENTITY_LABEL[entry.entityType]} ${entry.name} ${entry.change}`;
          // Changes show their fields; whole entities added or removed fold them away.
          return entry.change === "changed" || entry.change === "renamed" ? (
            <li key={`${entry.entityType}:${entry.id}`} className="rounded-md border border-slate-200 px-3 py-2" aria-label={label}>
              <p>{heading}</p>
              <FieldTable entry={entry} />
            </li>
          ) : (
            <li key={`${entry.entityType}:${entry.id}`} className="rounded-md border border-slate-200 px-3 py-1.5" aria-label={label}>
              <details>
                <summary className="cursor-pointer">
                  {heading}
                  <span className="ml-2 text-xs text-indigo-700">
                    {entry.fields.length} field{entry.fields.length === 1 ? "" : "s"}
                  </span>
                </summary>
                <FieldTable entry={entry} />
              </details>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
