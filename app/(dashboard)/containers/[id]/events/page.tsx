import { listContainerEvents } from "@/lib/config/container-events";
import { listPlanEvents } from "@/lib/config/plan";
import { can } from "@/lib/rbac/permissions";
import { loadWorkspace } from "../workspace";
import { EventsManager } from "@/components/containers/events-manager";
import type { EventRow, PlanEventChoice } from "@/components/containers/event-editor";
import { typedVariables } from "@/lib/config/builtins";

export const metadata = { title: "Events" };

export default async function EventsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ edit?: string; field?: string }> }) {
  const { id } = await params;
  const { edit, field } = await searchParams;
  const { actor, draft, owners } = await loadWorkspace(id);
  const [events, plans] = await Promise.all([listContainerEvents(actor, id), listPlanEvents(actor)]);
  return (
    <EventsManager
      key={`${edit}:${field}`}
      containerId={id}
      events={events as unknown as EventRow[]}
      plans={plans as unknown as PlanEventChoice[]}
      triggers={draft.triggers.map((t) => ({ id: t.id, name: t.name }))}
      variables={typedVariables(draft.variables.map((v) => ({ id: v.id, name: v.name, definition: v as { kind?: string; coerce?: string; path?: string } })))}
      owners={owners}
      canWrite={can(actor.role, "draft:write")}
      initialEditing={edit}
      initialField={field}
    />
  );
}
