// Team settings, for owners: the team's name, its retention window (lib/retention/), and
// whether publishing to production needs a request approved by another publisher or owner
// (lib/versions/approvals.ts). One PATCH is one transaction: every field it sets changes
// together, each with its audit entry.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import type { TeamUpdate } from "../schemas/resources";

export async function updateTeam(actor: Actor, input: TeamUpdate) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const before = await tx.team.findUniqueOrThrow({ where: { id: actor.teamId } });
    const after = await tx.team.update({ where: { id: actor.teamId }, data: input });
    const common = { entityType: "team", entityId: after.id, entityLabel: after.name };
    if (input.name !== undefined || input.retentionDays !== undefined) {
      await recordAudit(tx, actor, {
        ...common,
        action: "update",
        before: { name: before.name, retentionDays: before.retentionDays },
        after: { name: after.name, retentionDays: after.retentionDays },
      });
    }
    if (input.productionNeedsApproval !== undefined && before.productionNeedsApproval !== after.productionNeedsApproval) {
      await recordAudit(tx, actor, {
        ...common,
        action: "require_approval",
        before: { productionNeedsApproval: before.productionNeedsApproval },
        after: { productionNeedsApproval: after.productionNeedsApproval },
      });
    }
    return after;
  });
}
