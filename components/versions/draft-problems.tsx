// The draft's problems, grouped by entity, in the form's words ("Condition 2 value — the
// pattern does not compile"); each opens the entity's editor with that field focused.
import Link from "next/link";
import type { Problem } from "@/lib/versions/validate";
import { problemSentence } from "@/lib/schemas/field-rules";

const TAB: Record<Problem["entityType"], { tab: string; label: string }> = {
  event: { tab: "events", label: "Event" },
  trigger: { tab: "triggers", label: "Trigger" },
  variable: { tab: "variables", label: "Variable" },
  destination: { tab: "destinations", label: "Destination" },
};

/** The entity's tab with its editor open and the field focused (EntityList reads edit and field). */
export function problemHref(containerId: string, p: Problem): string {
  return `/containers/${containerId}/${TAB[p.entityType].tab}?edit=${encodeURIComponent(p.entityId)}&field=${encodeURIComponent(p.field)}`;
}

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
        const { label } = TAB[entityType];
        return (
          <li key={`${entityType}:${entityId}`} className="rounded-md border border-amber-200 bg-amber-50/60 px-3 py-2">
            <p className="text-sm">
              <span className="text-slate-600">{label}</span>{" "}
              <Link href={problemHref(containerId, list[0])} className="font-semibold text-indigo-700 hover:underline">
                {entityName}
              </Link>
            </p>
            <ul className="mt-1 space-y-0.5 text-sm text-slate-800">
              {list.map((p, i) => (
                <li key={`${p.field}-${i}`}>
                  {problemSentence(p)}{" "}
                  <Link href={problemHref(containerId, p)} className="whitespace-nowrap font-medium text-indigo-700 hover:underline">
                    Fix {p.where}
                  </Link>
                </li>
              ))}
            </ul>
          </li>
        );
      })}
    </ul>
  );
}
