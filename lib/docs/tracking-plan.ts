// A site's tracking plan as a document: each event of its container's draft with its
// parameters (type, where the value comes from, required), its triggers in words, its
// destinations and the event's name at each, its owner and description and its last
// change — plus the items nobody owns. Read by the dashboard page and the Markdown and
// HTML exports (lib/docs/render.ts).
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors";
import { platformOf } from "../platforms/registry";
import {
  containerEventDefinition,
  destinationFields,
  planParameter,
  triggerFields,
  variableDefinition,
  type PlanParameter,
} from "../schemas/config";
import { triggerInWords, variableInWords } from "./words";

export type DocParameter = { name: string; type: string; required: boolean; source: string | null };
export type DocChange = { at: Date; by: string; action: string };
export type DocEvent = {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  owner: string | null;
  parameters: DocParameter[];
  userData: { field: string; source: string }[];
  triggers: { name: string; words: string }[];
  destinations: { name: string; platform: string; eventName: string }[];
  lastChange: DocChange | null;
};
export type Unowned = { kind: "plan event" | "event" | "trigger" | "variable" | "destination"; name: string };
export type TrackingPlanDoc = {
  site: { id: string; name: string; hostnames: string[] };
  container: { id: string; name: string } | null;
  generatedAt: Date;
  events: DocEvent[];
  unowned: Unowned[];
};

const USER_DATA = "user_data.";

export async function trackingPlanDoc(actor: Actor, siteId: string): Promise<TrackingPlanDoc> {
  const db = await prisma();
  const site = await db.site.findFirst({ where: { id: siteId, teamId: actor.teamId }, include: { container: true } });
  if (!site) throw new NotFoundError("Site");
  const doc: TrackingPlanDoc = { site: { id: site.id, name: site.name, hostnames: site.hostnames }, container: null, generatedAt: new Date(), events: [], unowned: [] };
  const container = site.container;
  if (!container) return doc;
  doc.container = { id: container.id, name: container.name };

  const where = { containerId: container.id, teamId: actor.teamId };
  const [events, triggers, variables, destinations, members] = await Promise.all([
    db.containerEvent.findMany({ where, include: { planEvent: true } }),
    db.trigger.findMany({ where, orderBy: { name: "asc" } }),
    db.variable.findMany({ where, orderBy: { name: "asc" } }),
    db.destination.findMany({ where, orderBy: { name: "asc" } }),
    db.member.findMany({ where: { teamId: actor.teamId }, include: { user: { select: { id: true, name: true } } } }),
  ]);
  const people = new Map(members.map((m) => [m.user.id, m.user.name]));
  const ownerName = (id: string | null) => (id ? (people.get(id) ?? "a former member") : null);
  const triggerName = (id: string) => triggers.find((t) => t.id === id)?.name ?? "a deleted trigger";
  const variableName = (id: string) => variables.find((v) => v.id === id)?.name ?? "a deleted variable";
  const variableSource = (id: string) => {
    const v = variables.find((x) => x.id === id);
    if (!v) return id;
    const parsed = variableDefinition.safeParse(v.definition);
    return parsed.success ? `${v.name}: ${variableInWords(parsed.data, variableName)}` : v.name;
  };

  const ids = [...events.flatMap((e) => [e.id, e.planEventId]), ...triggers.map((t) => t.id), ...variables.map((v) => v.id), ...destinations.map((d) => d.id)];
  const changes = await db.auditEntry.findMany({
    where: { teamId: actor.teamId, entityId: { in: ids } },
    orderBy: { createdAt: "desc" },
    select: { entityId: true, createdAt: true, actorLabel: true, action: true },
  });
  const lastChange = (...entityIds: string[]): DocChange | null => {
    const entry = changes.find((c) => entityIds.includes(c.entityId));
    return entry ? { at: entry.createdAt, by: entry.actorLabel, action: entry.action } : null;
  };

  const parsedDestinations = destinations.flatMap((d) => {
    const parsed = destinationFields.safeParse(d.definition);
    return parsed.success ? [{ row: d, def: parsed.data }] : [];
  });

  doc.events = events
    .map((e): DocEvent => {
      const def = containerEventDefinition.parse(e.definition);
      const plan = e.planEvent;
      const planParams = planParameter.array().safeParse(plan.parameters);
      const declared: PlanParameter[] = planParams.success ? planParams.data : [];
      const planNames = (plan.platformNames ?? {}) as Record<string, string | undefined>;
      const mapped = Object.entries(def.mappings);
      const parameters: DocParameter[] = declared.map((p) => ({ ...p, source: def.mappings[p.name] ? variableSource(def.mappings[p.name]) : null }));
      for (const [param, variableId] of mapped) {
        if (param.startsWith(USER_DATA) || declared.some((p) => p.name === param)) continue;
        parameters.push({ name: param, type: "not in the plan", required: false, source: variableSource(variableId) });
      }
      const usedTriggers = def.triggerIds.flatMap((id) => {
        const t = triggers.find((x) => x.id === id);
        const parsed = t ? triggerFields.safeParse(t.definition) : null;
        return t ? [{ name: t.name, words: parsed?.success ? triggerInWords(parsed.data, triggerName, variableName) : "(its settings need attention)" }] : [];
      });
      const usedDestinations = parsedDestinations.flatMap(({ row, def: d }) => {
        const use = d.events.find((x) => x.eventId === e.id);
        if (!use) return [];
        const platform = platformOf(d.platform);
        const eventName = use.name || def.platformNames[d.platform as keyof typeof def.platformNames] || planNames[d.platform] || plan.name;
        return [{ name: row.name, platform: platform?.name ?? d.platform, eventName }];
      });
      return {
        id: e.id,
        name: plan.name,
        description: e.description || plan.description,
        enabled: def.enabled,
        owner: ownerName(e.ownerId ?? plan.ownerId),
        parameters,
        userData: mapped.filter(([k]) => k.startsWith(USER_DATA)).map(([k, v]) => ({ field: k.slice(USER_DATA.length), source: variableSource(v) })),
        triggers: usedTriggers,
        destinations: usedDestinations,
        lastChange: lastChange(e.id, e.planEventId),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));

  const unowned = (kind: Unowned["kind"], rows: { name: string; ownerId: string | null }[]) => rows.filter((r) => !r.ownerId).map((r) => ({ kind, name: r.name }));
  const plans = [...new Map(events.map((e) => [e.planEventId, e.planEvent])).values()];
  doc.unowned = [
    ...unowned("plan event", plans),
    ...unowned("event", events.map((e) => ({ name: e.planEvent.name, ownerId: e.ownerId ?? e.planEvent.ownerId }))),
    ...unowned("trigger", triggers),
    ...unowned("variable", variables),
    ...unowned("destination", destinations),
  ];
  return doc;
}
