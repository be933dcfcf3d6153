// A plan event in use in a container: its triggers, its parameter mappings and any
// platform-name overrides for this site.
import type { z } from "zod";
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { ConflictError, NotFoundError } from "../errors";
import { isUniqueViolation } from "../db-errors";
import { assertContainer, assertOwner, staleEdit } from "./draft-entities";
import { assertReferences, eventReferences } from "./references";
import type { containerEventCreate, containerEventUpdate } from "../schemas/config";

const include = { planEvent: true } as const;

type Row = { id: string; containerId: string; planEventId: string; description: string; ownerId: string | null; definition: unknown; revision: number; createdAt: Date; updatedAt: Date; planEvent: { name: string } };

export function presentEvent(row: Row) {
  return { ...row, name: row.planEvent.name };
}

function snapshot(row: Row) {
  return { event: row.planEvent.name, description: row.description, ownerId: row.ownerId, definition: row.definition };
}

export async function listContainerEvents(actor: Actor, containerId: string) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    await assertContainer(tx, actor, containerId);
    const rows = await tx.containerEvent.findMany({ where: { containerId, teamId: actor.teamId }, include, orderBy: { planEvent: { name: "asc" } } });
    return rows.map(presentEvent);
  });
}

export async function getContainerEvent(actor: Actor, id: string) {
  const db = await prisma();
  const row = await db.containerEvent.findFirst({ where: { id, teamId: actor.teamId }, include });
  if (!row) throw new NotFoundError("Event");
  return presentEvent(row);
}

export async function createContainerEvent(actor: Actor, containerId: string, input: z.infer<typeof containerEventCreate>) {
  const db = await prisma();
  try {
    return await db.$transaction(async (tx) => {
      const container = await assertContainer(tx, actor, containerId);
      const plan = await tx.planEvent.findFirst({ where: { id: input.planEventId, teamId: actor.teamId } });
      if (!plan) throw new NotFoundError("Plan event");
      await assertOwner(tx, actor, input.ownerId);
      await assertReferences(tx, actor.teamId, containerId, eventReferences(input));
      const { planEventId, description, ownerId, ...definition } = input;
      const row = await tx.containerEvent.create({
        data: { teamId: actor.teamId, containerId, planEventId, description, ownerId, definition },
        include,
      });
      await recordAudit(tx, actor, { action: "create", entityType: "event", entityId: row.id, entityLabel: `${container.name} / ${plan.name}`, after: snapshot(row) });
      return presentEvent(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError("This container already uses this event", [{ path: "planEventId", message: "is already in this container" }]);
    throw error;
  }
}

export async function updateContainerEvent(actor: Actor, id: string, patch: z.infer<typeof containerEventUpdate>) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const before = await tx.containerEvent.findFirst({ where: { id, teamId: actor.teamId }, include });
    if (!before) throw new NotFoundError("Event");
    await assertOwner(tx, actor, patch.ownerId);
    await assertReferences(tx, actor.teamId, before.containerId, eventReferences(patch));
    const { revision, description, ownerId, ...definitionPatch } = patch;
    const definition = { ...(before.definition as object), ...Object.fromEntries(Object.entries(definitionPatch).filter(([, v]) => v !== undefined)) };
    const { count } = await tx.containerEvent.updateMany({
      where: { id, revision },
      data: { description, ownerId, definition, revision: { increment: 1 } },
    });
    if (count !== 1) throw staleEdit("event", before);
    const after = await tx.containerEvent.findUniqueOrThrow({ where: { id }, include });
    const container = await tx.container.findUniqueOrThrow({ where: { id: after.containerId } });
    await recordAudit(tx, actor, { action: "update", entityType: "event", entityId: id, entityLabel: `${container.name} / ${after.planEvent.name}`, before: snapshot(before), after: snapshot(after) });
    return presentEvent(after);
  });
}

export async function deleteContainerEvent(actor: Actor, id: string) {
  const db = await prisma();
  await db.$transaction(async (tx) => {
    const row = await tx.containerEvent.findFirst({ where: { id, teamId: actor.teamId }, include });
    if (!row) throw new NotFoundError("Event");
    const destinations = await tx.destination.findMany({ where: { containerId: row.containerId } });
    const users = destinations.filter((d) => ((d.definition as { events?: { eventId: string }[] }).events ?? []).some((e) => e.eventId === id));
    if (users.length) throw new ConflictError(`Event ${row.planEvent.name} still goes to ${users.map((d) => d.name).join(", ")}: remove it from those destinations first`);
    await tx.containerEvent.delete({ where: { id } });
    const container = await tx.container.findUniqueOrThrow({ where: { id: row.containerId } });
    await recordAudit(tx, actor, { action: "delete", entityType: "event", entityId: id, entityLabel: `${container.name} / ${row.planEvent.name}`, before: snapshot(row) });
  });
}
