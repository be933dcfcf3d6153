// Invitations by email with a role. No mail server is needed: the owner gets a link to
// pass on. The link holds a random token; only its SHA-256 is stored. Links expire.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { actingUserId } from "../auth/tokens";
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from "../errors";
import { randomSecret, sha256Hex } from "../auth/secrets";
import { hashPassword, verifyPassword } from "../auth/password";
import type { Role } from "../generated/prisma/enums";
import type { z } from "zod";
import type { inviteAccept } from "../schemas/resources";

const VALID_DAYS = 7;

export async function listInvites(actor: Actor) {
  const db = await prisma();
  const invites = await db.invite.findMany({
    where: { teamId: actor.teamId, acceptedAt: null, expiresAt: { gt: new Date() } },
    include: { invitedBy: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
  });
  return invites.map((i) => ({
    id: i.id,
    email: i.email,
    role: i.role,
    invitedBy: i.invitedBy.name,
    expiresAt: i.expiresAt,
    createdAt: i.createdAt,
  }));
}

/** Returns the invitation and its one-time token; the caller builds the link. */
export async function createInvite(actor: Actor, input: { email: string; role: Role }) {
  const db = await prisma();
  const token = randomSecret(24);
  const invite = await db.$transaction(async (tx) => {
    // An API token (with member:manage) invites on behalf of the person who created it;
    // the audit entry still names the token.
    const invitedById = await actingUserId(tx, actor);
    if (!invitedById) {
      throw new ValidationError([{ path: "", message: "the person who created this token no longer exists: invite from the dashboard" }]);
    }
    const existing = await tx.member.findFirst({ where: { teamId: actor.teamId, user: { email: input.email } } });
    if (existing) throw new ConflictError("This person is already a member", [{ path: "email", message: "is already a member" }]);
    const invite = await tx.invite.create({
      data: {
        teamId: actor.teamId,
        email: input.email,
        role: input.role,
        tokenHash: sha256Hex(token),
        invitedById,
        expiresAt: new Date(Date.now() + VALID_DAYS * 86_400_000),
      },
    });
    await recordAudit(tx, actor, {
      action: "invite",
      entityType: "invite",
      entityId: invite.id,
      entityLabel: invite.email,
      after: { email: invite.email, role: invite.role },
    });
    return invite;
  });
  return { id: invite.id, email: invite.email, role: invite.role, expiresAt: invite.expiresAt, token };
}

export async function revokeInvite(actor: Actor, id: string): Promise<void> {
  const db = await prisma();
  await db.$transaction(async (tx) => {
    const invite = await tx.invite.findFirst({ where: { id, teamId: actor.teamId, acceptedAt: null } });
    if (!invite) throw new NotFoundError("Invitation");
    await tx.invite.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "revoke",
      entityType: "invite",
      entityId: id,
      entityLabel: invite.email,
      before: { email: invite.email, role: invite.role },
    });
  });
}

/** What the invitation page shows before the invitee accepts. */
export async function describeInvite(token: string) {
  const db = await prisma();
  const invite = await db.invite.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { team: true } });
  if (!invite || invite.acceptedAt || invite.expiresAt < new Date()) return null;
  const existingUser = await db.user.findUnique({ where: { email: invite.email }, select: { id: true } });
  return { email: invite.email, role: invite.role, teamName: invite.team.name, existingUser: !!existingUser };
}

/**
 * Accepts an invitation. A new person chooses a name and password; someone who already
 * has an account proves it with their password.
 */
export async function acceptInvite(input: z.infer<typeof inviteAccept>) {
  const db = await prisma();
  const invite = await db.invite.findUnique({ where: { tokenHash: sha256Hex(input.token) } });
  if (!invite || invite.acceptedAt || invite.expiresAt < new Date()) {
    throw new ValidationError([{ path: "token", message: "this invitation link is invalid, used or expired" }]);
  }
  const existing = await db.user.findUnique({ where: { email: invite.email } });
  if (existing && !(await verifyPassword(input.password, existing.passwordHash))) {
    throw new UnauthorizedError("An account with this email exists: enter its password to join");
  }
  const passwordHash = existing ? null : await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    // Claims the invitation atomically: a link works once even if submitted twice.
    const claimed = await tx.invite.updateMany({
      where: { id: invite.id, acceptedAt: null },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count !== 1) {
      throw new ValidationError([{ path: "token", message: "this invitation link is invalid, used or expired" }]);
    }
    const user =
      existing ?? (await tx.user.create({ data: { email: invite.email, name: input.name, passwordHash: passwordHash! } }));
    const member = await tx.member.upsert({
      where: { teamId_userId: { teamId: invite.teamId, userId: user.id } },
      create: { teamId: invite.teamId, userId: user.id, role: invite.role },
      update: {},
    });
    await recordAudit(
      tx,
      { teamId: invite.teamId, role: member.role, label: user.name, userId: user.id, tokenId: null },
      {
        action: "join",
        entityType: "member",
        entityId: member.id,
        entityLabel: user.email,
        after: { email: user.email, role: member.role },
      },
    );
    return { userId: user.id, teamId: invite.teamId, email: user.email };
  });
}
