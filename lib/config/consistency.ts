// The consistency view of the tracking plan: per plan event, how each site's container
// uses it and where it departs from the plan (platform-name overrides, required
// parameters left unmapped, regions where its destinations are switched off).
import { prisma } from "../db";
import type { Actor } from "../auth/actor";

type PlanParam = { name: string; required: boolean };
type EventDef = { mappings?: Record<string, string>; platformNames?: Record<string, string>; enabled?: boolean };
type DestDef = { platform: string; events?: { eventId: string; name?: string }[]; regions?: string[] | null };

export async function planConsistency(actor: Actor) {
  const db = await prisma();
  const [plan, containers] = await Promise.all([
    db.planEvent.findMany({ where: { teamId: actor.teamId }, orderBy: { name: "asc" } }),
    db.container.findMany({
      where: { teamId: actor.teamId },
      include: { site: { include: { regions: true } }, events: true, destinations: true },
      orderBy: { name: "asc" },
    }),
  ]);
  return plan.map((p) => {
    const planNames = p.platformNames as Record<string, string>;
    const required = (p.parameters as PlanParam[]).filter((x) => x.required).map((x) => x.name);
    return {
      id: p.id,
      name: p.name,
      ownerId: p.ownerId,
      platformNames: planNames,
      sites: containers.map((c) => {
        const usage = c.events.find((e) => e.planEventId === p.id);
        if (!usage) return { containerId: c.id, site: c.site.name, used: false as const };
        const def = usage.definition as EventDef;
        const overrides = Object.entries(def.platformNames ?? {})
          .filter(([platform, name]) => name && name !== planNames[platform])
          .map(([platform, name]) => ({ platform, plan: planNames[platform] ?? null, site: name }));
        const destinations = c.destinations
          .map((d) => ({ d, def: d.definition as DestDef }))
          .filter(({ def: dd }) => (dd.events ?? []).some((e) => e.eventId === usage.id));
        const renamedAtDestination = destinations
          .flatMap(({ d, def: dd }) => (dd.events ?? []).filter((e) => e.eventId === usage.id && e.name).map((e) => ({ destination: d.name, name: e.name! }))) ;
        const regionsOff = c.site.regions
          .map((r) => ({ region: r.code, off: destinations.filter(({ def: dd }) => dd.regions && !dd.regions.includes(r.code)).map(({ d }) => d.name) }))
          .filter((r) => r.off.length > 0);
        return {
          containerId: c.id,
          site: c.site.name,
          used: true as const,
          enabled: def.enabled ?? true,
          overrides,
          renamedAtDestination,
          missingRequired: required.filter((r) => !def.mappings?.[r]),
          destinations: destinations.map(({ d }) => d.name),
          regionsOff,
        };
      }),
    };
  });
}
