// A published version's snapshot → the runtime configuration of one environment, and the
// names its preview panel shows. Pure. Only what the browser acts on goes in: public ids,
// never secrets; only enabled events; only destinations that fire in the browser; every
// reference as a position (see runtime-config.ts for the format).
import type { Snapshot } from "../versions/snapshot";
import { nameAtDestination } from "../versions/names";
import { META_STANDARD_EVENTS } from "../platforms/meta";
import { platformOf } from "../platforms/registry";
import { builtinRef, builtinsUsed, type Builtin } from "../config/builtins";
import {
  Coerce,
  IGNORE_CASE,
  Limit,
  NEGATE,
  Op,
  Platform,
  Source,
  TriggerType,
  VariableKind,
  type RuntimeCondition,
  type RuntimeConfig,
  type RuntimeDestination,
  type RuntimeEvent,
  type RuntimeNames,
  type RuntimeRegion,
  type RuntimeTrigger,
  type RuntimeVariable,
} from "./runtime-config";

export type CompileTarget = {
  environment: { publicKey: string; name: string; kind: string };
  /** absolute collector URL, e.g. https://tags.example.com/api/collect */
  collectUrl: string;
  /** absolute URL of this version's preview panel, e.g. https://tags.example.com/c/<key>.3.preview.js */
  previewUrl: string;
  /** the tags script's URL and SRI value (publish-script.ts builds it from the configuration's features) */
  tags?: [url: string, integrity: string];
};

/** Meta's standard events go with trackSingle, any other name with trackSingleCustom. */
const META_STANDARD = new Set(META_STANDARD_EVENTS);

/**
 * The destinations a script carries: those with a browser-side call (webhooks are
 * server-side only), less those set to report from the server only.
 */
/** The config's serverIds element, when server-only GA4 or Google Ads destinations exist. */
function serverIds(s: Snapshot): [NonNullable<RuntimeConfig[10]>] | [] {
  const server = s.destinations.filter((d) => d.deliveryMode === "server");
  const ga4 = server.find((d) => d.platform === "ga4");
  const ads = server.some((d) => d.platform === "google_ads");
  if (!ga4 && !ads) return [];
  const ids: NonNullable<RuntimeConfig[10]> = [ga4 ? (ga4.ids[platformOf("ga4")?.tag?.idKey ?? ""] ?? "") : ""];
  if (ads) ids.push(1);
  return [ids];
}

/** The configuration's optional end: server-only ids, then the tags script (null standing for no ids before it). */
function tail(ids: [NonNullable<RuntimeConfig[10]>] | [], tags: RuntimeConfig[11]): [] | [RuntimeConfig[10]] | [RuntimeConfig[10], RuntimeConfig[11]] {
  return tags ? [ids[0] ?? null, tags] : ids;
}

function browserDestinations(s: Snapshot) {
  return s.destinations.filter((d) => code(Platform, d.platform) >= 0 && d.deliveryMode !== "server");
}

/** An enum's code for a draft name; -1 for a name this runtime does not know (it never matches). */
function code<E extends Record<string, string | number>>(e: E, name: unknown, fallback = -1): number {
  // Only member names map to numbers (the reverse entries and inherited keys do not).
  const c = typeof name === "string" ? e[name] : undefined;
  return typeof c === "number" ? c : fallback;
}

/** Positions by id; -1 for a dangling reference (it never matches, as before compilation). */
function positions(items: { id: string }[]): (id: unknown) => number {
  const map = new Map(items.map((x, i) => [x.id, i]));
  return (id) => (typeof id === "string" ? (map.get(id) ?? -1) : -1);
}

/**
 * Drops trailing positions left at their default (undefined, null, an empty list), down to
 * `min` positions: the runtime reads a missing position as its default.
 */
export function trim<T extends unknown[]>(t: T, min: number): T {
  while (t.length > min) {
    const last = t[t.length - 1];
    if (last === undefined || last === null || (Array.isArray(last) && !last.length)) t.pop();
    else break;
  }
  return t;
}

const text = (v: unknown): string => (typeof v === "string" ? v : "");

/**
 * The built-in variables the configuration uses (enabled events' mappings, conditions on a
 * variable), appended after the team's variables: a container carries only those.
 */
function builtinsOf(s: Snapshot): Builtin[] {
  return builtinsUsed([
    ...s.events.filter((e) => e.enabled).flatMap((e) => Object.values(e.mappings)),
    ...s.triggers.flatMap((t) => t.conditions.flatMap((c) => (c.source === "variable" && typeof c.key === "string" ? [c.key] : []))),
  ]);
}

function builtinVariable({ read }: Builtin): RuntimeVariable {
  if (read.from === "page") return [VariableKind.page, Coerce.auto, read.path];
  if (read.from === "element") return trim([VariableKind.element, Coerce.auto, read.property, read.closest], 3);
  return [VariableKind.data_layer, code(Coerce, read.coerce ?? "auto", Coerce.auto), read.path];
}

export function compileConfig(s: Snapshot, target: CompileTarget): RuntimeConfig {
  const regionAt = positions(s.site.regions.map((r) => ({ id: r.code })));
  const builtins = builtinsOf(s);
  const variableAt = positions([...s.variables, ...builtins.map((b) => ({ id: builtinRef(b.key) }))]);
  const triggerAt = positions(s.triggers);
  const events = s.events.filter((e) => e.enabled);
  const eventAt = positions(events);
  const plans = new Map(s.planEvents.map((p) => [p.id, p]));

  const regions = s.site.regions.map((r): RuntimeRegion => [
    r.code,
    r.countries,
    // A wildcard hostname (*.example.com) becomes its suffix (.example.com).
    r.rules.map((x) => trim([(x.hostname ?? "").replace(/^\*\./, "."), x.pathPrefix || undefined] as [string, string?], 1)),
    r.currency,
    r.consentDefault === "denied" ? 1 : 0,
  ]);

  const own = s.variables.map((v): RuntimeVariable => {
    const kind = code(VariableKind, v.kind);
    const arg =
      kind === VariableKind.data_layer ? text(v.path)
      : kind === VariableKind.url_query || kind === VariableKind.cookie ? text(v.key)
      : kind === VariableKind.dom ? text(v.selector)
      : kind === VariableKind.lookup ? variableAt(v.inputVariableId)
      : typeof v.value === "string" ? v.value : null;
    const arg2 =
      kind === VariableKind.dom ? text(v.attribute) || null
      : kind === VariableKind.lookup && Array.isArray(v.entries) ? (v.entries as { key: string; value: string }[]).map((e) => [e.key, e.value] as [string, string])
      : null;
    return trim([kind, code(Coerce, v.coerce ?? "auto", Coerce.auto), arg, arg2, typeof v.defaultValue === "string" && v.defaultValue !== "" ? v.defaultValue : undefined], 3);
  });
  const variables = [...own, ...builtins.map(builtinVariable)];

  const triggers = s.triggers.map((t): RuntimeTrigger => {
    const type = code(TriggerType, t.type);
    const match = type === TriggerType.data_layer_event ? t.eventName : type === TriggerType.click || type === TriggerType.form_submit ? t.selector : undefined;
    const conditions = t.conditions.map((c): RuntimeCondition => {
      const source = code(Source, c.source);
      const key = source === Source.variable ? variableAt(c.key) : source === Source.data_layer ? text(c.key) : undefined;
      return trim([source, code(Op, c.operator), text(c.value), (c.negate ? NEGATE : 0) | (c.ignoreCase ? IGNORE_CASE : 0), key], 4);
    });
    const limit = code(Limit, t.fireLimit ?? "every_time", Limit.every_time);
    const blockers = t.blockingTriggerIds.map(triggerAt).filter((i) => i >= 0);
    return trim([type, typeof match === "string" && match !== "" ? match : null, conditions, limit || undefined, blockers], 2);
  });

  const compiledEvents = events.map((e): RuntimeEvent => {
    const parameters = plans.get(e.planEventId)?.parameters ?? [];
    const mappings = Object.fromEntries(
      Object.entries(e.mappings)
        .map(([param, id]) => [param, variableAt(id)] as const)
        .filter(([, at]) => at >= 0),
    );
    const required = parameters.filter((p) => p.required).map((p) => p.name);
    const types = parameters.length ? Object.fromEntries(parameters.map((p) => [p.name, p.type])) : undefined;
    return trim([e.name, e.triggerIds.map(triggerAt).filter((i) => i >= 0), mappings, required, types], 3);
  });

  const destinations = browserDestinations(s).map((d): RuntimeDestination => {
    const platform: Platform = code(Platform, d.platform);
    // A platform without names of its own (an image pixel) gets the plan's.
    const platformKey = platformOf(d.platform)?.names ? d.platform : "";
    const names: (string | 0)[] = events.map(() => 0);
    for (const x of d.events) {
      const at = eventAt(x.eventId);
      if (at < 0) continue;
      const event = events[at];
      names[at] = nameAtDestination(event, plans.get(event.planEventId), platformKey, x.name);
    }
    while (names.length && names[names.length - 1] === 0) names.pop();
    const tag = platformOf(d.platform)?.tag;
    const extra =
      tag?.extraKey ? (d.ids[tag.extraKey] ?? "")
      : platform === Platform.meta ? names.flatMap((n, i) => (n && !META_STANDARD.has(n) ? [i] : []))
      : undefined;
    // A name equal to the event's own is sent as 1: one byte instead of the name again.
    const own = names.map((n, i) => (n === events[i].name ? 1 : n));
    return trim([platform, own, d.regions ? d.regions.map(regionAt).filter((i) => i >= 0) : null, d.ids[tag?.idKey ?? ""] ?? "", extra], 4);
  });

  return [
    target.environment.publicKey,
    target.environment.kind === "production" ? 1 : 0,
    target.collectUrl,
    target.previewUrl,
    s.site.defaultCurrency,
    regions,
    variables,
    triggers,
    compiledEvents,
    destinations,
    ...tail(serverIds(s), target.tags),
  ];
}

/** The names the preview panel shows for the positions in compileConfig's output. */
export function compileNames(s: Snapshot, target: { environment: { name: string }; version: number }): RuntimeNames {
  return {
    container: s.container.name,
    version: target.version,
    environment: target.environment.name,
    triggers: s.triggers.map((t) => t.name),
    variables: [...s.variables.map((v) => v.name), ...builtinsOf(s).map((b) => b.label)],
    destinations: browserDestinations(s).map((d) => d.name),
  };
}
