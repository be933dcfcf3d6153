// A site's alert channels: signed webhooks and email. A webhook's signing secret is
// write-only: sealed at rest like destination secrets, never returned (responses say
// `secretSet`), never logged.
import { prisma } from "../../db";
import type { Actor } from "../../auth/actor";
import { recordAudit } from "../../audit/record";
import { open, seal } from "../../crypto/secret-box";
import { NotFoundError, ValidationError } from "../../errors";
import { uniquely } from "../../db-errors";
import { env } from "../../env";
import type { AlertChannelCreate, AlertChannelUpdate } from "../../schemas/alerts";
import type { AlertChannel } from "../../generated/prisma/client";
import { alertMessage, type AlertMessage } from "./message";
import { sendEmail, sendWebhook, type SendResult } from "./send";
import { webhookUrlProblem } from "../../http/outbound-url";

/**
 * A webhook URL as shown: its origin and first path segment. Chat webhooks carry their
 * credential in the rest of the path (Slack's /services/T…/B…/<token>) or the query, so
 * that part is as write-only as the signing secret.
 */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const segments = url.pathname.split("/").filter(Boolean);
    const hidden = segments.length > 1 || url.search !== "";
    return `${url.origin}${segments.length ? `/${segments[0]}` : ""}${hidden ? "/…" : ""}`;
  } catch {
    return "…";
  }
}

export function presentChannel(c: AlertChannel) {
  const { secret, url, ...rest } = c;
  return { ...rest, url: url ? maskUrl(url) : null, secretSet: !!secret };
}

function checkUrl(url: string | undefined) {
  if (url === undefined) return;
  const problem = webhookUrlProblem(url);
  if (problem) throw new ValidationError([{ path: "url", message: problem }]);
}

async function siteOf(actor: Actor, siteId: string) {
  const db = await prisma();
  const site = await db.site.findFirst({ where: { id: siteId, teamId: actor.teamId }, select: { id: true, name: true } });
  if (!site) throw new NotFoundError("Site");
  return site;
}

async function channelOf(actor: Actor, id: string) {
  const db = await prisma();
  const channel = await db.alertChannel.findFirst({ where: { id, teamId: actor.teamId } });
  if (!channel) throw new NotFoundError("Alert channel");
  return channel;
}

export async function listChannels(actor: Actor, siteId: string) {
  await siteOf(actor, siteId);
  const db = await prisma();
  const channels = await db.alertChannel.findMany({ where: { siteId, teamId: actor.teamId }, orderBy: { createdAt: "asc" } });
  return { data: channels.map(presentChannel) };
}

export async function getChannel(actor: Actor, id: string) {
  return presentChannel(await channelOf(actor, id));
}

const TAKEN = "A channel of this site already has this name";

export async function createChannel(actor: Actor, siteId: string, input: AlertChannelCreate) {
  const site = await siteOf(actor, siteId);
  if (input.kind === "webhook") checkUrl(input.url);
  const db = await prisma();
  return uniquely("name", TAKEN, () =>
    db.$transaction(async (tx) => {
      const channel = await tx.alertChannel.create({
        data: {
          teamId: actor.teamId,
          siteId,
          name: input.name,
          kind: input.kind,
          enabled: input.enabled,
          ...(input.kind === "webhook" ? { url: input.url, secret: seal(input.secret) } : { recipients: input.recipients }),
        },
      });
      const shown = presentChannel(channel);
      await recordAudit(tx, actor, { action: "create", entityType: "alert_channel", entityId: channel.id, entityLabel: `${channel.name} (${site.name})`, after: shown });
      return shown;
    }),
  );
}

export async function updateChannel(actor: Actor, id: string, input: AlertChannelUpdate) {
  const before = await channelOf(actor, id);
  if (before.kind === "webhook") {
    if (input.recipients !== undefined) throw new ValidationError([{ path: "recipients", message: "is for email channels; this one is a webhook" }]);
    checkUrl(input.url);
  } else if (input.url !== undefined || input.secret !== undefined) {
    throw new ValidationError([{ path: input.url !== undefined ? "url" : "secret", message: "is for webhook channels; this one sends email" }]);
  }
  const db = await prisma();
  return uniquely("name", TAKEN, () =>
    db.$transaction(async (tx) => {
      const channel = await tx.alertChannel.update({
        where: { id },
        data: {
          name: input.name,
          url: input.url,
          recipients: input.recipients,
          enabled: input.enabled,
          ...(input.secret !== undefined ? { secret: seal(input.secret) } : {}),
        },
      });
      const shown = presentChannel(channel);
      await recordAudit(tx, actor, {
        action: "update",
        entityType: "alert_channel",
        entityId: id,
        entityLabel: channel.name,
        before: presentChannel(before),
        after: { ...shown, ...(input.secret !== undefined ? { secretChanged: true } : {}) },
      });
      return shown;
    }),
  );
}

export async function deleteChannel(actor: Actor, id: string) {
  const before = await channelOf(actor, id);
  const db = await prisma();
  await db.$transaction(async (tx) => {
    await tx.alertChannel.delete({ where: { id } });
    await recordAudit(tx, actor, { action: "delete", entityType: "alert_channel", entityId: id, entityLabel: before.name, before: presentChannel(before) });
  });
}

/** Sends through one channel and remembers how it went (an excerpt of the answer). */
export async function deliverTo(channel: AlertChannel, message: AlertMessage): Promise<SendResult> {
  let result: SendResult;
  if (channel.kind === "webhook") {
    let secret: string | null = null;
    try {
      secret = channel.secret ? open(channel.secret) : null;
    } catch {
      secret = null;
    }
    result = secret && channel.url ? await sendWebhook(channel.url, secret, message) : { ok: false, response: "not sent: the channel's signing secret cannot be read (set it again)" };
  } else {
    result = await sendEmail(channel.recipients, message);
  }
  const db = await prisma();
  // updateMany: a channel removed while its message was in flight is no error.
  await db.alertChannel.updateMany({ where: { id: channel.id }, data: { lastSentAt: new Date(), lastOk: result.ok, lastResponse: result.response } });
  return result;
}

/** A test message through the channel, whether it is enabled or not; answers how it went. */
export async function testChannel(actor: Actor, id: string) {
  const channel = await channelOf(actor, id);
  const db = await prisma();
  const site = await db.site.findFirstOrThrow({ where: { id: channel.siteId, teamId: actor.teamId }, select: { id: true, name: true } });
  const result = await deliverTo(channel, alertMessage("test", site, null, env().NEXTAUTH_URL ?? null));
  await db.$transaction((tx) =>
    recordAudit(tx, actor, { action: "test", entityType: "alert_channel", entityId: id, entityLabel: channel.name, after: { ok: result.ok, response: result.response } }),
  );
  return { ok: result.ok, response: result.response };
}
