// Reading the outbox and replaying dead letters (after fixing a token, say).
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";

/** The newest deliveries, each with the event it carries (joined by id: the outbox has no foreign key). */
export async function listDeliveries(actor: Actor, filter: { status?: string; destinationId?: string; limit: number }) {
  const db = await prisma();
  const deliveries = await db.delivery.findMany({
    where: { teamId: actor.teamId, status: filter.status, destinationId: filter.destinationId },
    orderBy: { createdAt: "desc" },
    take: filter.limit,
  });
  const events = await db.collectedEvent.findMany({
    where: { teamId: actor.teamId, id: { in: [...new Set(deliveries.map((d) => d.collectedEventId))] } },
    select: { id: true, name: true, eventId: true, environmentKind: true, receivedAt: true },
  });
  const byId = new Map(events.map(({ id, ...event }) => [id, event]));
  return deliveries.map((d) => ({ ...d, event: byId.get(d.collectedEventId) ?? null }));
}

/** Puts dead-lettered deliveries back in the queue, as new: attempts and the 24 h clock restart. */
export async function replayDeliveries(actor: Actor, filter: { ids?: string[]; destinationId?: string }) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const { count } = await tx.delivery.updateMany({
      where: { teamId: actor.teamId, status: "dead", ...(filter.ids ? { id: { in: filter.ids } } : {}), ...(filter.destinationId ? { destinationId: filter.destinationId } : {}) },
      data: { status: "pending", attempts: 0, firstAttemptAt: null, nextAttemptAt: new Date() },
    });
    await recordAudit(tx, actor, {
      action: "replay",
      entityType: "delivery",
      entityId: filter.destinationId ?? filter.ids?.join(",").slice(0, 60) ?? "all",
      entityLabel: `${count} dead-lettered deliveries`,
      after: { replayed: count, ...filter },
    });
    return { replayed: count };
  });
}
