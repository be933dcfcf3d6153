// The actor behind a dashboard session: the signed-in user in their current team.
// The current team is the one named by the tagpipe_team cookie if the user belongs to it,
// else their first.
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { prisma } from "../db";
import type { Actor } from "./actor";
import { authOptions } from "./options";

export const TEAM_COOKIE = "tagpipe_team";

export async function sessionUserId(): Promise<string | null> {
  const session = await getServerSession(authOptions());
  return (session?.user as { id?: string } | undefined)?.id ?? null;
}

export async function sessionActor(): Promise<Actor | null> {
  const userId = await sessionUserId();
  if (!userId) return null;
  const db = await prisma();
  const memberships = await db.member.findMany({
    where: { userId },
    include: { user: { select: { name: true } } },
    orderBy: { createdAt: "asc" },
  });
  if (memberships.length === 0) return null;
  const wanted = (await cookies()).get(TEAM_COOKIE)?.value;
  const member = memberships.find((m) => m.teamId === wanted) ?? memberships[0];
  return { teamId: member.teamId, role: member.role, label: member.user.name, userId, tokenId: null };
}

export async function sessionTeams(userId: string) {
  const db = await prisma();
  const memberships = await db.member.findMany({ where: { userId }, include: { team: true }, orderBy: { createdAt: "asc" } });
  return memberships.map((m) => ({ id: m.teamId, name: m.team.name, role: m.role }));
}

/** For dashboard pages: the actor, or a redirect to sign-in. */
export async function requireActor(): Promise<Actor> {
  const actor = await sessionActor();
  if (!actor) redirect("/signin");
  return actor;
}
