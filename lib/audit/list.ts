// Reading the audit log: newest first, filtered by entity, person, words and a date
// range, paged; each entry said in words (lib/audit/describe.ts) with a link to its item.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import type { z } from "zod";
import { auditRange, type auditQuery } from "../schemas/resources";
import type { Prisma } from "../generated/prisma/client";
import { describeAudit, describeAuditChanges, referencedIds } from "./describe";
import type { Tx } from "./record";

type Query = z.infer<typeof auditQuery>;

function where(actor: Actor, query: Query): Prisma.AuditEntryWhereInput {
  const range = auditRange(query);
  const words = query.q ? { contains: query.q, mode: "insensitive" as const } : null;
  // "publish request" finds the publish_request entries and the request_publish action.
  const snake = query.q ? { contains: query.q.trim().replace(/\s+/g, "_"), mode: "insensitive" as const } : null;
  return {
    teamId: actor.teamId,
    entityType: query.entityType,
    entityId: query.entityId,
    ...(range.gte || range.lt ? { createdAt: range } : {}),
    AND: [
      query.actor ? { OR: [{ actorUserId: query.actor }, { actorTokenId: query.actor }] } : {},
      words ? { OR: [{ entityLabel: words }, { actorLabel: words }, { action: snake! }, { entityType: snake! }] } : {},
    ],
  };
}

export async function listAuditEntries(actor: Actor, query: Query) {
  const db = await prisma();
  const filter = where(actor, query);
  const [rows, total] = await Promise.all([
    db.auditEntry.findMany({ where: filter, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (query.page - 1) * query.limit, take: query.limit }),
    db.auditEntry.count({ where: filter }),
  ]);
  const [names, links] = await Promise.all([namesOf(db, actor, rows), linksOf(db, actor, rows)]);
  const data = rows.map((r) => ({ ...r, summary: describeAudit(r), changes: describeAuditChanges(r, names), href: links.get(r.id) ?? null }));
  return { data, page: query.page, limit: query.limit, total, pages: Math.max(1, Math.ceil(total / query.limit)) };
}

/** Names of the triggers, variables, events, destinations and people the entries refer to. */
async function namesOf(db: Tx, actor: Actor, rows: { before: unknown; after: unknown }[]): Promise<Map<string, string>> {
  const ids = referencedIds(rows);
  if (ids.length === 0) return new Map();
  const teamId = actor.teamId;
  const [triggers, variables, destinations, events, members] = await Promise.all([
    db.trigger.findMany({ where: { teamId, id: { in: ids } }, select: { id: true, name: true } }),
    db.variable.findMany({ where: { teamId, id: { in: ids } }, select: { id: true, name: true } }),
    db.destination.findMany({ where: { teamId, id: { in: ids } }, select: { id: true, name: true } }),
    db.containerEvent.findMany({ where: { teamId, id: { in: ids } }, select: { id: true, planEvent: { select: { name: true } } } }),
    db.member.findMany({ where: { teamId, userId: { in: ids } }, select: { user: { select: { id: true, name: true, email: true } } } }),
  ]);
  return new Map([
    ...[...triggers, ...variables, ...destinations].map((r) => [r.id, r.name] as const),
    ...events.map((e) => [e.id, e.planEvent.name] as const),
    ...members.map((m) => [m.user.id, m.user.name || m.user.email] as const),
  ]);
}

const TABS = { trigger: "triggers", variable: "variables", destination: "destinations", event: "events" } as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The first leaf path where two values differ ("conditions.1.value"); an added item names its first field. */
function firstDifference(before: unknown, after: unknown, path: string): string | undefined {
  if (same(before, after)) return undefined;
  if (isObject(before) || isObject(after)) {
    const keys = [...new Set([...Object.keys(isObject(after) ? after : {}), ...Object.keys(isObject(before) ? before : {})])];
    for (const key of keys) {
      const found = firstDifference(isObject(before) ? before[key] : undefined, isObject(after) ? after[key] : undefined, path ? `${path}.${key}` : key);
      if (found !== undefined) return found;
    }
  }
  return path;
}

const COMMON = ["name", "description", "ownerId"];

/**
 * The form field an update changed first, as the editors name their fields (data-field):
 * "secrets.accessToken", "name", "conditions.1.value", "ids.pixelId", "parameters.0.name".
 * The audit entry's link opens the item's editor with it focused.
 */
export function changedField(before: unknown, after: unknown): string | undefined {
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const written = a.secretsWritten;
  if (Array.isArray(written) && written.length) return `secrets.${written[0]}`;
  const common = COMMON.find((key) => !same(b[key], a[key]));
  if (common) return common;
  // Draft entities keep their settings under definition; plan events beside their name.
  const rest = (o: Record<string, unknown>) => ("definition" in o ? o.definition : Object.fromEntries(Object.entries(o).filter(([k]) => !COMMON.includes(k) && !k.startsWith("secrets"))));
  return firstDifference(rest(b), rest(a), "") || undefined;
}

/** Where each entry's item lives in the dashboard, while it still exists. */
async function linksOf(db: Tx, actor: Actor, rows: { id: string; entityType: string; entityId: string; action: string; before: unknown; after: unknown }[]): Promise<Map<string, string>> {
  const teamId = actor.teamId;
  const idsOf = (type: string) => [...new Set(rows.filter((r) => r.entityType === type).map((r) => r.entityId))];
  const [triggers, variables, destinations, events, plans, sites, regions, containers, environments, versions, requests] = await Promise.all([
    db.trigger.findMany({ where: { teamId, id: { in: idsOf("trigger") } }, select: { id: true, containerId: true } }),
    db.variable.findMany({ where: { teamId, id: { in: idsOf("variable") } }, select: { id: true, containerId: true } }),
    db.destination.findMany({ where: { teamId, id: { in: idsOf("destination") } }, select: { id: true, containerId: true } }),
    db.containerEvent.findMany({ where: { teamId, id: { in: idsOf("event") } }, select: { id: true, containerId: true } }),
    db.planEvent.findMany({ where: { teamId, id: { in: idsOf("plan_event") } }, select: { id: true } }),
    db.site.findMany({ where: { teamId, id: { in: idsOf("site") } }, select: { id: true } }),
    db.region.findMany({ where: { teamId, id: { in: idsOf("region") } }, select: { id: true, siteId: true } }),
    db.container.findMany({ where: { teamId, id: { in: [...idsOf("container")] } }, select: { id: true } }),
    db.environment.findMany({ where: { teamId, id: { in: idsOf("environment") } }, select: { id: true, containerId: true } }),
    db.version.findMany({ where: { teamId, id: { in: idsOf("version") } }, select: { id: true, containerId: true } }),
    db.publishRequest.findMany({ where: { teamId, id: { in: idsOf("publish_request") } }, select: { id: true, containerId: true } }),
  ]);
  const href = new Map<string, string>();
  for (const [type, found] of Object.entries({ trigger: triggers, variable: variables, destination: destinations, event: events })) {
    for (const r of found) href.set(`${type}:${r.id}`, `/containers/${r.containerId}/${TABS[type as keyof typeof TABS]}?edit=${r.id}`);
  }
  for (const r of plans) href.set(`plan_event:${r.id}`, `/plan?edit=${r.id}`);
  for (const r of sites) href.set(`site:${r.id}`, `/sites/${r.id}`);
  for (const r of regions) href.set(`region:${r.id}`, `/sites/${r.siteId}`);
  for (const r of containers) href.set(`container:${r.id}`, `/containers/${r.id}`);
  for (const r of environments) href.set(`environment:${r.id}`, `/containers/${r.containerId}/versions`);
  for (const r of versions) href.set(`version:${r.id}`, `/containers/${r.containerId}/versions?to=${r.id}#diff`);
  for (const r of requests) href.set(`publish_request:${r.id}`, `/containers/${r.containerId}/versions?request=${r.id}#requests`);
  const fixed: Record<string, string> = { plan_event: "/plan", member: "/members", invite: "/members", api_token: "/tokens", alert_rule: "/alerts", alert_channel: "/alerts", incident: "/alerts", team: "/settings" };
  return new Map(
    rows.flatMap((r) => {
      const item = href.get(`${r.entityType}:${r.entityId}`);
      // An update opens the item at the field it changed first.
      const field = item?.includes("?edit=") && r.action === "update" ? changedField(r.before, r.after) : undefined;
      const to = item ? `${item}${field ? `&field=${encodeURIComponent(field)}` : ""}` : fixed[r.entityType];
      return to ? [[r.id, to] as const] : [];
    }),
  );
}

/** The people and tokens that appear in the team's log, for the filter menu. */
export async function listAuditActors(actor: Actor) {
  const db = await prisma();
  const rows = await db.auditEntry.findMany({
    where: { teamId: actor.teamId },
    distinct: ["actorLabel", "actorUserId", "actorTokenId"],
    select: { actorLabel: true, actorUserId: true, actorTokenId: true },
    orderBy: { actorLabel: "asc" },
  });
  return rows.map((r) => ({ id: r.actorUserId ?? r.actorTokenId ?? "", label: r.actorLabel })).filter((r) => r.id);
}
