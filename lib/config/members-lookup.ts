// Owner choices for draft entities: the team's members as { id: user id, name }.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";

export async function ownerChoices(actor: Actor) {
  const db = await prisma();
  const members = await db.member.findMany({ where: { teamId: actor.teamId }, include: { user: { select: { id: true, name: true, email: true } } } });
  return members.map((m) => ({ id: m.user.id, name: m.user.name, email: m.user.email })).sort((a, b) => a.name.localeCompare(b.name));
}
