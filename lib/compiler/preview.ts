// Preview links: a token <public key>.<expiry>.<signature> that turns on the runtime's
// preview panel for one environment until it expires. Signed so the dashboard can tell
// its own links; the runtime checks the key and the expiry (it cannot check a signature,
// and need not: preview only changes what that visitor's own page shows).
import crypto from "node:crypto";
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors";
import { recordAudit } from "../audit/record";

const HOURS = 4;

function sign(payload: string): string {
  const secret = process.env.NEXTAUTH_SECRET ?? "tagpipe-preview";
  return crypto.createHmac("sha256", secret).update(payload).digest("base64url").slice(0, 22);
}

export function previewToken(publicKey: string, expiresAt: Date): string {
  const payload = `${publicKey}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${payload}.${sign(payload)}`;
}

export function verifyPreviewToken(token: string, now = Date.now()): { publicKey: string } | null {
  const [key, exp, sig] = token.split(".");
  if (!key || !exp || !sig || sign(`${key}.${exp}`) !== sig || Number(exp) * 1000 < now) return null;
  return { publicKey: key };
}

export async function createPreviewLink(actor: Actor, environmentId: string) {
  const db = await prisma();
  const env = await db.environment.findFirst({ where: { id: environmentId, teamId: actor.teamId }, include: { container: { include: { site: true } } } });
  if (!env) throw new NotFoundError("Environment");
  const expiresAt = new Date(Date.now() + HOURS * 3600 * 1000);
  const token = previewToken(env.publicKey, expiresAt);
  // Who opened a preview, and when, belongs in the log like any other change of state.
  await db.$transaction((tx) =>
    recordAudit(tx, actor, { action: "preview", entityType: "environment", entityId: env.id, entityLabel: `${env.container.name} / ${env.name}`, after: { expiresAt } }),
  );
  const host = env.container.site.hostnames.find((h) => !h.startsWith("*.")) ?? env.container.site.hostnames[0]?.replace(/^\*\./, "www.");
  return { token, expiresAt, url: host ? `https://${host}/?tagpipe_preview=${encodeURIComponent(token)}` : null, published: !!env.versionId };
}
