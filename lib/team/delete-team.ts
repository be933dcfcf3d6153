// Deleting a team: everything it owns. The configuration goes by foreign-key cascade from
// the Team row (sites, containers, members, invitations, API tokens, orders, alerts, the
// audit log), in one transaction that also records what the collected data, which has no
// foreign keys, is found by; that data is then purged in the background like a deleted
// site's (lib/config/purge-jobs.ts) — each site's, then whatever is still keyed by the
// team (what arrived meanwhile) — so the request answers in the time of the cascade.
//
// Members are signed out of it at once: a session names a user, and its team is looked up
// from the user's memberships on every request (lib/auth/session.ts), which the cascade
// removed. A user left without any team is deleted too (the account existed for this
// team; an invitation can bring the person back). The team's audit log goes with it, so
// the deletion itself is written to the server log.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { NotFoundError, ValidationError } from "../errors";
import { siteDataKeys } from "../config/purge";
import { purgeRecorded, recordPurge } from "../config/purge-jobs";
import { afterCommit, announceConfigChange } from "../config/changes";

export async function deleteTeam(actor: Actor, confirmName: string): Promise<void> {
  const db = await prisma();
  const team = await db.team.findUnique({ where: { id: actor.teamId }, include: { sites: { select: { id: true } }, members: { select: { userId: true } } } });
  if (!team) throw new NotFoundError("Team");
  if (confirmName.trim() !== team.name) throw new ValidationError([{ path: "name", message: "must be the team's name, to confirm" }]);
  const sites = await Promise.all(team.sites.map((s) => siteDataKeys(team.id, s.id)));
  await afterCommit(() =>
    db.$transaction(async (tx) => {
      // Sites first: their containers' events hold the plan events with ON DELETE RESTRICT,
      // which the team's own cascade could otherwise reach first.
      await tx.site.deleteMany({ where: { teamId: team.id } });
      await tx.team.delete({ where: { id: team.id } });
      await tx.user.deleteMany({ where: { id: { in: team.members.map((m) => m.userId) }, memberships: { none: {} } } });
      await recordPurge(tx, { teamId: team.id, label: `team ${JSON.stringify(team.name)}`, keys: sites, wholeTeam: true });
      await announceConfigChange(tx);
    }),
  );
  purgeRecorded();
  console.log(`[audit] ${JSON.stringify({ action: "delete", entityType: "team", entityId: team.id, entityLabel: team.name, actor: actor.label, actorUserId: actor.userId, actorTokenId: actor.tokenId, at: new Date().toISOString() })}`);
}
