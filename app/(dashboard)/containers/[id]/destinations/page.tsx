import { listDraft } from "@/lib/config/draft-entities";
import { can } from "@/lib/rbac/permissions";
import { loadWorkspace } from "../workspace";
import { DestinationsManager } from "@/components/containers/destinations-manager";
import type { DestinationRow } from "@/components/containers/destination-editor";

export const metadata = { title: "Destinations" };

export default async function DestinationsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ edit?: string; field?: string }> }) {
  const { id } = await params;
  const { edit, field } = await searchParams;
  const { actor, draft, owners } = await loadWorkspace(id);
  const destinations = (await listDraft(actor, "destination", id)) as unknown as DestinationRow[];
  const plan = new Map(draft.planEvents.map((p) => [p.id, p.platformNames]));
  return (
    <DestinationsManager
      key={`${edit}:${field}`}
      containerId={id}
      destinations={destinations}
      events={draft.events.map((e) => ({ id: e.id, name: e.name, platformNames: { ...plan.get(e.planEventId), ...e.platformNames } }))}
      regions={draft.site.regions.map((r) => r.code)}
      owners={owners}
      canWrite={can(actor.role, "draft:write")}
      initialEditing={edit}
      initialField={field}
    />
  );
}
