// Members and their roles. A team always keeps at least one owner.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit, type Tx } from "../audit/record";
import { ConflictError, NotFoundError } from "../errors";
import type { Role } from "../generated/prisma/enums";

export async function getTeam(actor: Actor) {
  const db = await prisma();
  const team = await db.team.findUnique({ where: { id: actor.teamId } });
  if (!team) throw new NotFoundError("Team");
  return team;
}

export async function listMembers(actor: Actor) {
  const db = await prisma();
  const members = await db.member.findMany({
    where: { teamId: actor.teamId },
    include: { user: { select: { id: true, email: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return members.map((m) => ({ id: m.id, role: m.role, createdAt: m.createdAt, user: m.user }));
}

async function assertAnotherOwner(tx: Tx, teamId: string, memberId: string) {
  const owners = await tx.member.count({ where: { teamId, role: "owner", id: { not: memberId } } });
  if (owners === 0) throw new ConflictError("A team needs at least one owner: make someone else owner first");
}

export async function changeRole(actor: Actor, memberId: string, role: Role) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    // Row lock: two owners demoting each other at once cannot leave the team ownerless.
    await tx.$queryRaw`SELECT id FROM "Member" WHERE "teamId" = ${actor.teamId} AND role = 'owner' FOR UPDATE`;
    const before = await tx.member.findFirst({ where: { id: memberId, teamId: actor.teamId }, include: { user: true } });
    if (!before) throw new NotFoundError("Member");
    if (before.role === "owner" && role !== "owner") await assertAnotherOwner(tx, actor.teamId, memberId);
    const after = await tx.member.update({ where: { id: memberId }, data: { role } });
    await recordAudit(tx, actor, {
      action: "change_role",
      entityType: "member",
      entityId: memberId,
      entityLabel: before.user.email,
      before: { role: before.role },
      after: { role: after.role },
    });
    return { id: after.id, role: after.role, user: { id: before.user.id, email: before.user.email, name: before.user.name } };
  });
}

export async function removeMember(actor: Actor, memberId: string): Promise<void> {
  const db = await prisma();
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Member" WHERE "teamId" = ${actor.teamId} AND role = 'owner' FOR UPDATE`;
    const before = await tx.member.findFirst({ where: { id: memberId, teamId: actor.teamId }, include: { user: true } });
    if (!before) throw new NotFoundError("Member");
    if (before.role === "owner") await assertAnotherOwner(tx, actor.teamId, memberId);
    await tx.member.delete({ where: { id: memberId } });
    await recordAudit(tx, actor, {
      action: "remove",
      entityType: "member",
      entityId: memberId,
      entityLabel: before.user.email,
      before: { email: before.user.email, role: before.role },
    });
  });
}
