// Checks a draft before it may become a version. Pure: a snapshot in, every problem out,
// each named by entity and field, so the marketer can fix them all in one pass.
import { PLATFORM_FIELDS, type DestinationPlatform } from "../schemas/config";
import { platformOf } from "../platforms/registry";
import { nameAtDestination } from "./names";
import type { Snapshot } from "./snapshot";
import { builtinOf } from "../config/builtins";
import type { IdField, SecretField } from "../platforms/types";
import { idProblem, patternProblem } from "../schemas/field-rules";

export type Problem = {
  entityType: "event" | "trigger" | "variable" | "destination";
  entityId: string;
  entityName: string;
  /** The field's path in the entity (the API's); `where` names it as the form does. */
  field: string;
  /** The field as the form labels it: "Condition 2 value", "Pixel ID", "Parameter value". */
  where: string;
  message: string;
};

/** A field path as the editors label it (their labels, numbered from 1). */
export function fieldWords(entityType: Problem["entityType"], field: string, labels: { ids?: IdField[]; secrets?: SecretField[]; eventName?: (i: number) => string | undefined } = {}): string {
  const parts = field.split(".");
  const n = (i: string) => Number(i) + 1;
  if (entityType === "event") {
    if (parts[0] === "mappings") return parts[1] === "user_data" ? `User data ${parts[2]}` : `Parameter ${parts[1]}`;
    if (parts[0] === "triggerIds") return `Trigger ${n(parts[1])} of "Fired by"`;
    if (parts[0] === "planEventId") return "Event from the tracking plan";
  }
  if (entityType === "trigger") {
    if (parts[0] === "conditions") return `Condition ${n(parts[1])} ${parts[2] === "key" ? "variable or path" : (parts[2] ?? "")}`.trim();
    if (parts[0] === "blockingTriggerIds") return `Blocking trigger ${n(parts[1])}`;
    if (parts[0] === "eventName") return "Data layer event name";
    if (parts[0] === "selector") return "CSS selector";
  }
  if (entityType === "variable") {
    if (parts[0] === "inputVariableId") return "Input variable";
    if (parts[0] === "path") return "Data layer path";
  }
  if (entityType === "destination") {
    if (parts[0] === "ids") return labels.ids?.find((f) => f.key === parts[1])?.label ?? parts[1];
    if (parts[0] === "secrets") return labels.secrets?.find((f) => f.key === parts[1])?.label ?? parts[1];
    if (parts[0] === "events") return `Event ${labels.eventName?.(Number(parts[1])) ?? n(parts[1])}`;
    if (parts[0] === "regions") return `Region ${n(parts[1])}`;
  }
  return field;
}

export function validateSnapshot(s: Snapshot): Problem[] {
  const problems: Problem[] = [];
  const triggerIds = new Set(s.triggers.map((t) => t.id));
  const ids = new Set(s.variables.map((v) => v.id));
  const variableIds = { has: (ref: string) => ids.has(ref) || builtinOf(ref) !== undefined };
  const eventIds = new Set(s.events.map((e) => e.id));
  const regionCodes = new Set(s.site.regions.map((r) => r.code));
  const plans = new Map(s.planEvents.map((p) => [p.id, p]));

  for (const e of s.events) {
    const add = (field: string, message: string) => problems.push({ entityType: "event", entityId: e.id, entityName: e.name, field, where: fieldWords("event", field), message });
    e.triggerIds.forEach((id, i) => {
      if (!triggerIds.has(id)) add(`triggerIds.${i}`, "refers to a trigger that does not exist");
    });
    for (const [param, variableId] of Object.entries(e.mappings)) {
      if (!variableIds.has(variableId)) add(`mappings.${param}`, "refers to a variable that does not exist");
    }
    const plan = plans.get(e.planEventId);
    if (!plan) {
      add("planEventId", "refers to a tracking plan event that does not exist");
      continue;
    }
    if (!e.enabled) continue;
    for (const p of plan.parameters) {
      if (p.required && !e.mappings[p.name]) add(`mappings.${p.name}`, `is required by the tracking plan but not mapped to a variable`);
    }
  }

  for (const t of s.triggers) {
    const add = (field: string, message: string) => problems.push({ entityType: "trigger", entityId: t.id, entityName: t.name, field, where: fieldWords("trigger", field), message });
    t.blockingTriggerIds.forEach((id, i) => {
      if (id === t.id) add(`blockingTriggerIds.${i}`, "a trigger cannot block itself");
      else if (!triggerIds.has(id)) add(`blockingTriggerIds.${i}`, "refers to a trigger that does not exist");
    });
    t.conditions.forEach((c, i) => {
      const condition = c as { source: string; key?: string; operator: string; value: string; ignoreCase?: boolean };
      const pattern = patternProblem(condition);
      if (pattern) add(`conditions.${i}.value`, pattern);
      if (condition.source === "variable" && condition.key && !variableIds.has(condition.key)) {
        add(`conditions.${i}.key`, "refers to a variable that does not exist");
      }
      if (condition.source === "region" && condition.operator === "equals" && !regionCodes.has(condition.value)) {
        add(`conditions.${i}.value`, `is not a region of this site (regions: ${[...regionCodes].join(", ") || "none"})`);
      }
    });
  }

  const variables = new Map(s.variables.map((v) => [v.id, v]));
  for (const v of s.variables) {
    if (v.kind !== "lookup") continue;
    const add = (field: string, message: string) => problems.push({ entityType: "variable", entityId: v.id, entityName: v.name, field, where: fieldWords("variable", field), message });
    const input = v.inputVariableId as string | undefined;
    if (!input || !variables.has(input)) {
      add("inputVariableId", "refers to a variable that does not exist");
      continue;
    }
    // A lookup whose chain of inputs comes back to itself would never resolve.
    const seen = new Set([v.id]);
    let next: string | undefined = input;
    while (next) {
      if (seen.has(next)) {
        add("inputVariableId", "makes a cycle of lookup variables");
        break;
      }
      seen.add(next);
      const n = variables.get(next);
      next = n?.kind === "lookup" ? (n.inputVariableId as string | undefined) : undefined;
    }
  }

  for (const d of s.destinations) {
    const fields = PLATFORM_FIELDS[d.platform as DestinationPlatform];
    const eventName = (i: number) => s.events.find((e) => e.id === d.events[i]?.eventId)?.name;
    const add = (field: string, message: string) =>
      problems.push({ entityType: "destination", entityId: d.id, entityName: d.name, field, where: fieldWords("destination", field, { ids: fields?.ids, secrets: fields?.secrets, eventName }), message });
    for (const f of fields?.ids ?? []) {
      const problem = idProblem(f, d.ids[f.key]);
      if (problem) add(`ids.${f.key}`, problem);
    }
    for (const secret of fields?.secrets ?? []) {
      if (secret.required && !d.secretsSet.includes(secret.key)) add(`secrets.${secret.key}`, `${secret.label} is required: ${secret.required}`);
    }
    d.events.forEach((e, i) => {
      if (!eventIds.has(e.eventId)) return add(`events.${i}.eventId`, "refers to an event that is not in this container");
      const platform = platformOf(d.platform);
      if (platform?.names?.problem) {
        // A name the platform would refuse (GA4 answers 2xx and then drops it): said here,
        // where it can be fixed, instead of in dead letters after publishing.
        const event = s.events.find((x) => x.id === e.eventId);
        const problem = platform.names.problem(nameAtDestination(event, plans.get(event?.planEventId ?? ""), d.platform, e.name));
        if (problem) add(`events.${i}.name`, `${problem}: set a ${platform.name} name for ${event?.name} on this destination`);
      }
    });
    (d.regions ?? []).forEach((code, i) => {
      if (!regionCodes.has(code)) add(`regions.${i}`, `${code} is not a region of this site`);
    });
  }
  return problems;
}
