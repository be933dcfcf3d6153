// The team's tracking plan: each conversion event defined once, with its parameters and
// its names at the platforms. Containers use plan events (lib/config/container-events.ts).
import type { z } from "zod";
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { uniquely } from "../db-errors";
import { assertOwner, staleEdit } from "./draft-entities";
import { presetByName } from "./presets";
import type { planEventCreate, planEventUpdate } from "../schemas/config";

const TAKEN = "The tracking plan already has an event with this name";

function snapshot(e: { name: string; description: string; ownerId: string | null; parameters: unknown; platformNames: unknown }) {
  return { name: e.name, description: e.description, ownerId: e.ownerId, parameters: e.parameters, platformNames: e.platformNames };
}

export async function listPlanEvents(actor: Actor) {
  const db = await prisma();
  return db.planEvent.findMany({
    where: { teamId: actor.teamId },
    orderBy: { name: "asc" },
    include: { _count: { select: { usages: true } } },
  });
}

export async function getPlanEvent(actor: Actor, id: string) {
  const db = await prisma();
  const event = await db.planEvent.findFirst({ where: { id, teamId: actor.teamId } });
  if (!event) throw new NotFoundError("Plan event");
  return event;
}

export async function createPlanEvent(actor: Actor, input: z.infer<typeof planEventCreate>) {
  const db = await prisma();
  return uniquely("name", TAKEN, () =>
    db.$transaction(async (tx) => {
      await assertOwner(tx, actor, input.ownerId);
      const event = await tx.planEvent.create({ data: { teamId: actor.teamId, ...input } });
      await recordAudit(tx, actor, { action: "create", entityType: "plan_event", entityId: event.id, entityLabel: event.name, after: snapshot(event) });
      return event;
    }),
  );
}

/** Adds a standard event (purchase, add_to_cart…) to the plan from its preset. */
export async function createPlanEventFromPreset(actor: Actor, presetName: string, ownerId: string | null) {
  const preset = presetByName(presetName);
  if (!preset) throw new ValidationError([{ path: "preset", message: `is not a preset (try purchase, add_to_cart, sign_up…)` }]);
  return createPlanEvent(actor, { ...preset, parameters: preset.parameters.map((p) => ({ ...p })), ownerId });
}

export async function updatePlanEvent(actor: Actor, id: string, patch: z.infer<typeof planEventUpdate>) {
  const db = await prisma();
  return uniquely("name", TAKEN, () =>
    db.$transaction(async (tx) => {
      const before = await tx.planEvent.findFirst({ where: { id, teamId: actor.teamId } });
      if (!before) throw new NotFoundError("Plan event");
      await assertOwner(tx, actor, patch.ownerId);
      const { revision, ...data } = patch;
      const { count } = await tx.planEvent.updateMany({ where: { id, revision }, data: { ...data, revision: { increment: 1 } } });
      if (count !== 1) throw staleEdit("event", before);
      const after = await tx.planEvent.findUniqueOrThrow({ where: { id } });
      await recordAudit(tx, actor, { action: "update", entityType: "plan_event", entityId: id, entityLabel: after.name, before: snapshot(before), after: snapshot(after) });
      return after;
    }),
  );
}

export async function deletePlanEvent(actor: Actor, id: string) {
  const db = await prisma();
  await db.$transaction(async (tx) => {
    const event = await tx.planEvent.findFirst({ where: { id, teamId: actor.teamId }, include: { usages: { include: { container: true } } } });
    if (!event) throw new NotFoundError("Plan event");
    if (event.usages.length) {
      throw new ConflictError(`${event.name} is used by ${event.usages.map((u) => u.container.name).join(", ")}: remove it from those containers first`);
    }
    await tx.planEvent.delete({ where: { id } });
    await recordAudit(tx, actor, { action: "delete", entityType: "plan_event", entityId: id, entityLabel: event.name, before: snapshot(event) });
  });
}
