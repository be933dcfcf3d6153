// The entities of a container's draft that share one shape — triggers, variables and
// destinations: a name unique in the container, a description, an owner, a validated
// `definition`, and a revision that makes stale edits fail instead of overwriting.
import type { Prisma } from "../generated/prisma/client";
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit, type Tx } from "../audit/record";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { uniquely } from "../db-errors";
import { open, seal } from "../crypto/secret-box";
import { PLATFORM_FIELDS, type DestinationPlatform } from "../schemas/config";
import { assertDestinationUrl, assertReferences, draftReferences } from "./references";

export type DraftKind = "trigger" | "variable" | "destination";

export type DraftRow = {
  id: string;
  teamId: string;
  containerId: string;
  name: string;
  description: string;
  ownerId: string | null;
  definition: Prisma.JsonValue;
  revision: number;
  secrets?: string | null;
  createdAt: Date;
  updatedAt: Date;
};

// The three Prisma delegates have the same shape for what we use; one narrow interface
// lets one implementation serve them all.
type Delegate = {
  findMany(args: object): Promise<DraftRow[]>;
  findFirst(args: object): Promise<DraftRow | null>;
  create(args: object): Promise<DraftRow>;
  updateMany(args: object): Promise<{ count: number }>;
  findUniqueOrThrow(args: object): Promise<DraftRow>;
  delete(args: object): Promise<DraftRow>;
};

function delegate(tx: Tx, kind: DraftKind): Delegate {
  const delegates = { trigger: tx.trigger, variable: tx.variable, destination: tx.destination };
  return delegates[kind] as unknown as Delegate;
}

const LABEL: Record<DraftKind, string> = { trigger: "Trigger", variable: "Variable", destination: "Destination" };

export type DraftInput = {
  name: string;
  description: string;
  ownerId: string | null;
  definition: object;
  secrets?: Record<string, string | null>;
};

export type DraftPatch = {
  revision: number;
  name?: string;
  description?: string;
  ownerId?: string | null;
  definition?: object;
  secrets?: Record<string, string | null>;
};

/** What the API shows of an entity: never a secret, only which secrets are set. */
export function presentDraft(row: DraftRow) {
  const { secrets, teamId: _teamId, ...rest } = row;
  void _teamId;
  return secrets === undefined ? rest : { ...rest, secretsSet: secretKeys(secrets) };
}

export function secretKeys(sealed: string | null | undefined): string[] {
  if (!sealed) return [];
  return Object.keys(JSON.parse(open(sealed)) as Record<string, string>).sort();
}

/** Reads a destination's secrets (for the forwarder; never for an API response). */
export function readSecrets(row: { secrets: string | null }): Record<string, string> {
  return row.secrets ? (JSON.parse(open(row.secrets)) as Record<string, string>) : {};
}

function mergeSecrets(platform: DestinationPlatform, current: string | null | undefined, changes: Record<string, string | null>): string | null {
  const allowed = new Set(PLATFORM_FIELDS[platform].secrets.map((s) => s.key));
  const unknown = Object.keys(changes).filter((k) => !allowed.has(k));
  if (unknown.length) {
    throw new ValidationError(unknown.map((k) => ({ path: `secrets.${k}`, message: `is not a secret of ${platform} (expected: ${[...allowed].join(", ") || "none"})` })));
  }
  const merged: Record<string, string> = current ? (JSON.parse(open(current)) as Record<string, string>) : {};
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v.trim() === "") delete merged[k];
    else merged[k] = v.trim();
  }
  return Object.keys(merged).length ? seal(JSON.stringify(merged)) : null;
}

export async function assertContainer(tx: Tx, actor: Actor, containerId: string) {
  const container = await tx.container.findFirst({ where: { id: containerId, teamId: actor.teamId } });
  if (!container) throw new NotFoundError("Container");
  return container;
}

/** The owner must be a member of the team. */
export async function assertOwner(tx: Tx, actor: Actor, ownerId: string | null | undefined) {
  if (!ownerId) return;
  const member = await tx.member.findFirst({ where: { teamId: actor.teamId, userId: ownerId } });
  if (!member) throw new ValidationError([{ path: "ownerId", message: "is not a member of this team" }]);
}

export async function listDraft(actor: Actor, kind: DraftKind, containerId: string) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    await assertContainer(tx, actor, containerId);
    const rows = await delegate(tx, kind).findMany({ where: { containerId, teamId: actor.teamId }, orderBy: { name: "asc" } });
    return rows.map(presentDraft);
  });
}

export async function getDraft(actor: Actor, kind: DraftKind, id: string) {
  const db = await prisma();
  const row = await delegate(db as unknown as Tx, kind).findFirst({ where: { id, teamId: actor.teamId } });
  if (!row) throw new NotFoundError(LABEL[kind]);
  return presentDraft(row);
}

function snapshot(row: DraftRow) {
  return { name: row.name, description: row.description, ownerId: row.ownerId, definition: row.definition, ...(row.secrets !== undefined ? { secretsSet: secretKeys(row.secrets) } : {}) };
}

export async function createDraft(actor: Actor, kind: DraftKind, containerId: string, input: DraftInput) {
  const db = await prisma();
  return uniquely("name", `This container already has a ${kind} with this name`, () =>
    db.$transaction(async (tx) => {
      const container = await assertContainer(tx, actor, containerId);
      await assertOwner(tx, actor, input.ownerId);
      assertDestinationUrl(kind, input.definition as Record<string, unknown>);
      await assertReferences(tx, actor.teamId, containerId, draftReferences(kind, input.definition as Record<string, unknown>));
      const secrets = kind === "destination" ? mergeSecrets((input.definition as { platform: DestinationPlatform }).platform, null, input.secrets ?? {}) : undefined;
      const row = await delegate(tx, kind).create({
        data: {
          teamId: actor.teamId,
          containerId,
          name: input.name,
          description: input.description,
          ownerId: input.ownerId,
          definition: input.definition,
          ...(kind === "destination" ? { secrets } : {}),
        },
      });
      await recordAudit(tx, actor, { action: "create", entityType: kind, entityId: row.id, entityLabel: `${container.name} / ${row.name}`, after: snapshot(row) });
      return presentDraft(row);
    }),
  );
}

export async function updateDraft(actor: Actor, kind: DraftKind, id: string, patch: DraftPatch) {
  const db = await prisma();
  return uniquely("name", `This container already has a ${kind} with this name`, () =>
    db.$transaction(async (tx) => {
      const d = delegate(tx, kind);
      const before = await d.findFirst({ where: { id, teamId: actor.teamId } });
      if (!before) throw new NotFoundError(LABEL[kind]);
      await assertOwner(tx, actor, patch.ownerId);
      if (patch.definition) {
        assertDestinationUrl(kind, patch.definition as Record<string, unknown>);
        await assertReferences(tx, actor.teamId, before.containerId, draftReferences(kind, patch.definition as Record<string, unknown>));
      }
      const definition = (patch.definition ?? before.definition) as { platform?: DestinationPlatform };
      if (kind === "destination" && patch.definition && definition.platform !== (before.definition as { platform: string }).platform && before.secrets && !patch.secrets) {
        throw new ValidationError([{ path: "definition.platform", message: "changing the platform needs new secrets: send secrets too" }]);
      }
      const secrets =
        kind === "destination" && patch.secrets
          ? mergeSecrets(definition.platform!, definition.platform === (before.definition as { platform: string }).platform ? before.secrets : null, patch.secrets)
          : undefined;
      // Compare-and-set on the revision: the edit applies only to the version it was based on.
      const { count } = await d.updateMany({
        where: { id, revision: patch.revision },
        data: {
          name: patch.name,
          description: patch.description,
          ownerId: patch.ownerId,
          definition: patch.definition,
          ...(secrets !== undefined ? { secrets } : {}),
          revision: { increment: 1 },
        },
      });
      if (count !== 1) throw staleEdit(kind, before);
      const after = await d.findUniqueOrThrow({ where: { id } });
      const container = await tx.container.findUniqueOrThrow({ where: { id: after.containerId } });
      await recordAudit(tx, actor, {
        action: "update",
        entityType: kind,
        entityId: id,
        entityLabel: `${container.name} / ${after.name}`,
        before: snapshot(before),
        // Which secrets were written, never their values: the log says "replaced".
        after: { ...snapshot(after), ...(patch.secrets ? { secretsWritten: Object.keys(patch.secrets).filter((k) => patch.secrets![k]?.trim()) } : {}) },
      });
      return presentDraft(after);
    }),
  );
}

export function staleEdit(kind: string, current: { revision: number; updatedAt: Date }) {
  return new ConflictError(
    `This ${kind} was changed by someone else since you loaded it (now at revision ${current.revision}, ${current.updatedAt.toISOString()}): reload it and apply your change again`,
    [{ path: "revision", message: `is stale: the current revision is ${current.revision}` }],
  );
}

export async function deleteDraft(actor: Actor, kind: DraftKind, id: string) {
  const db = await prisma();
  await db.$transaction(async (tx) => {
    const row = await delegate(tx, kind).findFirst({ where: { id, teamId: actor.teamId } });
    if (!row) throw new NotFoundError(LABEL[kind]);
    const users = await referencesTo(tx, row.containerId, kind, id);
    if (users.length) {
      throw new ConflictError(`${LABEL[kind]} ${row.name} is still used by ${users.join(", ")}: remove those uses first`);
    }
    await delegate(tx, kind).delete({ where: { id } });
    const container = await tx.container.findUniqueOrThrow({ where: { id: row.containerId } });
    await recordAudit(tx, actor, { action: "delete", entityType: kind, entityId: id, entityLabel: `${container.name} / ${row.name}`, before: snapshot(row) });
  });
}

/** Names of the draft entities that refer to entity `id`, for a refusal that says which. */
async function referencesTo(tx: Tx, containerId: string, kind: DraftKind, id: string): Promise<string[]> {
  const uses: string[] = [];
  const events = await tx.containerEvent.findMany({ where: { containerId }, include: { planEvent: { select: { name: true } } } });
  for (const e of events) {
    const def = e.definition as { triggerIds?: string[]; mappings?: Record<string, string> };
    if (kind === "trigger" && def.triggerIds?.includes(id)) uses.push(`event ${e.planEvent.name}`);
    if (kind === "variable" && Object.values(def.mappings ?? {}).includes(id)) uses.push(`event ${e.planEvent.name}`);
  }
  if (kind === "trigger") {
    for (const t of await tx.trigger.findMany({ where: { containerId } })) {
      const def = t.definition as { blockingTriggerIds?: string[] };
      if (t.id !== id && def.blockingTriggerIds?.includes(id)) uses.push(`trigger ${t.name} (as a blocking trigger)`);
    }
  }
  if (kind === "variable") {
    for (const t of await tx.trigger.findMany({ where: { containerId } })) {
      const def = t.definition as { conditions?: { source: string; key?: string }[] };
      if (def.conditions?.some((c) => c.source === "variable" && c.key === id)) uses.push(`trigger ${t.name}`);
    }
    for (const v of await tx.variable.findMany({ where: { containerId } })) {
      if (v.id !== id && (v.definition as { inputVariableId?: string }).inputVariableId === id) uses.push(`variable ${v.name}`);
    }
  }
  return uses;
}
