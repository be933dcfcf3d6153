// The semantic diff between two sides (the draft, a version, or what an environment
// serves): a GET form to pick them, and per entity what happened, in sentences.
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

function Sentences({ entry }: { entry: DiffEntry }) {
  return (
    <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-800" aria-label={`What changed in ${entry.name}`}>
      {entry.sentences.map((sentence, i) => (
        <li key={i}>{sentence}</li>
      ))}
    </ul>
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
            </span>
          );
          const label = `${ENTITY_LABEL[entry.entityType]} ${entry.name} ${entry.change}`;
          // Changes show their sentences; an added entity folds its settings away; a removed one needs none.
          return entry.change === "changed" || entry.change === "renamed" || entry.sentences.length === 0 ? (
            <li key={`${entry.entityType}:${entry.id}`} className="rounded-md border border-slate-200 px-3 py-2" aria-label={label}>
              <p>{heading}</p>
              {entry.sentences.length ? <Sentences entry={entry} /> : null}
            </li>
          ) : (
            <li key={`${entry.entityType}:${entry.id}`} className="rounded-md border border-slate-200 px-3 py-1.5" aria-label={label}>
              <details>
                <summary className="cursor-pointer">
                  {heading}
                  <span className="ml-2 text-xs text-indigo-700">its settings</span>
                </summary>
                <Sentences entry={entry} />
              </details>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
