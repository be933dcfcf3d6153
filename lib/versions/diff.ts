// The semantic diff between two snapshots (versions or the draft): entities matched by
// id, so a renamed trigger shows as a rename rather than a removal and an addition;
// changes listed field by field; references shown by name, not by id.
import type { Snapshot } from "./snapshot";
import { BUILTINS, builtinRef } from "../config/builtins";

export type FieldChange = { path: string; before: unknown; after: unknown };
export type DiffEntry = {
  change: "added" | "removed" | "changed" | "renamed";
  entityType: "site" | "region" | "plan_event" | "event" | "trigger" | "variable" | "destination";
  id: string;
  name: string;
  previousName?: string;
  fields: FieldChange[];
};

type Keyed = Map<string, { name: string; value: Record<string, unknown> }>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Flattens to dot paths; arrays of primitives stay whole (a hostnames list reads best whole). */
export function flatten(value: unknown, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix) out[prefix] = {};
    for (const k of keys) flatten(value[k], prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(value) && value.some((v) => isPlainObject(v) || Array.isArray(v))) {
    value.forEach((v, i) => flatten(v, `${prefix}.${i}`, out));
    if (value.length === 0) out[prefix] = [];
  } else if (value !== undefined) {
    out[prefix] = value;
  }
  return out;
}

export function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return paths.filter((p) => JSON.stringify(a[p]) !== JSON.stringify(b[p])).map((p) => ({ path: p, before: a[p], after: b[p] }));
}

/** Replaces ids in references by the names they point to, per snapshot. */
function humanize(s: Snapshot): Record<DiffEntry["entityType"], Keyed> {
  const triggerName = new Map(s.triggers.map((t) => [t.id, t.name]));
  const variableName = new Map([...BUILTINS.map((b) => [builtinRef(b.key), b.label] as const), ...s.variables.map((v) => [v.id, v.name] as const)]);
  const eventName = new Map(s.events.map((e) => [e.id, e.name]));
  const planName = new Map(s.planEvents.map((p) => [p.id, p.name]));
  const name = (map: Map<string, string>, id: unknown) => (typeof id === "string" ? (map.get(id) ?? `(missing ${id})`) : id);
  const keyed = <T extends { id: string; name: string }>(items: T[], shape: (item: T) => Record<string, unknown>): Keyed =>
    new Map(items.map((item) => [item.id, { name: item.name, value: shape(item) }]));
  const strip = ({ id: _id, ...rest }: { id: string } & Record<string, unknown>) => {
    void _id;
    return rest;
  };

  return {
    site: new Map([["site", { name: s.site.name, value: { name: s.site.name, hostnames: s.site.hostnames, defaultCurrency: s.site.defaultCurrency } }]]),
    region: new Map(s.site.regions.map((r) => [r.code, { name: r.code, value: { ...r } }])),
    plan_event: keyed(s.planEvents, (p) => strip(p)),
    event: keyed(s.events, (e) => ({
      ...strip(e),
      planEventId: undefined,
      planEvent: name(planName, e.planEventId),
      triggerIds: undefined,
      triggers: e.triggerIds.map((id) => name(triggerName, id)),
      mappings: Object.fromEntries(Object.entries(e.mappings).map(([k, v]) => [k, name(variableName, v)])),
    })),
    trigger: keyed(s.triggers, (t) => ({
      ...strip(t),
      blockingTriggerIds: undefined,
      blockingTriggers: t.blockingTriggerIds.map((id) => name(triggerName, id)),
      conditions: t.conditions.map((c) => (c.source === "variable" ? { ...c, key: name(variableName, c.key) } : c)),
    })),
    variable: keyed(s.variables, (v) => ({ ...strip(v), ...(v.inputVariableId ? { inputVariableId: undefined, inputVariable: name(variableName, v.inputVariableId) } : {}) })),
    destination: keyed(s.destinations, (d) => ({ ...strip(d), events: d.events.map((e) => ({ event: name(eventName, e.eventId), ...(e.name ? { name: e.name } : {}) })) })),
  };
}

const ORDER: DiffEntry["entityType"][] = ["site", "region", "plan_event", "event", "trigger", "variable", "destination"];

/** What changed from `before` to `after`; null is "nothing" (e.g. before the first publish). */
export function diffSnapshots(before: Snapshot | null, after: Snapshot | null): DiffEntry[] {
  const a = before ? humanize(before) : null;
  const b = after ? humanize(after) : null;
  const entries: DiffEntry[] = [];
  for (const type of ORDER) {
    const from: Keyed = a?.[type] ?? new Map();
    const to: Keyed = b?.[type] ?? new Map();
    for (const [id, item] of to) {
      const old = from.get(id);
      if (!old) {
        entries.push({ change: "added", entityType: type, id, name: item.name, fields: fieldChanges({}, item.value) });
        continue;
      }
      const fields = fieldChanges(old.value, item.value);
      if (fields.length === 0) continue;
      const renamed = old.name !== item.name;
      entries.push({ change: renamed ? "renamed" : "changed", entityType: type, id, name: item.name, ...(renamed ? { previousName: old.name } : {}), fields });
    }
    for (const [id, item] of from) {
      if (!to.has(id)) entries.push({ change: "removed", entityType: type, id, name: item.name, fields: fieldChanges(item.value, {}) });
    }
  }
  return entries;
}
