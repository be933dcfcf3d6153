// The draft's problems, grouped by entity, each linked to the tab where it is fixed.
import Link from "next/link";
import type { Problem } from "@/lib/versions/validate";

const TAB: Record<Problem["entityType"], { tab: string; label: string }> = {
  event: { tab: "events", label: "Event" },
  trigger: { tab: "triggers", label: "Trigger" },
  variable: { tab: "variables", label: "Variable" },
  destination: { tab: "destinations", label: "Destination" },
};

export function DraftProblems({ containerId, problems }: { containerId: string; problems: Problem[] }) {
  const groups = new Map<string, Problem[]>();
  for (const p of problems) {
    const key = `${p.entityType}:${p.entityId}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return (
    <ul className="space-y-3" aria-label="Problems in the draft">
      {[...groups.values()].map((list) => {
        const { entityType, entityName, entityId } = list[0];
        const { tab, label } = TAB[entityType];
        return (
          <li key={`${entityType}:${entityId}`} className="rounded-md border border-amber-200 bg-amber-50/60 px-3 py-2">
            <p className="text-sm">
              <span className="text-slate-600">{label}</span>{" "}
              <Link href={`/containers/${containerId}/${tab}`} className="font-semibold text-indigo-700 hover:underline">
                {entityName}
              </Link>
            </p>
            <ul className="mt-1 space-y-0.5 text-sm text-slate-800">
              {list.map((p, i) => (
                <li key={`${p.field}-${i}`}>
                  <code className="rounded bg-white px-1 text-xs text-slate-700 ring-1 ring-slate-200">{p.field}</code> {p.message}
                </li>
              ))}
            </ul>
          </li>
        );
      })}
    </ul>
  );
}
