// Team settings, for owners: the team's name, its retention window (lib/retention/), and
// whether publishing to production needs a request approved by another publisher or owner
// (lib/versions/approvals.ts).
import type { z } from "zod";
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { updateNameAndRetention } from "./members";
import type { teamUpdate } from "../schemas/resources";

export async function updateTeam(actor: Actor, input: z.infer<typeof teamUpdate>) {
  const { productionNeedsApproval, ...rest } = input;
  if (rest.name !== undefined || rest.retentionDays !== undefined) await updateNameAndRetention(actor, rest);
  if (productionNeedsApproval !== undefined) await setApprovalRule(actor, productionNeedsApproval);
  const db = await prisma();
  return db.team.findUniqueOrThrow({ where: { id: actor.teamId } });
}

/** Owners decide whether production needs an approved request. */
async function setApprovalRule(actor: Actor, required: boolean) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const before = await tx.team.findUniqueOrThrow({ where: { id: actor.teamId } });
    const after = await tx.team.update({ where: { id: actor.teamId }, data: { productionNeedsApproval: required } });
    if (before.productionNeedsApproval !== required) {
      await recordAudit(tx, actor, {
        action: "require_approval",
        entityType: "team",
        entityId: after.id,
        entityLabel: after.name,
        before: { productionNeedsApproval: before.productionNeedsApproval },
        after: { productionNeedsApproval: required },
      });
    }
    return after;
  });
}
