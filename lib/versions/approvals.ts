// Approvals: where a team requires it, a version reaches production only through a
// publish request — asked by an editor or publisher with a note, decided by another
// publisher or owner with a comment. Approving publishes (in the same transaction as the
// decision); every step is audited, and the people concerned are told in the dashboard
// and through the site's alert channels.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit, type Tx } from "../audit/record";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { assertContainer } from "../config/draft-entities";
import { publishVersion } from "./versions";
import { notify, notifyChannels } from "../team/notifications";

const include = {
  version: { select: { id: true, number: true, note: true } },
  environment: { select: { id: true, name: true, kind: true } },
  container: { select: { id: true, name: true, siteId: true } },
} as const;

type Row = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

function findRequest(tx: Tx, actor: Actor, id: string) {
  return tx.publishRequest.findFirst({ where: { id, teamId: actor.teamId }, include });
}

export function presentRequest(r: Row) {
  return {
    id: r.id,
    containerId: r.containerId,
    status: r.status,
    version: r.version,
    environment: r.environment,
    note: r.note,
    requesterLabel: r.requesterLabel,
    requesterUserId: r.requesterUserId,
    requesterTokenId: r.requesterTokenId,
    deciderLabel: r.deciderLabel,
    comment: r.comment,
    decidedAt: r.decidedAt,
    createdAt: r.createdAt,
  };
}
export type PublishRequestView = ReturnType<typeof presentRequest>;

/** Whether `actor` asked for this publish (a person, or the same API token). */
export function isRequester(actor: Actor, r: { requesterUserId: string | null; requesterTokenId: string | null }): boolean {
  return actor.tokenId ? r.requesterTokenId === actor.tokenId : actor.userId !== null && r.requesterUserId === actor.userId;
}

const requestsHref = (r: { id: string; containerId: string }) => `/containers/${r.containerId}/versions?request=${r.id}#diff`;

export async function listPublishRequests(actor: Actor, containerId: string) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    await assertContainer(tx, actor, containerId);
    const rows = await tx.publishRequest.findMany({ where: { containerId, teamId: actor.teamId }, include, orderBy: { createdAt: "desc" }, take: 50 });
    return rows.map(presentRequest);
  });
}

export async function getPublishRequest(actor: Actor, id: string) {
  const db = await prisma();
  const row = await findRequest(db as unknown as Tx, actor, id);
  if (!row) throw new NotFoundError("Publish request");
  return presentRequest(row);
}

/** Asks for `versionId` to be published to a production environment of its container. */
export async function requestPublish(actor: Actor, containerId: string, input: { versionId: string; environmentId: string; note: string }) {
  const db = await prisma();
  const { row, message } = await db.$transaction(async (tx) => {
    const container = await assertContainer(tx, actor, containerId);
    const version = await tx.version.findFirst({ where: { id: input.versionId, containerId, teamId: actor.teamId } });
    if (!version) throw new ValidationError([{ path: "versionId", message: "is not a version of this container" }]);
    const env = await tx.environment.findFirst({ where: { id: input.environmentId, containerId, teamId: actor.teamId } });
    if (!env) throw new ValidationError([{ path: "environmentId", message: "is not an environment of this container" }]);
    if (env.kind !== "production") throw new ValidationError([{ path: "environmentId", message: `${env.name} is not production: publish to it directly, no approval needed` }]);
    if (env.versionId === version.id) throw new ValidationError([{ path: "versionId", message: `v${version.number} is already live in ${env.name}` }]);
    const open = await tx.publishRequest.findFirst({ where: { environmentId: env.id, versionId: version.id, status: "pending" } });
    if (open) throw new ConflictError(`v${version.number} already waits for approval to ${env.name} (asked by ${open.requesterLabel})`, [{ path: "versionId", message: "already has a pending request" }]);
    const created = await tx.publishRequest.create({
      data: {
        teamId: actor.teamId,
        containerId,
        versionId: version.id,
        environmentId: env.id,
        note: input.note,
        requesterUserId: actor.userId,
        requesterTokenId: actor.tokenId,
        requesterLabel: actor.label,
      },
    });
    await recordAudit(tx, actor, {
      action: "request_publish",
      entityType: "publish_request",
      entityId: created.id,
      entityLabel: `${container.name} / ${env.name}`,
      after: { version: version.number, environment: env.name, note: input.note },
    });
    const deciders = await tx.member.findMany({ where: { teamId: actor.teamId, role: { in: ["owner", "publisher"] }, ...(actor.userId ? { userId: { not: actor.userId } } : {}) }, select: { userId: true } });
    const message = `${actor.label} asks to publish ${container.name} v${version.number} to ${env.name}${input.note ? `: “${input.note}”` : ""}`;
    await notify(tx, actor.teamId, deciders.map((d) => d.userId), message, requestsHref(created));
    return { row: (await findRequest(tx, actor, created.id))!, message };
  });
  await notifyChannels(actor.teamId, row.container.siteId, "publish.requested", message, requestsHref(row));
  return presentRequest(row);
}

export type Decision = "approve" | "reject";

/**
 * Approves (publishes) or rejects a pending request. Not the requester's to decide: a
 * second pair of eyes is the point. A rejection says why.
 */
export async function decidePublishRequest(actor: Actor, id: string, decision: Decision, comment: string, origin: string) {
  const db = await prisma();
  const found = await findRequest(db as unknown as Tx, actor, id);
  if (!found) throw new NotFoundError("Publish request");
  if (isRequester(actor, found)) throw new ForbiddenError("You asked for this publish: another publisher or owner decides it");
  if (found.status !== "pending") throw new ConflictError(`This request was already ${found.status}${found.deciderLabel ? ` by ${found.deciderLabel}` : ""}`);
  if (decision === "reject" && !comment) throw new ValidationError([{ path: "comment", message: "say why it is rejected, so the requester can fix it" }]);

  const label = `${found.container.name} / ${found.environment.name}`;
  // The decision is taken once, whoever comes second finds it decided.
  const decide = async (tx: Tx) => {
    const { count } = await tx.publishRequest.updateMany({
      where: { id, status: "pending" },
      data: { status: decision === "approve" ? "approved" : "rejected", deciderLabel: actor.label, comment, decidedAt: new Date() },
    });
    if (count !== 1) throw new ConflictError("This request was decided by someone else meanwhile");
    await recordAudit(tx, actor, {
      action: decision,
      entityType: "publish_request",
      entityId: id,
      entityLabel: label,
      before: { status: "pending" },
      after: { version: found.version.number, environment: found.environment.name, comment },
    });
    const verb = decision === "approve" ? "approved and published" : "rejected";
    const message = `${actor.label} ${verb} ${found.container.name} v${found.version.number} to ${found.environment.name}${comment ? `: “${comment}”` : ""}`;
    if (found.requesterUserId) await notify(tx, actor.teamId, [found.requesterUserId], message, requestsHref(found));
    return message;
  };

  let message = "";
  let published: Awaited<ReturnType<typeof publishVersion>> | null = null;
  if (decision === "approve") {
    const note = found.note ? `${found.note} (approved by ${actor.label})` : `Approved by ${actor.label}`;
    published = await publishVersion(actor, found.versionId, found.environmentId, note, origin, async (tx) => {
      message = await decide(tx);
    });
  } else {
    message = await db.$transaction(decide);
  }
  await notifyChannels(actor.teamId, found.container.siteId, decision === "approve" ? "publish.approved" : "publish.rejected", message, requestsHref(found));
  return { ...(await getPublishRequest(actor, id)), ...(published ? { publication: published } : {}) };
}
