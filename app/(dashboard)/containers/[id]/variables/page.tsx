import { listDraft } from "@/lib/config/draft-entities";
import { can } from "@/lib/rbac/permissions";
import { loadWorkspace } from "../workspace";
import { VariablesManager } from "@/components/containers/variables-manager";
import type { VariableRow } from "@/components/containers/variable-editor";

export const metadata = { title: "Variables" };

export default async function VariablesPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ edit?: string; field?: string }> }) {
  const { id } = await params;
  const { edit, field } = await searchParams;
  const { actor, owners } = await loadWorkspace(id);
  const variables = (await listDraft(actor, "variable", id)) as unknown as VariableRow[];
  return <VariablesManager key={`${edit}:${field}`} containerId={id} variables={variables} owners={owners} canWrite={can(actor.role, "draft:write")} initialEditing={edit} initialField={field} />;
}
