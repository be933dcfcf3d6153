// What a person should know in the dashboard (a publish request to decide, the decision
// on their own), and the same news through the site's alert channels (lib/health/channels)
// where the team has set them up.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import type { Tx } from "../audit/record";
import { env } from "../env";
import { deliverTo } from "../health/channels/channels";
import { publishMessage, type PublishMessageKind } from "../health/channels/message";

export async function notify(tx: Tx, teamId: string, userIds: string[], message: string, href: string): Promise<void> {
  if (userIds.length === 0) return;
  await tx.notification.createMany({ data: userIds.map((userId) => ({ teamId, userId, message, href })) });
}

/** A person's notifications, newest first, and how many are unread. Tokens have none. */
export async function listNotifications(actor: Actor) {
  if (!actor.userId) return { data: [], unread: 0 };
  const db = await prisma();
  const where = { teamId: actor.teamId, userId: actor.userId };
  const [data, unread] = await Promise.all([
    db.notification.findMany({ where, orderBy: { createdAt: "desc" }, take: 50, select: { id: true, message: true, href: true, readAt: true, createdAt: true } }),
    db.notification.count({ where: { ...where, readAt: null } }),
  ]);
  return { data, unread };
}

export async function unreadNotifications(actor: Actor): Promise<number> {
  if (!actor.userId) return 0;
  const db = await prisma();
  return db.notification.count({ where: { teamId: actor.teamId, userId: actor.userId, readAt: null } });
}

/** Marks the given notifications (or all of them) read; answers how many changed. */
export async function markNotificationsRead(actor: Actor, ids: string[] | undefined) {
  if (!actor.userId) return { read: 0 };
  const db = await prisma();
  const { count } = await db.notification.updateMany({
    where: { teamId: actor.teamId, userId: actor.userId, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
    data: { readAt: new Date() },
  });
  return { read: count };
}

/**
 * Sends `text` through the site's enabled alert channels. After the change is committed,
 * and never failing it: a channel that is down is recorded on the channel (lastOk), as
 * for alerts.
 */
export async function notifyChannels(teamId: string, siteId: string, type: PublishMessageKind, text: string, href: string): Promise<void> {
  const db = await prisma();
  const [site, channels] = await Promise.all([
    db.site.findFirst({ where: { id: siteId, teamId }, select: { id: true, name: true } }),
    db.alertChannel.findMany({ where: { siteId, teamId, enabled: true }, orderBy: { createdAt: "asc" } }),
  ]);
  if (!site || channels.length === 0) return;
  const base = env().NEXTAUTH_URL?.replace(/\/$/, "");
  const message = publishMessage(type, site, text, base ? `${base}${href}` : null);
  await Promise.all(channels.map((c) => deliverTo(c, message).catch(() => null)));
}
