// Export and import of a container's draft as JSON. The file refers to entities by name
// (ids are local to one database), carries a format version, and is validated entity by
// entity on import with errors naming the exact place. Import replaces the draft in one
// transaction: all or nothing. Secrets are never exported.
import { z } from "zod";
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit, type Tx } from "../audit/record";
import { ValidationError, type FieldProblem } from "../errors";
import { fieldProblems } from "../schemas/problems";
import { assertContainer } from "./draft-entities";
import { isBuiltinRef } from "./builtins";
import { loadDraft, type Snapshot } from "../versions/snapshot";
import {
  containerEventDefinition,
  destinationDefinition,
  entityName,
  eventName,
  planEventCreate,
  triggerDefinition,
  variableDefinition,
} from "../schemas/config";

export const EXPORT_FORMAT = "tagpipe.container";
export const EXPORT_FORMAT_VERSION = 1;

const named = z.looseObject({ name: entityName, description: z.string().max(500).default("") });

export const importFile = z
  .strictObject({
    format: z.literal(EXPORT_FORMAT, { error: `must be "${EXPORT_FORMAT}"` }),
    formatVersion: z.literal(EXPORT_FORMAT_VERSION, { error: `must be ${EXPORT_FORMAT_VERSION} (this Tagpipe reads version ${EXPORT_FORMAT_VERSION})` }),
    exportedAt: z.string().optional(),
    container: z.string().optional(),
    planEvents: z.array(z.unknown()).max(200).default([]),
    events: z.array(z.looseObject({ event: eventName, description: z.string().max(500).default("") })).max(200).default([]),
    triggers: z.array(named).max(500).default([]),
    variables: z.array(named).max(500).default([]),
    destinations: z.array(named).max(100).default([]),
  })
  .meta({ id: "ContainerImport" });
export type ImportFile = z.infer<typeof importFile>;

export async function exportContainer(actor: Actor, containerId: string) {
  const db = await prisma();
  const draft = await db.$transaction(async (tx) => {
    await assertContainer(tx, actor, containerId);
    return loadDraft(tx, containerId);
  });
  return exportSnapshot(draft);
}

/** The export file of a draft: references by name, no ids, no owners, no secrets. */
export function exportSnapshot(draft: Snapshot) {
  const trigger = new Map(draft.triggers.map((t) => [t.id, t.name]));
  const variable = new Map(draft.variables.map((v) => [v.id, v.name]));
  const event = new Map(draft.events.map((e) => [e.id, e.name]));
  const plan = new Map(draft.planEvents.map((p) => [p.id, p.name]));
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: new Date().toISOString(),
    container: draft.container.name,
    planEvents: draft.planEvents.map((p) => ({ name: p.name, parameters: p.parameters, platformNames: p.platformNames })),
    events: draft.events.map((e) => ({
      event: plan.get(e.planEventId) ?? e.name,
      description: e.description,
      triggers: e.triggerIds.map((id) => trigger.get(id) ?? id),
      mappings: Object.fromEntries(Object.entries(e.mappings).map(([k, id]) => [k, variable.get(id) ?? id])),
      platformNames: e.platformNames,
      enabled: e.enabled,
    })),
    triggers: draft.triggers.map(({ id: _id, ownerId: _o, blockingTriggerIds, conditions, ...t }) => {
      void _id;
      void _o;
      return {
        ...t,
        conditions: conditions.map((c) => (c.source === "variable" ? { ...c, key: variable.get(c.key as string) ?? c.key } : c)),
        blockingTriggers: blockingTriggerIds.map((id) => trigger.get(id) ?? id),
      };
    }),
    variables: draft.variables.map(({ id: _id, ownerId: _o, inputVariableId, ...v }) => {
      void _id;
      void _o;
      return { ...v, ...(inputVariableId ? { inputVariable: variable.get(inputVariableId as string) ?? inputVariableId } : {}) };
    }),
    destinations: draft.destinations.map(({ id: _id, ownerId: _o, secretsSet: _s, events, ...d }) => {
      void _id;
      void _o;
      void _s;
      return { ...d, events: events.map((e) => ({ event: event.get(e.eventId) ?? e.eventId, ...(e.name ? { name: e.name } : {}) })) };
    }),
  };
}

/** Collects problems with their place in the file, then throws them all at once. */
class Problems {
  list: FieldProblem[] = [];
  add(path: string, message: string) {
    this.list.push({ path, message });
  }
  parse<T>(schema: z.ZodType<T>, value: unknown, path: string): T | null {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const p of fieldProblems(result.error)) this.add(p.path ? `${path}.${p.path}` : path, p.message);
    return null;
  }
}

function duplicates(names: string[], path: string, problems: Problems) {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) problems.add(`${path}.${i}.name`, `${n} appears twice`);
    seen.add(n);
  });
}

/** What an import will write: entities with their ids settled, and plan events to add. */
export type ImportPlan = {
  planEventsToCreate: (z.infer<typeof planEventCreate> & { id: string })[];
  variables: { id: string; name: string; description: string; definition: z.infer<typeof variableDefinition> }[];
  triggers: { id: string; name: string; description: string; definition: z.infer<typeof triggerDefinition> }[];
  events: { id: string; planEventId: string; description: string; definition: z.infer<typeof containerEventDefinition> }[];
  destinations: { id: string; name: string; description: string; definition: z.infer<typeof destinationDefinition> }[];
};

/**
 * Turns an import file into what to write, against the current draft and the team's plan
 * events. Pure: every problem is collected and thrown as one ValidationError with its
 * place in the file. An entity whose name already exists keeps its id, so the diff against
 * earlier versions shows what the import really changed.
 */
export function planImport(file: ImportFile, current: Snapshot, teamPlanEvents: { id: string; name: string }[], newId: () => string = randomId): ImportPlan {
  const problems = new Problems();
  duplicates(file.triggers.map((t) => t.name), "triggers", problems);
  duplicates(file.variables.map((v) => v.name), "variables", problems);
  duplicates(file.destinations.map((d) => d.name), "destinations", problems);
  duplicates(file.events.map((e) => e.event), "events", problems);

  const idsFor = (names: string[], existing: { id: string; name: string }[]) => {
    const byName = new Map(existing.map((e) => [e.name, e.id]));
    return new Map(names.map((n) => [n, byName.get(n) ?? newId()]));
  };
  const triggerIds = idsFor(file.triggers.map((t) => t.name), current.triggers);
  const variableIds = idsFor(file.variables.map((v) => v.name), current.variables);
  const eventIds = idsFor(file.events.map((e) => e.event), current.events);
  const destinationIds = idsFor(file.destinations.map((d) => d.name), current.destinations);
  const ref = (map: Map<string, string>, name: unknown, path: string, what: string): string => {
    const id = typeof name === "string" ? map.get(name) : undefined;
    if (!id) problems.add(path, `no ${what} named ${JSON.stringify(name)} in the file`);
    return id ?? "missing";
  };

  // A built-in variable (builtin:<key>) is written as such; the schemas refuse unknown ones.
  const variableRef = (name: unknown, path: string) => (typeof name === "string" && isBuiltinRef(name) ? name : ref(variableIds, name, path, "variable"));

  const planEvents = new Map(teamPlanEvents.map((p) => [p.name, p.id]));
  const planEventsToCreate: ImportPlan["planEventsToCreate"] = [];
  const planSchema = planEventCreate.omit({ ownerId: true });
  file.planEvents.forEach((raw, i) => {
    const parsed = problems.parse(planSchema, raw, `planEvents.${i}`);
    if (!parsed || planEvents.has(parsed.name)) return;
    const id = newId();
    planEvents.set(parsed.name, id);
    planEventsToCreate.push({ ...parsed, ownerId: null, id });
  });
  const variables = file.variables.map((raw, i) => {
    const { name, description, inputVariable, ...rest } = raw as Record<string, unknown> & { name: string; description: string };
    const definition = problems.parse(variableDefinition, { ...rest, ...(inputVariable !== undefined ? { inputVariableId: ref(variableIds, inputVariable, `variables.${i}.inputVariable`, "variable") } : {}) }, `variables.${i}`);
    return { id: variableIds.get(name)!, name, description, definition };
  });
  const triggers = file.triggers.map((raw, i) => {
    const { name, description, blockingTriggers, conditions, ...rest } = raw as Record<string, unknown> & { name: string; description: string };
    const blocking = Array.isArray(blockingTriggers) ? blockingTriggers.map((b, j) => ref(triggerIds, b, `triggers.${i}.blockingTriggers.${j}`, "trigger")) : [];
    const conds = Array.isArray(conditions)
      ? conditions.map((c: Record<string, unknown>, j) => (c?.source === "variable" ? { ...c, key: variableRef(c.key, `triggers.${i}.conditions.${j}.key`) } : c))
      : conditions;
    const definition = problems.parse(triggerDefinition, { ...rest, conditions: conds, blockingTriggerIds: blocking }, `triggers.${i}`);
    return { id: triggerIds.get(name)!, name, description, definition };
  });
  const events = file.events.map((raw, i) => {
    const { event, description, triggers: tNames, mappings, ...rest } = raw as Record<string, unknown> & { event: string; description: string };
    const planEventId = planEvents.get(event);
    if (!planEventId) problems.add(`events.${i}.event`, `${event} is neither in the tracking plan nor in the file's planEvents`);
    const definition = problems.parse(
      containerEventDefinition,
      {
        ...rest,
        triggerIds: Array.isArray(tNames) ? tNames.map((t, j) => ref(triggerIds, t, `events.${i}.triggers.${j}`, "trigger")) : tNames,
        mappings:
          mappings && typeof mappings === "object"
            ? Object.fromEntries(Object.entries(mappings).map(([k, v]) => [k, variableRef(v, `events.${i}.mappings.${k}`)]))
            : mappings,
      },
      `events.${i}`,
    );
    return { id: eventIds.get(event)!, planEventId: planEventId ?? "", description, definition };
  });
  const destinations = file.destinations.map((raw, i) => {
    const { name, description, events: evs, ...rest } = raw as Record<string, unknown> & { name: string; description: string };
    const mapped = Array.isArray(evs)
      ? evs.map((e: Record<string, unknown>, j) => {
          const { event, ...rest } = e ?? {};
          return { ...rest, eventId: ref(eventIds, event, `destinations.${i}.events.${j}.event`, "event") };
        })
      : evs;
    const definition = problems.parse(destinationDefinition, { ...rest, events: mapped }, `destinations.${i}`);
    return { id: destinationIds.get(name)!, name, description, definition };
  });

  if (problems.list.length) throw new ValidationError(problems.list);
  // Every definition parsed (no problems), so none is null from here on.
  return {
    planEventsToCreate,
    variables: variables.map((v) => ({ ...v, definition: v.definition! })),
    triggers: triggers.map((t) => ({ ...t, definition: t.definition! })),
    events: events.map((e) => ({ ...e, definition: e.definition! })),
    destinations: destinations.map((d) => ({ ...d, definition: d.definition! })),
  };
}

function randomId(): string {
  return `imp${crypto.randomUUID().replace(/-/g, "").slice(0, 22)}`;
}

/**
 * An import rewrites the whole draft (hundreds of rows for a large container) in one
 * transaction: Prisma's 5 s default was exceeded by a 100-trigger import on a loaded
 * 2-core machine (P2028, the import lost). Imports are rare; 60 s bounds a stuck one.
 */
export const IMPORT_TRANSACTION = { maxWait: 10_000, timeout: 60_000 };

export async function importContainer(actor: Actor, containerId: string, file: ImportFile) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const container = await assertContainer(tx, actor, containerId);
    const current = await loadDraft(tx, containerId);
    const teamPlan = await tx.planEvent.findMany({ where: { teamId: actor.teamId }, select: { id: true, name: true } });
    const plan = planImport(file, current, teamPlan);
    const counts = await writeImport(tx, actor, containerId, current, plan);
    await recordAudit(tx, actor, {
      action: "import",
      entityType: "container",
      entityId: containerId,
      entityLabel: container.name,
      before: countsOf(current),
      after: counts,
    });
    return counts;
  }, IMPORT_TRANSACTION);
}

export type ImportCounts = { events: number; triggers: number; variables: number; destinations: number };

export const countsOf = (s: Record<"events" | "triggers" | "variables" | "destinations", unknown[]>): ImportCounts => ({
  events: s.events.length,
  triggers: s.triggers.length,
  variables: s.variables.length,
  destinations: s.destinations.length,
});

/**
 * Writes an import plan over the draft, inside the caller's transaction (the caller
 * records the audit entry of the import as a whole). Plan events it creates are audited
 * one by one.
 */
export async function writeImport(tx: Tx, actor: Actor, containerId: string, current: Snapshot, plan: ImportPlan): Promise<ImportCounts> {
  const { variables, triggers, events, destinations } = plan;
  for (const p of plan.planEventsToCreate) {
    const created = await tx.planEvent.create({ data: { teamId: actor.teamId, ...p } });
    await recordAudit(tx, actor, { action: "create", entityType: "plan_event", entityId: created.id, entityLabel: created.name, after: { ...p, id: undefined, source: "import" } });
  }

  const previousRevisions = new Map<string, number>();
  for (const rows of await Promise.all([
    tx.trigger.findMany({ where: { containerId }, select: { id: true, revision: true } }),
    tx.variable.findMany({ where: { containerId }, select: { id: true, revision: true } }),
    tx.containerEvent.findMany({ where: { containerId }, select: { id: true, revision: true } }),
    tx.destination.findMany({ where: { containerId }, select: { id: true, revision: true } }),
  ])) {
    for (const r of rows) previousRevisions.set(r.id, r.revision);
  }
  // Secrets survive an import for destinations that keep their name and platform.
  const keptSecrets = new Map(
    (await tx.destination.findMany({ where: { containerId }, select: { id: true, secrets: true, definition: true } })).map((d) => [d.id, d]),
  );
  await tx.destination.deleteMany({ where: { containerId } });
  await tx.containerEvent.deleteMany({ where: { containerId } });
  await tx.trigger.deleteMany({ where: { containerId } });
  await tx.variable.deleteMany({ where: { containerId } });
  const common = { teamId: actor.teamId, containerId };
  // Kept entities keep their owner; their revision moves on, so an editor holding the
  // pre-import revision gets a conflict instead of overwriting the import.
  const owners = new Map([...current.triggers, ...current.variables, ...current.events, ...current.destinations].map((e) => [e.id, e.ownerId]));
  const kept = (id: string) => ({ ownerId: owners.get(id) ?? null, revision: (previousRevisions.get(id) ?? 0) + 1 });
  await tx.variable.createMany({ data: variables.map((v) => ({ ...common, ...kept(v.id), id: v.id, name: v.name, description: v.description, definition: v.definition })) });
  await tx.trigger.createMany({ data: triggers.map((t) => ({ ...common, ...kept(t.id), id: t.id, name: t.name, description: t.description, definition: t.definition })) });
  await tx.containerEvent.createMany({ data: events.map((e) => ({ ...common, ...kept(e.id), id: e.id, planEventId: e.planEventId, description: e.description, definition: e.definition })) });
  await tx.destination.createMany({
    data: destinations.map((d) => {
      const old = keptSecrets.get(d.id);
      const samePlatform = old && (old.definition as { platform: string }).platform === d.definition.platform;
      return { ...common, ...kept(d.id), id: d.id, name: d.name, description: d.description, definition: d.definition, secrets: samePlatform ? old.secrets : null };
    }),
  });
  return countsOf(plan);
}
