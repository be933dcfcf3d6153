// The team's tracking plan, and where the sites depart from it.
import { requireActor } from "@/lib/auth/session";
import { listPlanEvents } from "@/lib/config/plan";
import { PRESETS } from "@/lib/config/presets";
import { planConsistency } from "@/lib/config/consistency";
import { ownerChoices } from "@/lib/config/members-lookup";
import { can } from "@/lib/rbac/permissions";
import type { PlanParameter } from "@/lib/schemas/config";
import { Card, PageHeader } from "@/components/ui/primitives";
import { PlanManager } from "@/components/plan/plan-manager";
import { ConsistencyTables } from "@/components/plan/consistency";

export const metadata = { title: "Tracking plan" };

export default async function PlanPage({ searchParams }: { searchParams: Promise<{ edit?: string; field?: string }> }) {
  const { edit, field } = await searchParams;
  const actor = await requireActor();
  const [events, consistency, owners] = await Promise.all([listPlanEvents(actor), planConsistency(actor), ownerChoices(actor)]);
  const taken = new Set(events.map((e) => e.name));
  const rows = events.map((e) => ({
    id: e.id,
    name: e.name,
    description: e.description,
    ownerId: e.ownerId,
    revision: e.revision,
    parameters: e.parameters as PlanParameter[],
    platformNames: e.platformNames as Record<string, string>,
    usedBy: e._count.usages,
  }));
  return (
    <>
      <PageHeader
        title="Tracking plan"
        description={
          <>
            Each conversion event is defined once for the team, so it means the same on every site. Sites choose what fires it and where its
            parameters come from. <a href="#consistency" className="font-medium text-indigo-700 hover:underline">See where sites differ</a>.
          </>
        }
      />
      <PlanManager
        key={`${edit}:${field}`}
        initialEditing={edit}
        initialField={field}
        events={rows}
        presets={PRESETS.filter((p) => !taken.has(p.name)).map((p) => ({ name: p.name, description: p.description }))}
        owners={owners}
        canWrite={can(actor.role, "plan:write")}
      />
      <div id="consistency" className="mt-8 scroll-mt-4">
        <Card title="Consistency across sites" description="Per event and site: whether it is used, platform names that differ from the plan, required parameters left unmapped, and regions where its destinations are off.">
          <ConsistencyTables rows={consistency} />
        </Card>
      </div>
    </>
  );
}
