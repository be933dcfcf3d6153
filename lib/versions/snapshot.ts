// A container's draft as one plain object: what a version freezes, what the diff compares,
// what the compiler turns into a container script, and what export writes out.
import type { Tx } from "../audit/record";
import { secretKeys } from "../config/draft-entities";

export type SnapshotRegion = {
  code: string;
  name: string;
  countries: string[];
  rules: { hostname?: string; pathPrefix?: string }[];
  currency: string | null;
  consentDefault: "granted" | "denied";
};

export type SnapshotEntity = { id: string; name: string; description: string; ownerId: string | null };

export type Snapshot = {
  formatVersion: 1;
  container: { id: string; name: string };
  site: { id: string; name: string; hostnames: string[]; defaultCurrency: string; regions: SnapshotRegion[] };
  planEvents: { id: string; name: string; parameters: { name: string; type: string; required: boolean }[]; platformNames: Record<string, string> }[];
  events: (SnapshotEntity & { planEventId: string; triggerIds: string[]; mappings: Record<string, string>; platformNames: Record<string, string>; enabled: boolean })[];
  triggers: (SnapshotEntity & Record<string, unknown> & { type: string; conditions: Record<string, unknown>[]; blockingTriggerIds: string[] })[];
  variables: (SnapshotEntity & Record<string, unknown> & { kind: string })[];
  destinations: (SnapshotEntity & Record<string, unknown> & { platform: string; ids: Record<string, string>; events: { eventId: string; name?: string }[]; regions: string[] | null; secretsSet: string[] })[];
};

const base = (r: { id: string; name: string; description: string; ownerId: string | null }) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  ownerId: r.ownerId,
});

/** Reads the current draft of a container (already checked to belong to the team). */
export async function loadDraft(tx: Tx, containerId: string): Promise<Snapshot> {
  const container = await tx.container.findUniqueOrThrow({
    where: { id: containerId },
    include: { site: { include: { regions: { orderBy: { code: "asc" } } } } },
  });
  const [events, triggers, variables, destinations] = await Promise.all([
    tx.containerEvent.findMany({ where: { containerId }, include: { planEvent: true }, orderBy: { createdAt: "asc" } }),
    tx.trigger.findMany({ where: { containerId }, orderBy: { name: "asc" } }),
    tx.variable.findMany({ where: { containerId }, orderBy: { name: "asc" } }),
    tx.destination.findMany({ where: { containerId }, orderBy: { name: "asc" } }),
  ]);
  const planEvents = new Map(events.map((e) => [e.planEvent.id, e.planEvent]));
  return {
    formatVersion: 1,
    container: { id: container.id, name: container.name },
    site: {
      id: container.site.id,
      name: container.site.name,
      hostnames: container.site.hostnames,
      defaultCurrency: container.site.defaultCurrency,
      regions: container.site.regions.map((r) => ({
        code: r.code,
        name: r.name,
        countries: r.countries,
        rules: r.rules as SnapshotRegion["rules"],
        currency: r.currency,
        consentDefault: r.consentDefault,
      })),
    },
    planEvents: [...planEvents.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((p) => ({ id: p.id, name: p.name, parameters: p.parameters as Snapshot["planEvents"][number]["parameters"], platformNames: p.platformNames as Record<string, string> })),
    events: events
      .map((e) => {
        const def = e.definition as { triggerIds?: string[]; mappings?: Record<string, string>; platformNames?: Record<string, string>; enabled?: boolean };
        return {
          id: e.id,
          name: e.planEvent.name,
          description: e.description,
          ownerId: e.ownerId,
          planEventId: e.planEventId,
          triggerIds: def.triggerIds ?? [],
          mappings: def.mappings ?? {},
          platformNames: def.platformNames ?? {},
          enabled: def.enabled ?? true,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    triggers: triggers.map((t) => ({ ...base(t), ...(t.definition as { type: string; conditions: Record<string, unknown>[]; blockingTriggerIds: string[] }) })),
    variables: variables.map((v) => ({ ...base(v), ...(v.definition as { kind: string }) })),
    destinations: destinations.map((d) => ({
      ...base(d),
      ...(d.definition as { platform: string; ids: Record<string, string>; events: { eventId: string; name?: string }[]; regions: string[] | null }),
      secretsSet: secretKeys(d.secrets),
    })),
  };
}
