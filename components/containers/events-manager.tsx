"use client";
import Link from "next/link";
import { EntityList, type Owner } from "./entity-list";
import { EventEditor, missingRequired, type EventRow, type PlanEventChoice } from "./event-editor";
import type { TypedVariable } from "./variable-choice";
import { Badge, ButtonLink, EmptyState } from "../ui/primitives";

export function EventsManager({ initialField, containerId, initialEditing, events, plans, triggers, variables, owners, canWrite }: { containerId: string; events: EventRow[]; plans: PlanEventChoice[]; triggers: { id: string; name: string }[]; variables: TypedVariable[]; owners: Owner[]; canWrite: boolean; initialEditing?: string; initialField?: string }) {
  if (plans.length === 0) {
    return (
      <EmptyState title="The tracking plan is empty" action={<ButtonLink href="/plan">Open the tracking plan</ButtonLink>}>
        Events are defined once for the whole team in the tracking plan (purchase, add_to_cart, sign_up…). Add them there, then use them here.
      </EmptyState>
    );
  }
  const triggerName = (id: string) => triggers.find((t) => t.id === id)?.name ?? "missing trigger";
  const usedPlanIds = events.map((e) => e.planEventId);
  return (
    <>
      <p className="mb-4 text-sm text-slate-600">
        Events come from the team&apos;s <Link href="/plan" className="font-medium text-indigo-700 hover:underline">tracking plan</Link>; here you say what fires them on this site and where their parameters come from.
      </p>
      <EntityList
        initialEditing={initialEditing}
        initialField={initialField}
        noun="event"
        items={events}
        owners={owners}
        canWrite={canWrite}
        canAdd={canWrite && usedPlanIds.length < plans.length}
        deletePath={(e) => `/events/${e.id}`}
        emptyText="Add an event from the tracking plan, then map its parameters."
        summary={(e) => {
          const plan = plans.find((p) => p.id === e.planEventId);
          const missing = missingRequired(plan, e.definition.mappings);
          return (
            <div className="space-y-1">
              <p className="flex flex-wrap gap-2">
                {e.definition.enabled ? null : <Badge tone="amber">disabled</Badge>}
                {missing.length ? <Badge tone="red">missing: {missing.join(", ")}</Badge> : <Badge tone="green">all required parameters mapped</Badge>}
                <span className="text-xs text-slate-500">{Object.keys(e.definition.mappings).length} mapped</span>
              </p>
              <p className="text-xs text-slate-600">Fired by: {e.definition.triggerIds.length ? e.definition.triggerIds.map(triggerName).join(", ") : "no trigger (server-side only)"}</p>
            </div>
          );
        }}
        editor={(e, close) => <EventEditor containerId={containerId} event={e} plans={plans} usedPlanIds={usedPlanIds} triggers={triggers} variables={variables} owners={owners} onClose={close} />}
      />
    </>
  );
}
