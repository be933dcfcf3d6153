// Changes in words: what changed in one trigger, variable, event, destination, site,
// region or plan event, as sentences a marketer reads — names instead of ids, labels
// instead of field paths, "replaced" instead of a secret, nothing about fields that did
// not change. The one describer behind the version diff and the audit log.
// Pure (client-safe): the unit tests feed it a table of cases.
import { BUILTINS, builtinRef } from "../config/builtins";
import { platformOf } from "../platforms/registry";

export type EntityKind = "site" | "region" | "plan_event" | "event" | "trigger" | "variable" | "destination";
/** id → name of the triggers, variables, events and people a value refers to. */
export type Names = ReadonlyMap<string, string>;
/** One entity's settings, flat: name, description, ownerId and its definition's fields. */
export type EntityValue = Record<string, unknown>;

type Describe = (a: EntityValue, b: EntityValue, names: Names) => string[];

const OPERATORS: Record<string, [string, string]> = {
  equals: ["equals", "does not equal"],
  contains: ["contains", "does not contain"],
  starts_with: ["starts with", "does not start with"],
  ends_with: ["ends with", "does not end with"],
  regex: ["matches the pattern", "does not match the pattern"],
  lt: ["less than", "not less than"],
  lte: ["at most", "more than"],
  gt: ["greater than", "not greater than"],
  gte: ["at least", "less than"],
};
const SOURCES: Record<string, string> = { page_url: "page URL", page_path: "page path", hostname: "hostname", data_layer: "data layer", variable: "variable", region: "region" };
const TRIGGER_TYPES: Record<string, string> = { data_layer_event: "data layer event", page_view: "page view", history_change: "history change", click: "click", form_submit: "form submit" };
const FIRE_LIMITS: Record<string, string> = { every_time: "every time", once_per_page: "once per page", once_per_event_id: "once per event id" };
const VARIABLE_KINDS: Record<string, string> = { data_layer: "data layer value", url_query: "URL query parameter", cookie: "cookie", dom: "page element", constant: "constant", lookup: "lookup table" };
const DELIVERY_MODES: Record<string, string> = { browser: "the browser tag only", server: "the server API only", browser_fill_in: "the browser tag, the server API filling in" };
const NON_PRODUCTION: Record<string, string> = { test: "sent as test events", hold: "held back" };

const isEmpty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && Object.keys(v).length === 0);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null) || (isEmpty(a) && isEmpty(b));
const text = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const clip = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A value in words: never JSON, never `null`. */
export function words(v: unknown): string {
  if (isEmpty(v)) return "none";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return v.map(words).join(", ");
  if (typeof v === "object") return Object.entries(v as Record<string, unknown>).filter(([, x]) => !isEmpty(x)).map(([k, x]) => `${humanKey(k)} ${words(x)}`).join(", ");
  return clip(String(v));
}

/** camelCase or snake_case → words ("testEventCode" → "test event code"). */
export function humanKey(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
}

/** "label: a → b", or "label set to b" / "label cleared (was a)" when one side is empty. */
export function fromTo(label: string, a: unknown, b: unknown, show: (v: unknown) => string = words): string[] {
  if (same(a, b)) return [];
  if (isEmpty(a)) return [`${label} set to ${show(b)}`];
  if (isEmpty(b)) return [`${label} cleared (was ${show(a)})`];
  return [`${label}: ${show(a)} → ${show(b)}`];
}

/** "label: added x, y; removed z" for a set-like list. */
function listChange(label: string, a: unknown, b: unknown, show: (v: unknown) => string = words): string[] {
  const before = list(a).map(show);
  const after = list(b).map(show);
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  const parts = [added.length ? `added ${added.join(", ")}` : "", removed.length ? `removed ${removed.join(", ")}` : ""].filter(Boolean);
  return parts.length ? [`${label}: ${parts.join("; ")}`] : [];
}

/** Built-in variables (lib/config/builtins.ts) by their reference, as the mapping dropdowns name them. */
const BUILTIN_NAMES: Names = new Map(BUILTINS.map((b) => [builtinRef(b.key), `${b.label} (built-in)`]));

function nameOf(names: Names, kind: string) {
  return (id: unknown) => names.get(text(id)) ?? BUILTIN_NAMES.get(text(id)) ?? `a deleted ${kind}`;
}

/** A condition as it reads in the editor: "data layer ecommerce.value greater than 10". */
export function conditionWords(c: Record<string, unknown>, names: Names): string {
  return `${conditionSubject(c, names)} ${conditionTest(c)}`;
}
function conditionSubject(c: Record<string, unknown>, names: Names): string {
  const source = text(c.source);
  if (source === "variable") return `variable ${nameOf(names, "variable")(c.key)}`;
  if (source === "data_layer") return `data layer ${text(c.key)}`;
  return SOURCES[source] ?? humanKey(source);
}
function conditionTest(c: Record<string, unknown>): string {
  const [yes, no] = OPERATORS[text(c.operator)] ?? [humanKey(text(c.operator)), `not ${humanKey(text(c.operator))}`];
  return `${c.negate ? no : yes} ${text(c.value) === "" ? "(empty)" : clip(text(c.value))}${c.ignoreCase ? " (any case)" : ""}`;
}

/** Conditions compared by position when their number is the same, else by content. */
function conditionChanges(a: unknown, b: unknown, names: Names): string[] {
  const before = list(a).map(record);
  const after = list(b).map(record);
  const out: string[] = [];
  if (before.length === after.length) {
    before.forEach((c, i) => {
      const d = after[i];
      if (same(c, d)) return;
      const subject = conditionSubject(c, names);
      out.push(
        subject === conditionSubject(d, names)
          ? `condition ${i + 1} — ${subject} ${conditionTest(c)} → ${conditionTest(d)}`
          : `condition ${i + 1} — ${conditionWords(c, names)} → ${conditionWords(d, names)}`,
      );
    });
    return out;
  }
  const key = (c: Record<string, unknown>) => JSON.stringify(c);
  before.forEach((c, i) => {
    if (!after.some((d) => key(d) === key(c))) out.push(`condition ${i + 1} removed: ${conditionWords(c, names)}`);
  });
  after.forEach((d, i) => {
    if (!before.some((c) => key(c) === key(d))) out.push(`condition ${i + 1} added: ${conditionWords(d, names)}`);
  });
  return out;
}

function mappingLabel(param: string) {
  return param.startsWith("user_data.") ? `user data ${humanKey(param.slice(10))}` : `parameter ${param}`;
}

function mappingChanges(a: unknown, b: unknown, names: Names): string[] {
  const before = record(a);
  const after = record(b);
  const variable = nameOf(names, "variable");
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((k) => {
    if (same(before[k], after[k])) return [];
    if (isEmpty(before[k])) return [`${mappingLabel(k)} mapped to ${variable(after[k])}`];
    if (isEmpty(after[k])) return [`${mappingLabel(k)} no longer mapped (was ${variable(before[k])})`];
    return [`${mappingLabel(k)}: ${variable(before[k])} → ${variable(after[k])}`];
  });
}

function platformLabel(key: string) {
  return platformOf(key)?.name ?? humanKey(key);
}

function platformNameChanges(a: unknown, b: unknown): string[] {
  const before = record(a);
  const after = record(b);
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].sort().flatMap((k) => fromTo(`name at ${platformLabel(k)}`, before[k], after[k]));
}

function ownerChanges(a: EntityValue, b: EntityValue, names: Names): string[] {
  const person = (id: unknown) => (isEmpty(id) ? "nobody" : (names.get(text(id)) ?? "a former member"));
  return same(a.ownerId, b.ownerId) ? [] : [`owner: ${person(a.ownerId)} → ${person(b.ownerId)}`];
}

function common(a: EntityValue, b: EntityValue, names: Names): string[] {
  return [
    ...(same(a.name, b.name) || isEmpty(a.name) ? [] : [`renamed from ${text(a.name)} to ${text(b.name)}`]),
    ...fromTo("description", a.description, b.description, (v) => `“${clip(text(v), 60)}”`),
    ...ownerChanges(a, b, names),
  ];
}

const trigger: Describe = (a, b, names) => [
  ...fromTo("type", TRIGGER_TYPES[text(a.type)] ?? a.type, TRIGGER_TYPES[text(b.type)] ?? b.type),
  ...fromTo("data layer event", a.eventName, b.eventName),
  ...fromTo("CSS selector", a.selector, b.selector),
  ...conditionChanges(a.conditions, b.conditions, names),
  ...(same(a.fireLimit ?? "every_time", b.fireLimit ?? "every_time") ? [] : fromTo("fires", FIRE_LIMITS[text(a.fireLimit)], FIRE_LIMITS[text(b.fireLimit)])),
  ...listChange("blocking triggers", a.blockingTriggerIds, b.blockingTriggerIds, nameOf(names, "trigger")),
];

function lookupChanges(a: unknown, b: unknown): string[] {
  const before = new Map(list(a).map((e) => [text(record(e).key), text(record(e).value)]));
  const after = new Map(list(b).map((e) => [text(record(e).key), text(record(e).value)]));
  const out: string[] = [];
  for (const [k, v] of after) {
    if (!before.has(k)) out.push(`lookup row ${k} → ${v} added`);
    else if (before.get(k) !== v) out.push(`lookup row ${k}: ${before.get(k)} → ${v}`);
  }
  for (const [k, v] of before) if (!after.has(k)) out.push(`lookup row ${k} → ${v} removed`);
  return out;
}

const variable: Describe = (a, b, names) => {
  const kind = text(b.kind || a.kind);
  const keyLabel = kind === "cookie" ? "cookie name" : "query parameter";
  return [
    ...fromTo("reads", VARIABLE_KINDS[text(a.kind)] ?? a.kind, VARIABLE_KINDS[text(b.kind)] ?? b.kind),
    ...fromTo("data layer path", a.path, b.path),
    ...fromTo(keyLabel, a.key, b.key),
    ...fromTo("CSS selector", a.selector, b.selector),
    ...(same(a.attribute, b.attribute) ? [] : [`reads ${isEmpty(a.attribute) ? "the text" : `attribute ${text(a.attribute)}`} → ${isEmpty(b.attribute) ? "the text" : `attribute ${text(b.attribute)}`}`]),
    ...fromTo("constant value", a.value, b.value),
    ...fromTo("looks up", isEmpty(a.inputVariableId) ? null : nameOf(names, "variable")(a.inputVariableId), isEmpty(b.inputVariableId) ? null : nameOf(names, "variable")(b.inputVariableId)),
    ...lookupChanges(a.entries, b.entries),
    ...(same(a.coerce ?? "auto", b.coerce ?? "auto") ? [] : [`type: ${text(a.coerce || "auto")} → ${text(b.coerce || "auto")}`]),
    ...fromTo("default value", a.defaultValue, b.defaultValue),
  ];
};

const event: Describe = (a, b, names) => [
  ...listChange("triggers", a.triggerIds, b.triggerIds, nameOf(names, "trigger")),
  ...mappingChanges(a.mappings, b.mappings, names),
  ...platformNameChanges(a.platformNames, b.platformNames),
  ...(same(a.enabled ?? true, b.enabled ?? true) ? [] : [b.enabled === false ? "turned off" : "turned on"]),
];

function secretChanges(a: EntityValue, b: EntityValue): string[] {
  const platform = platformOf(text(b.platform || a.platform));
  const label = (key: string) => platform?.secrets.find((s) => s.key === key)?.label ?? humanKey(key);
  const before = list(a.secretsSet).map(text);
  const after = list(b.secretsSet).map(text);
  const written = list(b.secretsWritten).map(text);
  return [
    ...after.filter((k) => !before.includes(k)).map((k) => `${label(k)} set`),
    ...written.filter((k) => before.includes(k) && after.includes(k)).map((k) => `${label(k)} replaced`),
    ...before.filter((k) => !after.includes(k)).map((k) => `${label(k)} cleared`),
  ];
}

function destinationEvents(a: unknown, b: unknown, names: Names): string[] {
  const event = nameOf(names, "event");
  const before = new Map(list(a).map((e) => [text(record(e).eventId), text(record(e).name)]));
  const after = new Map(list(b).map((e) => [text(record(e).eventId), text(record(e).name)]));
  const out: string[] = [];
  for (const [id, name] of after) {
    if (!before.has(id)) out.push(`sends ${event(id)}${name ? ` (as ${name})` : ""}`);
    else out.push(...fromTo(`name of ${event(id)} here`, before.get(id), name));
  }
  for (const id of before.keys()) if (!after.has(id)) out.push(`no longer sends ${event(id)}`);
  return out;
}

const destination: Describe = (a, b, names) => {
  const platform = platformOf(text(b.platform || a.platform));
  const idLabel = (key: string) => platform?.ids.find((f) => f.key === key)?.label ?? humanKey(key);
  const ids = (v: EntityValue) => record(v.ids);
  const keys = [...new Set([...Object.keys(ids(a)), ...Object.keys(ids(b))])];
  const regions = (v: unknown) => (v === null || v === undefined ? "everywhere" : list(v).length ? list(v).map(text).join(", ") : "nowhere");
  return [
    ...fromTo("platform", platformOf(text(a.platform))?.name ?? a.platform, platformOf(text(b.platform))?.name ?? b.platform),
    ...keys.flatMap((k) => fromTo(idLabel(k), ids(a)[k], ids(b)[k])),
    ...destinationEvents(a.events, b.events, names),
    ...(same(a.regions, b.regions) ? [] : [`regions: ${regions(a.regions)} → ${regions(b.regions)}`]),
    ...fromTo("test event code", a.testEventCode, b.testEventCode),
    ...(same(a.nonProduction ?? "test", b.nonProduction ?? "test") ? [] : [`non-production events: ${NON_PRODUCTION[text(a.nonProduction || "test")]} → ${NON_PRODUCTION[text(b.nonProduction || "test")]}`]),
    ...(same(a.deliveryMode, b.deliveryMode) ? [] : [`reported by ${DELIVERY_MODES[text(a.deliveryMode || "browser_fill_in")]} → ${DELIVERY_MODES[text(b.deliveryMode || "browser_fill_in")]}`]),
    ...secretChanges(a, b),
  ];
};

const site: Describe = (a, b) => [
  ...listChange("hostnames", a.hostnames, b.hostnames),
  ...fromTo("default currency", a.defaultCurrency, b.defaultCurrency),
  ...listChange("regions", a.regions, b.regions),
];

function ruleWords(r: unknown) {
  const rule = record(r);
  return [rule.hostname ? `hostname ${text(rule.hostname)}` : "", rule.pathPrefix ? `path starting ${text(rule.pathPrefix)}` : ""].filter(Boolean).join(" and ") || "any page";
}

const region: Describe = (a, b) => [
  ...fromTo("name", a.title, b.title),
  ...listChange("countries", a.countries, b.countries),
  ...listChange("rules", a.rules, b.rules, ruleWords),
  ...fromTo("currency", a.currency, b.currency),
  ...fromTo("consent by default", a.consentDefault, b.consentDefault),
];

function parameterKind(p: unknown) {
  const param = record(p);
  return `${text(param.type)}${param.required ? ", required" : ""}`;
}
const parameterWords = (p: unknown) => `${text(record(p).name)} (${parameterKind(p)})`;

const planEvent: Describe = (a, b) => {
  const before = new Map(list(a.parameters).map((p) => [text(record(p).name), p]));
  const after = new Map(list(b.parameters).map((p) => [text(record(p).name), p]));
  const out: string[] = [];
  for (const [name, p] of after) {
    if (!before.has(name)) out.push(`parameter ${parameterWords(p)} added`);
    else if (!same(before.get(name), p)) out.push(`parameter ${name}: ${parameterKind(before.get(name))} → ${parameterKind(p)}`);
  }
  for (const [name, p] of before) if (!after.has(name)) out.push(`parameter ${parameterWords(p)} removed`);
  return [...out, ...platformNameChanges(a.platformNames, b.platformNames)];
};

const DESCRIBERS: Record<EntityKind, Describe> = { site, region, plan_event: planEvent, event, trigger, variable, destination };

/**
 * What changed in one entity, in sentences. `before` empty: the entity was added, and
 * the sentences list what it was set up with.
 */
export function describeEntityChange(kind: EntityKind, before: EntityValue, after: EntityValue, names: Names): string[] {
  return [...common(before, after, names), ...DESCRIBERS[kind](before, after, names)];
}

/**
 * Fields of anything else (environments, members, tokens, alert rules…), in words:
 * labels from the keys, values in words, a replaced secret as "replaced".
 */
export function describeFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.flatMap((k) => {
    if (/(Rotated|Changed|Replaced)$/.test(k) && after[k] === true) return [`${humanKey(k.replace(/(Rotated|Changed|Replaced)$/, ""))} replaced`];
    if (/secret|token|password/i.test(k)) return same(before[k], after[k]) ? [] : [`${humanKey(k)} replaced`];
    return fromTo(humanKey(k), before[k], after[k]);
  });
}
