// Every change, through the UI or the API, writes one audit entry in the same
// transaction as the change itself: there is no change without its entry.
import type { Prisma } from "../generated/prisma/client";
import type { Actor } from "../auth/actor";

export type Tx = Prisma.TransactionClient;

export type AuditChange = {
  action: string;
  entityType: string;
  entityId: string;
  entityLabel: string;
  before?: unknown;
  after?: unknown;
};

// Dates become ISO strings and undefined disappears, as in any API response.
function snapshot(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

export async function recordAudit(tx: Tx, actor: Actor, change: AuditChange): Promise<void> {
  await tx.auditEntry.create({
    data: {
      teamId: actor.teamId,
      actorUserId: actor.userId,
      actorTokenId: actor.tokenId,
      actorLabel: actor.label,
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      entityLabel: change.entityLabel,
      before: snapshot(change.before),
      after: snapshot(change.after),
    },
  });
}
