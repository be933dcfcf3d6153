// Incidents: what the alert rules found, kept once per rule and subject. A finding opens
// an incident (at most one open per site, rule and subject: the unique openKey decides,
// whatever processes race), later findings only update it, and the first evaluation
// without the finding resolves it. Notifications work like an outbox: an incident
// records when its opening and its recovery were announced, and whoever claims that
// column first (an UPDATE … WHERE notifiedAt IS NULL) is the one that sends — one message
// per channel when it opens, one when it ends, none in between.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit, type Tx } from "../audit/record";
import { NotFoundError } from "../errors";
import { isUniqueViolation } from "../db-errors";
import { env } from "../env";
import type { Incident } from "../generated/prisma/client";
import type { Finding } from "./alerts/checks";
import { RULE_LABELS } from "./alerts/rules";
import type { RuleKind } from "../schemas/alerts";
import { deliverTo } from "./channels/channels";
import { alertMessage } from "./channels/message";

/** The actor alerts act as in the audit log. */
function system(teamId: string): Actor {
  return { teamId, role: "owner", label: "Tagpipe alerts", userId: null, tokenId: null };
}

const keyOf = (kind: string, subject: string) => `${kind}|${subject}`;

function title(kind: string) {
  return RULE_LABELS[kind as RuleKind]?.title ?? kind;
}

async function note(tx: Tx, incidentId: string, kind: string, actorLabel: string, detail = "", channelId: string | null = null) {
  await tx.incidentEvent.create({ data: { incidentId, kind, actorLabel, detail, channelId } });
}

export type Reconciled = { opened: number; resolved: number };

/** Applies one evaluation's findings to a site's incidents. */
export async function reconcile(site: { id: string; teamId: string; name: string }, found: Finding[], now: Date): Promise<Reconciled> {
  const db = await prisma();
  const open = await db.incident.findMany({ where: { siteId: site.id, status: "open" } });
  const byKey = new Map(open.map((i) => [keyOf(i.kind, i.subject), i]));
  const actor = system(site.teamId);
  let opened = 0;
  let resolved = 0;

  for (const f of found) {
    const key = keyOf(f.kind, f.subject);
    const existing = byKey.get(key);
    if (existing) {
      byKey.delete(key);
      await db.incident.update({ where: { id: existing.id }, data: { lastSeenAt: now, message: f.message, details: f.details } });
      continue;
    }
    try {
      await db.$transaction(async (tx) => {
        // A mute outlives the incident it was set on: the same rule and subject stay quiet until it ends.
        const previous = await tx.incident.findFirst({ where: { siteId: site.id, kind: f.kind, subject: f.subject }, orderBy: { openedAt: "desc" }, select: { mutedUntil: true } });
        const mutedUntil = previous?.mutedUntil && previous.mutedUntil > now ? previous.mutedUntil : null;
        const incident = await tx.incident.create({
          data: {
            teamId: site.teamId,
            siteId: site.id,
            kind: f.kind,
            subject: f.subject,
            subjectLabel: f.label,
            openKey: `${site.id}|${key}`,
            message: f.message,
            details: f.details,
            openedAt: now,
            lastSeenAt: now,
            mutedUntil,
          },
        });
        await note(tx, incident.id, "opened", actor.label, f.message);
        await recordAudit(tx, actor, { action: "open", entityType: "incident", entityId: incident.id, entityLabel: `${title(f.kind)}: ${f.label} (${site.name})`, after: { kind: f.kind, subject: f.subject, message: f.message, details: f.details } });
      });
      opened++;
    } catch (error) {
      // Another process opened it first: the one incident stands.
      if (!isUniqueViolation(error)) throw error;
    }
  }

  for (const incident of byKey.values()) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.incident.updateMany({ where: { id: incident.id, status: "open" }, data: { status: "resolved", resolvedAt: now, openKey: null } });
      if (!count) return;
      await note(tx, incident.id, "resolved", actor.label, "the rule no longer fires");
      await recordAudit(tx, actor, { action: "resolve", entityType: "incident", entityId: incident.id, entityLabel: `${title(incident.kind)}: ${incident.subjectLabel} (${site.name})`, before: { status: "open" }, after: { status: "resolved" } });
      resolved++;
    });
  }
  return { opened, resolved };
}

/** Announces what is due: openings not yet announced, and recoveries of announced incidents. */
export async function notify(site: { id: string; teamId: string; name: string }, now: Date): Promise<number> {
  const db = await prisma();
  const due = await db.incident.findMany({
    where: { siteId: site.id, OR: [{ status: "open", notifiedAt: null }, { status: "resolved", notifiedAt: { not: null }, recoveryNotifiedAt: null }] },
    orderBy: { openedAt: "asc" },
  });
  let sent = 0;
  for (const incident of due) {
    const recovery = incident.status === "resolved";
    const claimed = await db.incident.updateMany({
      where: recovery ? { id: incident.id, recoveryNotifiedAt: null } : { id: incident.id, notifiedAt: null },
      data: recovery ? { recoveryNotifiedAt: now } : { notifiedAt: now },
    });
    if (!claimed.count) continue;
    if (recovery) {
      // A recovery follows an opening that was announced; a muted or channel-less one was not.
      const announced = await db.incidentEvent.count({ where: { incidentId: incident.id, kind: "notified" } });
      if (!announced) continue;
    }
    const muted = incident.mutedUntil && incident.mutedUntil > now;
    if (muted) {
      await db.incidentEvent.create({ data: { incidentId: incident.id, kind: "suppressed", actorLabel: "Tagpipe alerts", detail: `muted until ${incident.mutedUntil!.toISOString()}` } });
      continue;
    }
    sent += await announce(site, incident, recovery ? "incident.resolved" : "incident.opened", now);
  }
  return sent;
}

async function announce(site: { id: string; name: string }, incident: Incident, type: "incident.opened" | "incident.resolved", now: Date): Promise<number> {
  const db = await prisma();
  const channels = await db.alertChannel.findMany({ where: { siteId: site.id, enabled: true }, orderBy: { createdAt: "asc" } });
  const message = alertMessage(type, { id: site.id, name: site.name }, incident, env().NEXTAUTH_URL ?? null, now);
  const kind = type === "incident.opened" ? "notified" : "recovery_notified";
  if (!channels.length) {
    await db.incidentEvent.create({ data: { incidentId: incident.id, kind: "suppressed", actorLabel: "Tagpipe alerts", detail: "no enabled channel" } });
    return 0;
  }
  let sent = 0;
  for (const channel of channels) {
    const result = await deliverTo(channel, message);
    if (result.ok) sent++;
    await db.incidentEvent.create({
      data: { incidentId: incident.id, kind: result.ok ? kind : "notify_failed", channelId: channel.id, actorLabel: "Tagpipe alerts", detail: `${channel.name}: ${result.response}` },
    });
  }
  return sent;
}

// ── Reading and acting on incidents (the API and the pages) ──

function present(i: Incident, now = new Date()) {
  const rest: Partial<Incident> = { ...i };
  delete rest.openKey;
  return { ...(rest as Omit<Incident, "openKey">), title: title(i.kind), muted: !!i.mutedUntil && i.mutedUntil > now };
}

export async function listIncidents(actor: Actor, siteId: string, query: { status?: "open" | "resolved"; before?: string; limit: number }) {
  const db = await prisma();
  const site = await db.site.findFirst({ where: { id: siteId, teamId: actor.teamId }, select: { id: true } });
  if (!site) throw new NotFoundError("Site");
  const incidents = await db.incident.findMany({
    where: { siteId, teamId: actor.teamId, status: query.status, ...(query.before ? { openedAt: { lt: new Date(query.before) } } : {}) },
    orderBy: { openedAt: "desc" },
    take: query.limit,
  });
  const last = incidents.at(-1);
  return { data: incidents.map((i) => present(i)), nextBefore: incidents.length === query.limit && last ? last.openedAt.toISOString() : null };
}

export async function getIncident(actor: Actor, id: string) {
  const db = await prisma();
  const incident = await db.incident.findFirst({ where: { id, teamId: actor.teamId }, include: { events: { orderBy: { at: "asc" } } } });
  if (!incident) throw new NotFoundError("Incident");
  const { events, ...rest } = incident;
  return { ...present(rest), history: events.map((e) => ({ id: e.id, kind: e.kind, channelId: e.channelId, detail: e.detail, actorLabel: e.actorLabel, at: e.at })) };
}

async function act(actor: Actor, id: string, change: (incident: Incident, tx: Tx) => Promise<{ action: string; detail: string; data: Pick<Partial<Incident>, "acknowledgedAt" | "acknowledgedBy" | "mutedUntil"> }>) {
  const db = await prisma();
  await db.$transaction(async (tx) => {
    const incident = await tx.incident.findFirst({ where: { id, teamId: actor.teamId } });
    if (!incident) throw new NotFoundError("Incident");
    const { action, detail, data } = await change(incident, tx);
    await tx.incident.update({ where: { id }, data });
    await note(tx, id, { acknowledge: "acknowledged", mute: "muted", unmute: "unmuted" }[action] ?? action, actor.label, detail);
    await recordAudit(tx, actor, {
      action,
      entityType: "incident",
      entityId: id,
      entityLabel: `${title(incident.kind)}: ${incident.subjectLabel}`,
      before: { acknowledgedAt: incident.acknowledgedAt, mutedUntil: incident.mutedUntil },
      after: { acknowledgedAt: data.acknowledgedAt ?? incident.acknowledgedAt, mutedUntil: data.mutedUntil === undefined ? incident.mutedUntil : data.mutedUntil },
    });
  });
  return getIncident(actor, id);
}

export function acknowledgeIncident(actor: Actor, id: string) {
  return act(actor, id, async (incident) => ({
    action: "acknowledge",
    detail: incident.acknowledgedAt ? "acknowledged again" : "acknowledged",
    data: { acknowledgedAt: new Date(), acknowledgedBy: actor.label },
  }));
}

/** Mutes for `minutes` (0 unmutes): no notification for this incident, nor for the same rule and subject opening again, until then. */
export function muteIncident(actor: Actor, id: string, minutes: number) {
  return act(actor, id, async () => {
    const until = minutes > 0 ? new Date(Date.now() + minutes * 60_000) : null;
    return { action: until ? "mute" : "unmute", detail: until ? `muted until ${until.toISOString()}` : "unmuted", data: { mutedUntil: until } };
  });
}

/** Open incidents per site of the team (the Alerts overview). */
export async function openIncidentCounts(actor: Actor): Promise<Map<string, number>> {
  const db = await prisma();
  const rows = await db.incident.groupBy({ by: ["siteId"], where: { teamId: actor.teamId, status: "open" }, _count: { _all: true } });
  return new Map(rows.map((r) => [r.siteId, r._count._all]));
}
