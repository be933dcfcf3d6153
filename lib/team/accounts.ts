// Accounts: the first user of a fresh install creates the team and becomes its owner.
// Later people join by invitation (lib/team/invites.ts), or, with TAGPIPE_OPEN_SIGNUP=1,
// sign up with a team of their own.
import { prisma } from "../db";
import { env } from "../env";
import { hashPassword } from "../auth/password";
import { recordAudit } from "../audit/record";
import { ConflictError, ForbiddenError } from "../errors";
import { isUniqueViolation } from "../db-errors";
import type { z } from "zod";
import type { signup } from "../schemas/resources";

export async function needsSetup(): Promise<boolean> {
  const db = await prisma();
  return (await db.user.count()) === 0;
}

export function openSignup(): boolean {
  return env().TAGPIPE_OPEN_SIGNUP;
}

export async function createAccount(input: z.infer<typeof signup>) {
  const db = await prisma();
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      // Serialises concurrent first sign-ups, so exactly one becomes the first owner.
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(7243001)::text`;
      const users = await tx.user.count();
      if (users > 0 && !openSignup()) {
        throw new ForbiddenError("Sign-up is closed: ask an owner of your team for an invitation");
      }
      const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
      const team = await tx.team.create({ data: { name: input.teamName } });
      const member = await tx.member.create({ data: { teamId: team.id, userId: user.id, role: "owner" } });
      await recordAudit(
        tx,
        { teamId: team.id, role: "owner", label: user.name, userId: user.id, tokenId: null },
        { action: "create", entityType: "team", entityId: team.id, entityLabel: team.name, after: { name: team.name, owner: user.email } },
      );
      return { userId: user.id, teamId: team.id, memberId: member.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError("An account with this email exists: sign in instead", [
        { path: "email", message: "is already registered" },
      ]);
    }
    throw error;
  }
}
