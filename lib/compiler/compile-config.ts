// A published version's snapshot → the runtime configuration of one environment. Pure.
// Only what the browser needs goes in: public ids, never secrets; only enabled events;
// only destinations that fire in the browser.
import type { Snapshot } from "../versions/snapshot";
import type { RuntimeConfig, RuntimeDestination, RuntimeTrigger, RuntimeVariable } from "./runtime-config";

/** Platforms with a browser-side call; webhooks are server-side only. */
const BROWSER_PLATFORMS = new Set(["meta", "tiktok", "ga4", "google_ads", "image_pixel"]);

export type CompileTarget = {
  environment: { publicKey: string; name: string; kind: string };
  version: number;
  /** absolute collector URL, e.g. https://tags.example.com/api/collect */
  collectUrl: string;
  /** absolute URL of the preview panel script, e.g. https://tags.example.com/c/preview.js */
  previewUrl: string;
};

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/**
 * Entity ids are 25-character cuids referenced many times over (triggers by events,
 * variables by mappings, events by destinations): in the script each becomes a short
 * local id (t0, v3, e1…). Only references inside the script use them.
 */
function shortIds(s: Snapshot): (id: string) => string {
  const map = new Map<string, string>();
  const add = (prefix: string, items: { id: string }[]) => items.forEach((x, i) => map.set(x.id, `${prefix}${i.toString(36)}`));
  add("t", s.triggers);
  add("v", s.variables);
  add("e", s.events);
  add("d", s.destinations);
  return (id) => map.get(id) ?? id;
}

export function compileConfig(snapshot: Snapshot, target: CompileTarget): RuntimeConfig {
  const short = shortIds(snapshot);
  const s: Snapshot = {
    ...snapshot,
    triggers: snapshot.triggers.map((t) => ({
      ...t,
      id: short(t.id),
      blockingTriggerIds: t.blockingTriggerIds.map(short),
      conditions: t.conditions.map((c) => (c.source === "variable" && typeof c.key === "string" ? { ...c, key: short(c.key) } : c)),
    })),
    variables: snapshot.variables.map((v) => ({ ...v, id: short(v.id), ...(typeof v.inputVariableId === "string" ? { inputVariableId: short(v.inputVariableId) } : {}) })),
    events: snapshot.events.map((e) => ({ ...e, id: short(e.id), triggerIds: e.triggerIds.map(short), mappings: Object.fromEntries(Object.entries(e.mappings).map(([k, v]) => [k, short(v)])) })),
    destinations: snapshot.destinations.map((d) => ({ ...d, id: short(d.id), events: d.events.map((e) => ({ ...e, eventId: short(e.eventId) })) })),
  };
  const plans = new Map(s.planEvents.map((p) => [p.id, p]));
  const events = s.events.filter((e) => e.enabled);
  const eventIds = new Set(events.map((e) => e.id));

  const variables: RuntimeVariable[] = s.variables.map((v) => ({
    id: v.id,
    name: v.name,
    kind: v.kind,
    ...(str(v.path) ? { path: v.path as string } : {}),
    ...(str(v.key) ? { key: v.key as string } : {}),
    ...(str(v.selector) ? { selector: v.selector as string } : {}),
    ...(str(v.attribute) ? { attribute: v.attribute as string } : {}),
    ...(typeof v.value === "string" ? { value: v.value } : {}),
    ...(str(v.inputVariableId) ? { input: v.inputVariableId as string } : {}),
    ...(Array.isArray(v.entries) ? { entries: (v.entries as { key: string; value: string }[]).map((e) => [e.key, e.value] as [string, string]) } : {}),
    coerce: (v.coerce as string) ?? "auto",
    ...(typeof v.defaultValue === "string" ? { default: v.defaultValue } : {}),
  }));

  const triggers: RuntimeTrigger[] = s.triggers.map((t) => ({
    id: t.id,
    name: t.name,
    type: t.type,
    ...(str(t.eventName) ? { eventName: t.eventName as string } : {}),
    ...(str(t.selector) ? { selector: t.selector as string } : {}),
    conditions: t.conditions.map((c) => {
      const cond = c as { source: string; key?: string; operator: string; value: string; negate?: boolean; ignoreCase?: boolean };
      return { source: cond.source, ...(cond.key ? { key: cond.key } : {}), op: cond.operator, value: cond.value, not: !!cond.negate, i: !!cond.ignoreCase };
    }),
    limit: (t.fireLimit as string) ?? "every_time",
    blockers: t.blockingTriggerIds,
  }));

  const destinations: RuntimeDestination[] = s.destinations
    .filter((d) => BROWSER_PLATFORMS.has(d.platform))
    .map((d) => ({
      id: d.id,
      name: d.name,
      platform: d.platform,
      ids: d.ids,
      events: Object.fromEntries(
        d.events
          .filter((e) => eventIds.has(e.eventId))
          .map((e) => {
            const event = events.find((x) => x.id === e.eventId)!;
            const plan = plans.get(event.planEventId);
            const platformKey = d.platform === "image_pixel" ? "" : d.platform;
            // The most specific name wins: destination, then site override, then plan.
            const name = e.name || event.platformNames[platformKey] || plan?.platformNames[platformKey] || event.name;
            return [e.eventId, name];
          }),
      ),
      regions: d.regions,
      browser: true,
    }));

  return {
    v: 1,
    container: { id: s.container.id, name: s.container.name, version: target.version },
    environment: { key: target.environment.publicKey, name: target.environment.name, kind: target.environment.kind, production: target.environment.kind === "production" },
    collectUrl: target.collectUrl,
    previewUrl: target.previewUrl,
    site: { hostnames: s.site.hostnames, currency: s.site.defaultCurrency },
    regions: s.site.regions.map((r) => ({ code: r.code, countries: r.countries, rules: r.rules, currency: r.currency, consent: r.consentDefault })),
    variables,
    triggers,
    events: events.map((e) => {
      const plan = plans.get(e.planEventId);
      return {
        id: e.id,
        name: e.name,
        triggers: e.triggerIds,
        mappings: e.mappings,
        required: (plan?.parameters ?? []).filter((p) => p.required).map((p) => p.name),
        types: Object.fromEntries((plan?.parameters ?? []).map((p) => [p.name, p.type])),
        platformNames: { ...(plan?.platformNames ?? {}), ...e.platformNames },
      };
    }),
    destinations,
  };
}
