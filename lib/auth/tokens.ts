// API tokens: bearer secrets scoped to one team and one role. The secret is shown once;
// only its SHA-256 is stored, so a database leak does not leak working tokens.
import { database, prisma } from "../db";
import type { Actor } from "./actor";
import { recordAudit, type Tx } from "../audit/record";
import { NotFoundError } from "../errors";
import { randomSecret, sha256Hex } from "./secrets";
import type { TokenCreate } from "../schemas/resources";

export const TOKEN_PREFIX = "tpk_";

const publicFields = {
  id: true,
  name: true,
  role: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdBy: { select: { name: true } },
} as const;

export async function listTokens(actor: Actor) {
  const db = await prisma();
  return db.apiToken.findMany({ where: { teamId: actor.teamId }, select: publicFields, orderBy: { createdAt: "desc" } });
}

/**
 * The person an actor acts for: the signed-in user, or the person who created the API
 * token (a token created with a token inherits its creator). Null when that person's
 * account is gone.
 */
export async function actingUserId(tx: Tx, actor: Actor): Promise<string | null> {
  if (actor.userId) return actor.userId;
  if (!actor.tokenId) return null;
  const token = await tx.apiToken.findFirst({ where: { id: actor.tokenId, teamId: actor.teamId }, select: { createdById: true } });
  return token?.createdById ?? null;
}

/** Creates a token; the returned `secret` is the only time it is ever shown. */
export async function createToken(actor: Actor, input: TokenCreate) {
  const db = await prisma();
  const secret = `${TOKEN_PREFIX}${randomSecret(32)}`;
  const token = await db.$transaction(async (tx) => {
    const token = await tx.apiToken.create({
      data: {
        teamId: actor.teamId,
        name: input.name,
        role: input.role,
        tokenHash: sha256Hex(secret),
        prefix: secret.slice(0, 12),
        createdById: await actingUserId(tx, actor),
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      },
      select: publicFields,
    });
    await recordAudit(tx, actor, {
      action: "create",
      entityType: "api_token",
      entityId: token.id,
      entityLabel: token.name,
      after: { name: token.name, role: token.role, prefix: token.prefix, expiresAt: token.expiresAt },
    });
    return token;
  });
  return { ...token, secret };
}

export async function revokeToken(actor: Actor, id: string) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const before = await tx.apiToken.findFirst({ where: { id, teamId: actor.teamId, revokedAt: null } });
    if (!before) throw new NotFoundError("API token");
    const after = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, select: publicFields });
    await recordAudit(tx, actor, {
      action: "revoke",
      entityType: "api_token",
      entityId: id,
      entityLabel: before.name,
      before: { name: before.name, role: before.role, prefix: before.prefix },
    });
    return after;
  });
}

/** The actor behind a bearer secret, or null when it is unknown, revoked or expired. */
export async function authenticateToken(secret: string): Promise<Actor | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  // Plain SQL: every API call made with a token comes through here (the ORM's own work was
  // 1.5 ms a call, measured 2026-12-06). Times are UTC without a zone, as Prisma keeps them.
  const { sql } = await database();
  const [token] = await sql.query<{ id: string; teamId: string; role: Actor["role"]; name: string; stale: boolean }>(
    `SELECT id, "teamId", role::text AS role, name, ("lastUsedAt" IS NULL OR "lastUsedAt" < (now() AT TIME ZONE 'UTC') - interval '1 minute') AS stale
     FROM "ApiToken"
     WHERE "tokenHash" = $1 AND "revokedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" >= (now() AT TIME ZONE 'UTC'))`,
    [sha256Hex(secret)],
  );
  if (!token) return null;
  // Recorded at most once a minute: a busy integration should not write on every call.
  if (token.stale) await sql.query(`UPDATE "ApiToken" SET "lastUsedAt" = (now() AT TIME ZONE 'UTC') WHERE id = $1`, [token.id]);
  return { teamId: token.teamId, role: token.role, label: `token ${token.name}`, userId: null, tokenId: token.id };
}
