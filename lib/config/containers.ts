// Containers: one per site. Created with the site; recreated here if it was deleted.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { ConflictError, NotFoundError } from "../errors";
import type { ContainerCreate, ContainerUpdate } from "../schemas/resources";
import { isUniqueViolation } from "../db-errors";
import { STANDARD_ENVIRONMENTS } from "./sites";
import { newPublicKey } from "./environments";
import { afterCommit, announceConfigChange } from "./changes";
import { containerDataKeys, purgeData } from "./purge";

const withEnvironments = {
  environments: { orderBy: [{ kind: "asc" as const }, { createdAt: "asc" as const }], omit: { serverKeyHash: true }, include: { version: { select: { number: true } } } },
  site: { select: { name: true } },
};

export async function listContainers(actor: Actor) {
  const db = await prisma();
  return db.container.findMany({ where: { teamId: actor.teamId }, orderBy: { name: "asc" }, include: withEnvironments });
}

export async function getContainer(actor: Actor, id: string) {
  const db = await prisma();
  const container = await db.container.findFirst({ where: { id, teamId: actor.teamId }, include: withEnvironments });
  if (!container) throw new NotFoundError("Container");
  return container;
}

export async function createContainer(actor: Actor, input: ContainerCreate) {
  const db = await prisma();
  try {
    const id = await db.$transaction(async (tx) => {
      const site = await tx.site.findFirst({ where: { id: input.siteId, teamId: actor.teamId } });
      if (!site) throw new NotFoundError("Site");
      const container = await tx.container.create({
        data: {
          teamId: actor.teamId,
          siteId: site.id,
          name: input.name,
          environments: {
            create: STANDARD_ENVIRONMENTS.map((e) => ({ teamId: actor.teamId, ...e, publicKey: newPublicKey() })),
          },
        },
      });
      await recordAudit(tx, actor, {
        action: "create",
        entityType: "container",
        entityId: container.id,
        entityLabel: container.name,
        after: { name: container.name, siteId: site.id },
      });
      return container.id;
    });
    return getContainer(actor, id);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError("This site already has a container", [{ path: "siteId", message: "already has a container" }]);
    }
    throw error;
  }
}

export async function updateContainer(actor: Actor, id: string, input: ContainerUpdate) {
  const db = await prisma();
  await db.$transaction(async (tx) => {
    const before = await tx.container.findFirst({ where: { id, teamId: actor.teamId } });
    if (!before) throw new NotFoundError("Container");
    const after = await tx.container.update({ where: { id }, data: input });
    await recordAudit(tx, actor, {
      action: "update",
      entityType: "container",
      entityId: id,
      entityLabel: after.name,
      before: { name: before.name },
      after: { name: after.name },
    });
  });
  return getContainer(actor, id);
}

/**
 * Deletes a container with its environments, and their collected events and deliveries
 * (lib/config/purge.ts): the bulk first, in batches, while the container exists; what
 * arrived meanwhile after its row is gone (as deleteSite).
 */
export async function deleteContainer(actor: Actor, id: string): Promise<void> {
  const db = await prisma();
  const keys = await containerDataKeys(actor.teamId, id);
  if (!keys) throw new NotFoundError("Container");
  await purgeData(keys);
  await afterCommit(() => db.$transaction(async (tx) => {
    const before = await tx.container.findFirst({ where: { id, teamId: actor.teamId }, include: { environments: true } });
    if (!before) throw new NotFoundError("Container");
    await tx.container.delete({ where: { id } });
    await announceConfigChange(tx);
    await recordAudit(tx, actor, {
      action: "delete",
      entityType: "container",
      entityId: id,
      entityLabel: before.name,
      before: { name: before.name, siteId: before.siteId, environments: before.environments.map((e) => e.name) },
    });
  }));
  await purgeData(keys);
}
