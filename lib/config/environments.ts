// Environments of a container. Each has an unguessable public key (144 random bits) that
// names its container script URL; rotating the key retires the old URL.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import type { EnvironmentCreate, EnvironmentUpdate } from "../schemas/resources";
import { uniquely } from "../db-errors";
import { randomSecret, sha256Hex } from "../auth/secrets";
import { publishScript } from "../compiler/publish-script";
import { afterCommit, announceConfigChange } from "./changes";
import { environmentDataKeys, purgeData } from "./purge";

/** What the API shows of an environment: never the server key's hash. */
export function presentEnvironment<T extends { serverKeyHash?: string | null }>(env: T) {
  const { serverKeyHash, ...rest } = env;
  return { ...rest, hasServerKey: !!serverKeyHash };
}

export function newPublicKey(): string {
  return `tp_${randomSecret(18)}`;
}

const TAKEN = "This container already has an environment with this name";

export async function listEnvironments(actor: Actor, containerId: string) {
  const db = await prisma();
  const container = await db.container.findFirst({ where: { id: containerId, teamId: actor.teamId }, select: { id: true } });
  if (!container) throw new NotFoundError("Container");
  const rows = await db.environment.findMany({ where: { containerId, teamId: actor.teamId }, orderBy: [{ kind: "asc" }, { createdAt: "asc" }] });
  return rows.map(presentEnvironment);
}

export async function getEnvironment(actor: Actor, id: string) {
  const db = await prisma();
  const environment = await db.environment.findFirst({ where: { id, teamId: actor.teamId } });
  if (!environment) throw new NotFoundError("Environment");
  return presentEnvironment(environment);
}

export async function createEnvironment(actor: Actor, containerId: string, input: EnvironmentCreate) {
  const db = await prisma();
  return uniquely("name", TAKEN, () =>
    db.$transaction(async (tx) => {
      const container = await tx.container.findFirst({ where: { id: containerId, teamId: actor.teamId } });
      if (!container) throw new NotFoundError("Container");
      if (input.kind === "production") {
        const existing = await tx.environment.count({ where: { containerId, kind: "production" } });
        if (existing > 0) {
          throw new ValidationError([{ path: "kind", message: "a container has exactly one production environment" }]);
        }
      }
      const environment = await tx.environment.create({
        data: { teamId: actor.teamId, containerId, name: input.name, kind: input.kind, publicKey: newPublicKey() },
      });
      await recordAudit(tx, actor, {
        action: "create",
        entityType: "environment",
        entityId: environment.id,
        entityLabel: `${container.name} / ${environment.name}`,
        after: { name: environment.name, kind: environment.kind },
      });
      return presentEnvironment(environment);
    }),
  );
}

export async function updateEnvironment(actor: Actor, id: string, input: EnvironmentUpdate, origin: string) {
  const db = await prisma();
  return uniquely("name", TAKEN, () => afterCommit(() =>
    db.$transaction(async (tx) => {
      const before = await tx.environment.findFirst({ where: { id, teamId: actor.teamId }, include: { container: true } });
      if (!before) throw new NotFoundError("Environment");
      if (input.name && input.name !== before.name && before.kind !== "custom") {
        throw new ValidationError([{ path: "name", message: `the ${before.kind} environment cannot be renamed` }]);
      }
      const serverKey = input.rotateServerKey ? `tps_${randomSecret(32)}` : null;
      const after = await tx.environment.update({
        where: { id },
        data: {
          name: input.name,
          ...(input.rotateKey ? { publicKey: newPublicKey() } : {}),
          ...(serverKey ? { serverKeyHash: sha256Hex(serverKey), serverKeyPrefix: serverKey.slice(0, 10) } : {}),
        },
      });
      await recordAudit(tx, actor, {
        action: input.rotateKey || input.rotateServerKey ? "rotate_key" : "update",
        entityType: "environment",
        entityId: id,
        entityLabel: `${before.container.name} / ${after.name}`,
        // The public key is not a secret, but the log only needs to say that it changed.
        before: { name: before.name, kind: before.kind },
        after: { name: after.name, kind: after.kind, ...(input.rotateKey ? { keyRotated: true } : {}), ...(serverKey ? { serverKeyRotated: true } : {}) },
      });
      // The public key is inside the compiled script: a new key needs a new script.
      if (input.rotateKey) await publishScript(tx, id, origin);
      await announceConfigChange(tx);
      // The server key is shown in this answer only; its hash is never shown.
      return { ...presentEnvironment(after), ...(serverKey ? { serverKey } : {}) };
    }),
  ));
}

/** Deletes a non-production environment, and its collected events with their deliveries (as deleteSite). */
export async function deleteEnvironment(actor: Actor, id: string): Promise<void> {
  const db = await prisma();
  const found = await db.environment.findFirst({ where: { id, teamId: actor.teamId }, select: { kind: true } });
  if (!found) throw new NotFoundError("Environment");
  if (found.kind === "production") throw new ConflictError("The production environment cannot be deleted");
  const keys = await environmentDataKeys(actor.teamId, id);
  if (keys) await purgeData(keys);
  await afterCommit(() => db.$transaction(async (tx) => {
    const before = await tx.environment.findFirst({ where: { id, teamId: actor.teamId }, include: { container: true } });
    if (!before) throw new NotFoundError("Environment");
    await tx.environment.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "delete",
      entityType: "environment",
      entityId: id,
      entityLabel: `${before.container.name} / ${before.name}`,
      before: { name: before.name, kind: before.kind },
    });
    await announceConfigChange(tx);
  }));
  if (keys) await purgeData(keys);
}
