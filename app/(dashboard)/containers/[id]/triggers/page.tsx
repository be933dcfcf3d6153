import { listDraft } from "@/lib/config/draft-entities";
import { can } from "@/lib/rbac/permissions";
import { loadWorkspace } from "../workspace";
import { TriggersManager } from "@/components/containers/triggers-manager";
import type { TriggerRow } from "@/components/containers/trigger-editor";

export const metadata = { title: "Triggers" };

export default async function TriggersPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ edit?: string; field?: string }> }) {
  const { id } = await params;
  const { edit, field } = await searchParams;
  const { actor, draft, owners } = await loadWorkspace(id);
  const triggers = (await listDraft(actor, "trigger", id)) as unknown as TriggerRow[];
  return (
    <TriggersManager
      key={`${edit}:${field}`}
      containerId={id}
      triggers={triggers}
      variables={draft.variables.map((v) => ({ id: v.id, name: v.name }))}
      regions={draft.site.regions.map((r) => r.code)}
      owners={owners}
      canWrite={can(actor.role, "draft:write")}
      initialEditing={edit}
      initialField={field}
    />
  );
}
