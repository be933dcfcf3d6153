// Reading the audit log: newest first, filtered by entity and person, paged by time.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import type { z } from "zod";
import type { auditQuery } from "../schemas/resources";

export async function listAuditEntries(actor: Actor, query: z.infer<typeof auditQuery>) {
  const db = await prisma();
  return db.auditEntry.findMany({
    where: {
      teamId: actor.teamId,
      entityType: query.entityType,
      entityId: query.entityId,
      ...(query.actor ? { OR: [{ actorUserId: query.actor }, { actorTokenId: query.actor }] } : {}),
      ...(query.before ? { createdAt: { lt: new Date(query.before) } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit,
  });
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
