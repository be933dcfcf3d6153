// The semantic diff between two snapshots (versions or the draft): entities matched by
// id, so a renamed trigger shows as a rename rather than a removal and an addition; what
// changed said in sentences (lib/versions/sentences.ts), references by name, not by id.
import type { Snapshot } from "./snapshot";
import { describeEntityChange, type EntityKind, type EntityValue, type Names } from "./sentences";

export type DiffEntry = {
  change: "added" | "removed" | "changed" | "renamed";
  entityType: EntityKind;
  id: string;
  name: string;
  previousName?: string;
  /** What changed, in words; for an added entity, what it was set up with. */
  sentences: string[];
};

type Keyed = Map<string, { name: string; value: EntityValue }>;

function keyed<T extends { id: string; name: string }>(items: T[], shape: (item: T) => EntityValue = (item) => item): Keyed {
  return new Map(items.map((item) => [item.id, { name: item.name, value: shape(item) }]));
}

function entities(s: Snapshot): Record<EntityKind, Keyed> {
  return {
    site: new Map([["site", { name: s.site.name, value: { hostnames: s.site.hostnames, defaultCurrency: s.site.defaultCurrency } }]]),
    region: new Map(s.site.regions.map((r) => [r.code, { name: r.code, value: { countries: r.countries, rules: r.rules, currency: r.currency, consentDefault: r.consentDefault, title: r.name } }])),
    plan_event: keyed(s.planEvents),
    event: keyed(s.events),
    trigger: keyed(s.triggers),
    variable: keyed(s.variables),
    destination: keyed(s.destinations),
  };
}

/** Every name a snapshot's references may point to (the newer side wins). */
export function snapshotNames(...snapshots: (Snapshot | null)[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const s of snapshots) {
    if (!s) continue;
    for (const item of [...s.triggers, ...s.variables, ...s.events, ...s.destinations]) names.set(item.id, item.name);
  }
  return names;
}

const ORDER: EntityKind[] = ["site", "region", "plan_event", "event", "trigger", "variable", "destination"];

/**
 * What changed from `before` to `after`; null is "nothing" (e.g. before the first
 * publish). `people` names the members that own items (user id → name).
 */
export function diffSnapshots(before: Snapshot | null, after: Snapshot | null, people: Names = new Map()): DiffEntry[] {
  const a = before ? entities(before) : null;
  const b = after ? entities(after) : null;
  const names: Names = new Map([...people, ...snapshotNames(before, after)]);
  const entries: DiffEntry[] = [];
  for (const type of ORDER) {
    const from: Keyed = a?.[type] ?? new Map();
    const to: Keyed = b?.[type] ?? new Map();
    for (const [id, item] of to) {
      const old = from.get(id);
      if (!old) {
        entries.push({ change: "added", entityType: type, id, name: item.name, sentences: describeEntityChange(type, {}, item.value, names) });
        continue;
      }
      const sentences = describeEntityChange(type, { ...old.value, name: old.name }, { ...item.value, name: item.name }, names);
      if (sentences.length === 0) continue;
      const renamed = old.name !== item.name;
      entries.push({ change: renamed ? "renamed" : "changed", entityType: type, id, name: item.name, ...(renamed ? { previousName: old.name } : {}), sentences });
    }
    for (const [id, item] of from) {
      if (!to.has(id)) entries.push({ change: "removed", entityType: type, id, name: item.name, sentences: [] });
    }
  }
  return entries;
}
