// Versions: freezing a valid draft into an immutable, numbered snapshot; publishing a
// version to an environment; rolling back (publishing an earlier one); the diff between
// any two versions or the draft.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit, type Tx } from "../audit/record";
import { DomainError, NotFoundError } from "../errors";
import { assertContainer } from "../config/draft-entities";
import { loadDraft, type Snapshot } from "./snapshot";
import { validateSnapshot, type Problem } from "./validate";
import { problemSentence } from "../schemas/field-rules";
import { diffSnapshots } from "./diff";
import { publishScript, warmRuntime } from "../compiler/publish-script";
import { loopbackOriginWarning } from "../api/origin";
import { afterCommit, announceConfigChange } from "../config/changes";
import type { Prisma } from "../generated/prisma/client";

/** The draft cannot become a version: every problem, by entity and field. */
export class DraftInvalidError extends DomainError {
  constructor(readonly problems: Problem[]) {
    super(
      422,
      "draft_invalid",
      `The draft has ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems
        .slice(0, 5)
        .map((p) => `${p.entityType} ${p.entityName}: ${problemSentence(p)}`)
        .join("; ")}${problems.length > 5 ? "; …" : ""}`,
      problems.map((p) => ({ path: `${p.entityType}s.${p.entityName}.${p.field}`, message: p.message })),
    );
  }
}

export async function getDraftWithProblems(actor: Actor, containerId: string) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    await assertContainer(tx, actor, containerId);
    const draft = await loadDraft(tx, containerId);
    return { draft, problems: validateSnapshot(draft) };
  });
}

export async function listVersions(actor: Actor, containerId: string) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    await assertContainer(tx, actor, containerId);
    return tx.version.findMany({
      where: { containerId },
      select: { id: true, number: true, note: true, authorLabel: true, authorId: true, createdAt: true, environments: { select: { id: true, name: true, kind: true } } },
      orderBy: { number: "desc" },
    });
  });
}

export async function getVersion(actor: Actor, id: string) {
  const db = await prisma();
  const version = await db.version.findFirst({ where: { id, teamId: actor.teamId } });
  if (!version) throw new NotFoundError("Version");
  return version;
}

export async function createVersion(actor: Actor, containerId: string, note: string) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const container = await assertContainer(tx, actor, containerId);
    // One version number at a time per container, even under concurrent requests.
    await tx.$queryRaw`SELECT id FROM "Container" WHERE id = ${containerId} FOR UPDATE`;
    const draft = await loadDraft(tx, containerId);
    const problems = validateSnapshot(draft);
    if (problems.length) throw new DraftInvalidError(problems);
    const last = await tx.version.findFirst({ where: { containerId }, orderBy: { number: "desc" }, select: { number: true } });
    const version = await tx.version.create({
      data: {
        teamId: actor.teamId,
        containerId,
        number: (last?.number ?? 0) + 1,
        note,
        authorLabel: actor.label,
        authorId: actor.userId,
        snapshot: draft as unknown as Prisma.InputJsonValue,
      },
    });
    await recordAudit(tx, actor, {
      action: "create",
      entityType: "version",
      entityId: version.id,
      entityLabel: `${container.name} v${version.number}`,
      after: { number: version.number, note },
    });
    return { id: version.id, number: version.number, note: version.note, authorLabel: version.authorLabel, createdAt: version.createdAt };
  });
}

/** "draft", "empty" (before the first version), a version id, or "env:<environment id>" (what is published there). */
async function resolveSide(tx: Tx, actor: Actor, containerId: string, ref: string): Promise<{ label: string; snapshot: Snapshot | null }> {
  if (ref === "draft") return { label: "draft", snapshot: await loadDraft(tx, containerId) };
  if (ref === "empty") return { label: "nothing", snapshot: null };
  if (ref.startsWith("env:")) {
    const env = await tx.environment.findFirst({ where: { id: ref.slice(4), containerId, teamId: actor.teamId }, include: { version: true } });
    if (!env) throw new NotFoundError("Environment");
    return { label: env.version ? `${env.name} (v${env.version.number})` : `${env.name} (nothing published)`, snapshot: (env.version?.snapshot as unknown as Snapshot) ?? null };
  }
  const version = await tx.version.findFirst({ where: { id: ref, containerId, teamId: actor.teamId } });
  if (!version) throw new NotFoundError("Version");
  return { label: `v${version.number}`, snapshot: version.snapshot as unknown as Snapshot };
}

/** The team's people by user id, to name the owners of items. */
export async function peopleNames(tx: Tx, actor: Actor): Promise<Map<string, string>> {
  const members = await tx.member.findMany({ where: { teamId: actor.teamId }, select: { user: { select: { id: true, name: true, email: true } } } });
  return new Map(members.map((m) => [m.user.id, m.user.name || m.user.email]));
}

export async function diffContainer(actor: Actor, containerId: string, from: string, to: string) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    await assertContainer(tx, actor, containerId);
    const a = await resolveSide(tx, actor, containerId, from);
    const b = await resolveSide(tx, actor, containerId, to);
    return { from: a.label, to: b.label, changes: diffSnapshots(a.snapshot, b.snapshot, await peopleNames(tx, actor)) };
  });
}

/** Publishing straight to production is refused while the team requires approval. */
export class ApprovalRequiredError extends DomainError {
  constructor(environment: string) {
    super(
      409,
      "approval_required",
      `Publishing to ${environment} needs an approved request in this team: ask for approval (POST /api/v1/containers/{id}/publish-requests), and another publisher or owner approves it`,
      [{ path: "environmentId", message: `${environment} needs an approved publish request` }],
    );
  }
}

/**
 * Publishes a version to an environment. Publishing a version older than the one live
 * there is a rollback, and is recorded as one. Where the team requires approval for
 * production, only an approved request (`approval`, from lib/versions/approvals.ts) or a
 * rollback to a version production already served may publish there: going back must not
 * wait for a second pair of eyes, and it brings back only what was once approved.
 */
export async function publishVersion(actor: Actor, versionId: string, environmentId: string, note: string, origin: string, approval?: (tx: Tx) => Promise<void>) {
  const db = await prisma();
  const found = await db.version.findFirst({ where: { id: versionId, teamId: actor.teamId }, select: { snapshot: true } });
  if (found) await warmRuntime(found.snapshot as unknown as Snapshot);
  return afterCommit(() => db.$transaction(async (tx) => {
    const version = await tx.version.findFirst({ where: { id: versionId, teamId: actor.teamId }, include: { container: true } });
    if (!version) throw new NotFoundError("Version");
    const env = await tx.environment.findFirst({ where: { id: environmentId, teamId: actor.teamId }, include: { version: true } });
    if (!env || env.containerId !== version.containerId) throw new NotFoundError("Environment");
    const rollback = env.version !== null && env.version.number > version.number;
    if (approval) await approval(tx);
    else if (env.kind === "production" && (await tx.team.findUniqueOrThrow({ where: { id: actor.teamId } })).productionNeedsApproval) {
      const servedBefore = rollback && (await tx.publication.count({ where: { environmentId: env.id, versionId: version.id } })) > 0;
      if (!servedBefore) throw new ApprovalRequiredError(env.name);
    }
    await tx.environment.update({ where: { id: env.id }, data: { versionId: version.id, publishedAt: new Date() } });
    // Compiled once, here, not per request: the environment serves this script from now on.
    const script = await publishScript(tx, env.id, origin);
    const publication = await tx.publication.create({
      data: { teamId: actor.teamId, environmentId: env.id, versionId: version.id, actorLabel: actor.label, note, rollback },
    });
    await recordAudit(tx, actor, {
      action: rollback ? "rollback" : "publish",
      entityType: "environment",
      entityId: env.id,
      entityLabel: `${version.container.name} / ${env.name}`,
      before: { version: env.version?.number ?? null },
      after: { version: version.number, note },
    });
    await announceConfigChange(tx);
    // Said in the answer too, for API clients: the dashboard warns before the publish.
    const warning = env.kind === "production" ? loopbackOriginWarning(origin) : null;
    return { environmentId: env.id, environment: env.name, version: version.number, rollback, publishedAt: publication.createdAt, script, ...(warning ? { warning } : {}) };
  }));
}

export async function environmentHistory(actor: Actor, environmentId: string) {
  const db = await prisma();
  const env = await db.environment.findFirst({ where: { id: environmentId, teamId: actor.teamId } });
  if (!env) throw new NotFoundError("Environment");
  const rows = await db.publication.findMany({
    where: { environmentId },
    include: { version: { select: { id: true, number: true, note: true } } },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  return rows.map((r) => ({ id: r.id, version: r.version, actorLabel: r.actorLabel, note: r.note, rollback: r.rollback, createdAt: r.createdAt }));
}
