// The ids a draft entity refers to — blocking triggers, variables in conditions, a lookup's
// input variable, a destination's events, an event's triggers and mappings — must name
// entities of the same container. Checked when the draft is saved: an id of another
// team's container (or of another container, or none at all) is refused with 422 naming
// the field, the same answer whichever it is, so ids cannot be probed across teams.
// The webhook destination's URL is checked here too, against the outbound guard.
import type { Tx } from "../audit/record";
import { ValidationError, type FieldProblem } from "../errors";
import { webhookUrlProblem } from "../http/outbound-url";
import type { DraftKind } from "./draft-entities";
import { isBuiltinRef } from "./builtins";

type Ref = { path: string; id: string; kind: "trigger" | "variable" | "event" };

const NOUN = { trigger: "a trigger", variable: "a variable", event: "an event" } as const;

/** The references a draft entity's definition makes, with the field path of each. */
export function draftReferences(kind: DraftKind, definition: Record<string, unknown>, prefix = "definition."): Ref[] {
  const refs: Ref[] = [];
  if (kind === "trigger") {
    (definition.blockingTriggerIds as string[] | undefined)?.forEach((id, i) => refs.push({ path: `${prefix}blockingTriggerIds.${i}`, id, kind: "trigger" }));
    (definition.conditions as { source?: string; key?: string }[] | undefined)?.forEach((c, i) => {
      if (c.source === "variable" && c.key) refs.push({ path: `${prefix}conditions.${i}.key`, id: c.key, kind: "variable" });
    });
  }
  if (kind === "variable" && typeof definition.inputVariableId === "string") refs.push({ path: `${prefix}inputVariableId`, id: definition.inputVariableId, kind: "variable" });
  if (kind === "destination") {
    (definition.events as { eventId: string }[] | undefined)?.forEach((e, i) => refs.push({ path: `${prefix}events.${i}.eventId`, id: e.eventId, kind: "event" }));
  }
  return refs;
}

/** A container event's references (its fields are at the top of the body). */
export function eventReferences(input: { triggerIds?: string[]; mappings?: Record<string, string> }): Ref[] {
  return [
    ...(input.triggerIds ?? []).map((id, i): Ref => ({ path: `triggerIds.${i}`, id, kind: "trigger" })),
    ...Object.entries(input.mappings ?? {}).map(([param, id]): Ref => ({ path: `mappings.${param}`, id, kind: "variable" })),
  ];
}

/**
 * Throws a 422 naming each reference that is not an entity of this container (and team).
 * Built-in variables (builtin:<key>) are no rows: the schemas check them.
 */
export async function assertReferences(tx: Tx, teamId: string, containerId: string, all: Ref[]): Promise<void> {
  const refs = all.filter((r) => !(r.kind === "variable" && isBuiltinRef(r.id)));
  if (!refs.length) return;
  const ids = (kind: Ref["kind"]) => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id))];
  const where = (kind: Ref["kind"]) => ({ where: { teamId, containerId, id: { in: ids(kind) } }, select: { id: true } });
  // One after the other: queries of one interactive transaction share its connection.
  const triggers = ids("trigger").length ? await tx.trigger.findMany(where("trigger")) : [];
  const variables = ids("variable").length ? await tx.variable.findMany(where("variable")) : [];
  const events = ids("event").length ? await tx.containerEvent.findMany(where("event")) : [];
  const known = new Set([...triggers, ...variables, ...events].map((r) => r.id));
  const problems: FieldProblem[] = refs.filter((r) => !known.has(r.id)).map((r) => ({ path: r.path, message: `refers to ${NOUN[r.kind]} that does not exist in this container` }));
  if (problems.length) throw new ValidationError(problems);
}

/** A webhook destination's URL must pass the outbound guard when it is saved. */
export function assertDestinationUrl(kind: DraftKind, definition: Record<string, unknown> | undefined): void {
  if (kind !== "destination" || definition?.platform !== "webhook") return;
  const url = (definition.ids as Record<string, string> | undefined)?.url;
  if (!url) return;
  const problem = webhookUrlProblem(url);
  if (problem) throw new ValidationError([{ path: "definition.ids.url", message: problem }]);
}
