// GTM container → Tagpipe import file (lib/config/transfer.ts's format) and the report.
// Pure: the same file gives the same result, and nothing here reads the database. The
// steps, in order: built-in variables, variables, triggers, tags (each tag becomes a
// "hit": a platform, its ids, an event name and parameters), then hits are grouped into
// Tagpipe events (a standard GA4 event name becomes the preset of that name) and
// destinations (one per GA4 measurement id, Google Ads conversion, Meta pixel, TikTok
// pixel).
import type { ImportFile } from "../config/transfer";
import { presetByName } from "../config/presets";
import { PLATFORMS } from "../platforms/registry";
import type { Condition, TriggerDefinition, VariableDefinition } from "../schemas/config";
import { BUILTINS, builtinOf, builtinRef } from "../config/builtins";
import { patternProblem } from "../schemas/field-rules";
import { builtIn, describeBuiltIn, type BuiltIn } from "./builtins";
import { isTrue, param, table, type GtmCondition, type GtmContainer, type GtmTag, type GtmTrigger } from "./model";
import { LineBuilder, type ReportLine } from "./report";
import { loadedPixels, recognizeTag, type Hit } from "./tags";

export type Conversion = { file: ImportFile; report: ReportLine[] };

type VarResult = { tagpipe: string; def: VariableDefinition } | { builtIn: BuiltIn; name: string } | { refused: string };
type TriggerResult = { name: string; def: TriggerDefinition; eventName?: string; pageView: boolean } | { refused: string };

const REF = /^\{\{\s*([^{}]+?)\s*\}\}$/;
const PATH = /^[A-Za-z_$][\w$]*(\[\])?(\.[A-Za-z_$][\w$]*(\[\])?)*$/;
const OPERATORS: Record<string, Condition["operator"]> = {
  equals: "equals",
  contains: "contains",
  startsWith: "starts_with",
  endsWith: "ends_with",
  matchRegex: "regex",
  greater: "gt",
  greaterOrEquals: "gte",
  less: "lt",
  lessOrEquals: "lte",
};
/** GTM's built-in triggers: referenced by id, never listed in the file. All three are one page view in Tagpipe. */
const BUILT_IN_TRIGGERS: Record<string, string> = {
  "2147479553": "All Pages",
  "2147479572": "All Pages",
  "2147479573": "All Pages",
};
const INITIALIZATION: Record<string, string> = { "2147479572": "Consent Initialization - All Pages", "2147479573": "Initialization - All Pages" };
const SNAKE = /^[a-z][a-z0-9_]{0,39}$/;

/** A Tagpipe event name from any spelling: addToCart, Add To Cart, add-to-cart → add_to_cart. */
export function snakeCase(name: string): string {
  const s = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40);
  return /^[a-z]/.test(s) ? s : `e_${s}`.slice(0, 40);
}

/** A standard event's preset from the name some platform gives it (GA4 generate_lead → lead, Meta Purchase → purchase). */
export function presetFor(platform: keyof typeof PLATFORMS | "any", name: string): string | undefined {
  const platforms = platform === "any" ? (["ga4"] as const) : [platform];
  for (const p of platforms) {
    const names = PLATFORMS[p].names?.presets ?? {};
    const found = Object.entries(names).find(([, n]) => n === name);
    if (found) return found[0];
  }
  return presetByName(name) ? name : undefined;
}

/** Unique names within one kind of entity, at most 100 characters (Tagpipe's limit). */
class Names {
  private used = new Set<string>();
  take(wanted: string): string {
    const base = (wanted.trim() || "Unnamed").slice(0, 96);
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base} ${i}`;
    this.used.add(name);
    return name;
  }
}

export function convertGtm(container: GtmContainer): Conversion {
  const report: ReportLine[] = [];
  const variables: { name: string; description: string; def: VariableDefinition }[] = [];
  const variableNames = new Names();
  const varResults = new Map<string, VarResult>();
  const byDefinition = new Map<string, string>();

  /** Adds a Tagpipe variable, or answers the name of an identical one. */
  const addVariable = (wanted: string, def: VariableDefinition, description = "Imported from GTM"): string => {
    const key = JSON.stringify(def);
    const existing = byDefinition.get(key);
    if (existing) return existing;
    const name = variableNames.take(wanted);
    variables.push({ name, description, def });
    byDefinition.set(key, name);
    return name;
  };
  /** The file's own data-layer variable of `path` when it has one (whatever its default), else Tagpipe's built-in of that path, else a new one. */
  const dataLayerVariable = (path: string) => {
    const own = variables.find((v) => v.def.kind === "data_layer" && v.def.path === path)?.name;
    const catalogue = BUILTINS.find((b) => b.read.from === "data_layer" && b.read.path === path && !b.personal);
    return own ?? (catalogue ? builtinRef(catalogue.key) : addVariable(`DL ${path}`, { kind: "data_layer", path, coerce: "auto", defaultValue: null }));
  };
  /** The data-layer path a mapped variable reads (a file variable or a built-in), if any. */
  const pathOf = (ref: string) => {
    const b = builtinOf(ref);
    if (b) return b.read.from === "data_layer" ? b.read.path : undefined;
    const def = variables.find((x) => x.name === ref)?.def;
    return def?.kind === "data_layer" ? def.path : undefined;
  };

  // ---- built-in variables --------------------------------------------------------------
  for (const b of container.builtIns) {
    const known = builtIn(b.name) ?? builtIn(b.type);
    const line = new LineBuilder("built_in", b.type, b.name || b.type, b.type);
    if (!known) line.refuse(`GTM built-in ${b.type} has no Tagpipe equivalent`);
    else if (known.use.as === "none") line.refuse(describeBuiltIn(known));
    else {
      line.note(describeBuiltIn(known));
      const use = known.use;
      if (use.as === "source") line.line.becomes.push(`condition source: ${use.source}`);
      if (use.as === "event") line.line.becomes.push("trigger event name");
      if (use.as === "selector") line.line.becomes.push(`${use.of} selector`);
      if (known.builtin) line.line.becomes.push(`built-in: ${builtinRef(known.builtin)}`);
    }
    report.push(line.line);
  }

  // ---- variables -----------------------------------------------------------------------
  const lookups: typeof container.variables = [];
  for (const v of container.variables) {
    const line = new LineBuilder("variable", v.id, v.name, v.type);
    const p = v.parameter;
    const defaultValue = isTrue(param(p, "setDefaultValue")) ? (param(p, "defaultValue") ?? "") : null;
    let def: VariableDefinition | null = null;
    switch (v.type) {
      case "v": {
        const path = param(p, "name") ?? "";
        if (param(p, "dataLayerVersion") === "1") line.change("data layer version 1 (flat keys) is read as version 2 (nested paths): the key is the same unless it contains dots");
        if (!PATH.test(path)) line.refuse(`data layer path ${JSON.stringify(path)} is not one Tagpipe reads (e.g. a numeric index such as items.0.price: use items[].price)`);
        else def = { kind: "data_layer", path, coerce: "auto", defaultValue };
        break;
      }
      case "c": {
        const value = param(p, "value") ?? "";
        if (value.includes("{{")) line.refuse("a constant built from other variables: Tagpipe's constants are plain text");
        else def = { kind: "constant", value, coerce: "auto", defaultValue: null };
        break;
      }
      case "k": {
        const key = param(p, "name") ?? "";
        if (!key) line.refuse("the cookie's name is empty");
        else {
          if (param(p, "decodeCookie") !== "true") line.change("Tagpipe URI-decodes cookie values; GTM read this one undecoded");
          def = { kind: "cookie", key, coerce: "auto", defaultValue };
        }
        break;
      }
      case "u": {
        const component = (param(p, "component") ?? "URL").toLowerCase();
        const custom = param(p, "customUrlSource");
        if (custom && custom !== "false") {
          line.refuse("reads another variable's URL: Tagpipe's URL variables read the page's address");
        } else if (component === "query") {
          const key = param(p, "queryKey") ?? "";
          if (!key) line.refuse("a URL query variable without a key: Tagpipe reads one query parameter");
          else def = { kind: "url_query", key, coerce: "auto", defaultValue };
        } else if (component === "url" || component === "host" || component === "path") {
          const same = builtIn(component === "url" ? "Page URL" : component === "host" ? "Page Hostname" : "Page Path")!;
          varResults.set(v.name, { builtIn: same, name: v.name });
          line.change(`the same as GTM's ${same.name}: ${describeBuiltIn(same)}`).line.becomes.push(`condition source: ${(same.use as { source: string }).source}`, `built-in: ${builtinRef(same.builtin!)}`);
        } else line.refuse(`the URL's ${component} is not something Tagpipe reads`);
        break;
      }
      case "d": {
        const selectorType = (param(p, "selectorType") ?? "css").toLowerCase();
        const raw = param(p, "elementSelector") ?? param(p, "elementId") ?? "";
        const selector = selectorType === "id" ? `#${raw}` : raw;
        if (!raw) line.refuse("the DOM element variable names no element");
        else def = { kind: "dom", selector, attribute: param(p, "attributeName") || null, coerce: "auto", defaultValue: null };
        break;
      }
      case "smm":
      case "remm":
        lookups.push(v);
        continue;
      case "jsm":
        line.refuse("Custom JavaScript variables run code: Tagpipe's containers carry configuration only, never custom code");
        break;
      case "j":
        line.refuse("JavaScript (global) variables are not read by Tagpipe: push the value to the data layer instead");
        break;
      case "aev":
        line.refuse("auto-event variables: Tagpipe's click and form triggers match by CSS selector");
        break;
      default:
        line.refuse(`variable type ${JSON.stringify(v.type)} has no Tagpipe equivalent`);
    }
    if (def) {
      const name = addVariable(v.name, def);
      varResults.set(v.name, { tagpipe: name, def });
      line.line.becomes.push(`variable: ${name}`);
    } else if (line.refused) varResults.set(v.name, { refused: line.line.notes.at(-1) ?? "not importable" });
    report.push(line.line);
  }

  /** What a parameter's value refers to: a Tagpipe variable, plain text, or why neither. */
  const resolve = (value: string): { variable: string } | { literal: string } | { problem: string } => {
    const ref = REF.exec(value);
    if (ref) {
      const name = ref[1];
      const r = varResults.get(name);
      if (r && "tagpipe" in r) return { variable: r.tagpipe };
      if (r && "refused" in r) return { problem: `{{${name}}} is not importable (${r.refused})` };
      const b = r && "builtIn" in r ? r.builtIn : builtIn(name);
      if (b?.builtin) return { variable: builtinRef(b.builtin) };
      if (b) return { problem: `{{${name}}}: ${b.use.as === "none" ? b.use.why : "a built-in that Tagpipe reads in triggers, not as a value"}` };
      return { problem: `{{${name}}} is not defined in the file` };
    }
    if (value.includes("{{")) return { problem: `${JSON.stringify(value)} mixes text and variables: Tagpipe maps a parameter to one variable` };
    return { literal: value };
  };
  /** A parameter's value as a Tagpipe variable (plain text becomes a constant). */
  const asVariable = (value: string): { variable: string } | { problem: string } => {
    const r = resolve(value);
    if ("literal" in r) return { variable: addVariable(`Constant ${r.literal}`.slice(0, 60), { kind: "constant", value: r.literal, coerce: "auto", defaultValue: null }) };
    return r;
  };

  for (const v of lookups) {
    const line = new LineBuilder("variable", v.id, v.name, v.type);
    const input = resolve(param(v.parameter, "input") ?? "");
    const defaultValue = isTrue(param(v.parameter, "setDefaultValue")) ? (param(v.parameter, "defaultValue") ?? "") : null;
    const entries: { key: string; value: string }[] = [];
    for (const row of table(v.parameter, "map")) {
      let key = row.key ?? "";
      const value = row.value ?? "";
      if (value.includes("{{")) {
        line.change(`row ${JSON.stringify(key)} dropped: its output ${value} is a variable, and Tagpipe's lookup rows give plain text`);
        continue;
      }
      if (v.type === "remm") {
        const literal = /^\^?((?:[^\\^$.|?*+()[\]{}]|\\[\\^$.|?*+()[\]{}/-])*)\$?$/.exec(key);
        if (!literal) {
          line.change(`row ${JSON.stringify(key)} dropped: a regular expression; Tagpipe's lookup compares the whole value`);
          continue;
        }
        const exact = literal[1].replace(/\\(.)/g, "$1");
        if (!(key.startsWith("^") && key.endsWith("$")) && param(v.parameter, "fullMatch") !== "true") line.change(`row ${JSON.stringify(key)} matched part of the value in GTM; Tagpipe compares the whole value`);
        key = exact;
      }
      entries.push({ key, value });
    }
    if (v.type === "remm") line.change("a regex table becomes a lookup table: each pattern that is plain text is compared with the whole value");
    if ("problem" in input) line.refuse(`its input ${input.problem}`);
    else if ("literal" in input) line.refuse("its input is plain text, not a variable");
    else if (builtinOf(input.variable)) line.refuse(`its input is a built-in (${input.variable}): Tagpipe's lookups read a variable of the draft`);
    else if (!entries.length) line.refuse("no row could be kept");
    if (line.refused) {
      varResults.set(v.name, { refused: line.line.notes.at(-1)! });
    } else {
      const def: VariableDefinition = { kind: "lookup", inputVariableId: (input as { variable: string }).variable, entries: entries.slice(0, 200), coerce: "auto", defaultValue };
      const name = addVariable(v.name, def);
      varResults.set(v.name, { tagpipe: name, def });
      line.line.becomes.push(`variable: ${name}`);
    }
    report.push(line.line);
  }

  // ---- triggers ------------------------------------------------------------------------
  const triggerNames = new Names();
  const triggers = new Map<string, TriggerResult>();
  const triggerLines = new Map<string, LineBuilder>();
  for (const [id, name] of Object.entries(BUILT_IN_TRIGGERS)) {
    triggers.set(id, { name, def: { type: "page_view", conditions: [], fireLimit: "every_time", blockingTriggerIds: [] }, pageView: true });
  }
  for (const t of container.triggers) {
    const line = new LineBuilder("trigger", t.id, t.name, t.type);
    triggerLines.set(t.id, line);
    const result = convertTrigger(t, line, varResults);
    if ("refused" in result) triggers.set(t.id, result);
    else triggers.set(t.id, { ...result, name: triggerNames.take(t.name) });
    report.push(line.line);
  }
  const usedBuiltInTriggers = new Set<string>();

  // ---- tags → hits ---------------------------------------------------------------------
  const templates = new Map(container.templates.map((t) => [t.id, t]));
  const googleTagIds = new Map<string, string>();
  for (const tag of container.tags) {
    if (tag.type === "googtag" || tag.type === "gaawc") {
      const r = resolve(param(tag.parameter, tag.type === "googtag" ? "tagId" : "measurementId") ?? "");
      const value = "literal" in r ? r.literal : literalOfConstant(r, varResults);
      if (value) googleTagIds.set(tag.name, value);
    }
  }
  const pixels = loadedPixels(container.tags);
  const hits: (Hit & { tag: GtmTag; line: LineBuilder })[] = [];
  const tagLines: LineBuilder[] = [];
  for (const tag of container.tags) {
    const line = new LineBuilder("tag", tag.id, tag.name, tag.type);
    tagLines.push(line);
    if (tag.paused) {
      line.refuse("paused in GTM: it fires nowhere, so nothing is imported");
      continue;
    }
    const recognized = recognizeTag(tag, { templates, googleTagIds, pixels, constantOf: (value) => { const r = resolve(value); return "literal" in r ? r.literal : literalOfConstant(r, varResults); } });
    if ("refused" in recognized) {
      line.refuse(recognized.refused);
      continue;
    }
    for (const n of recognized.changes) line.change(n);
    for (const hit of recognized.hits) hits.push({ ...hit, tag, line });
    if (!recognized.hits.length) line.note("sets up the platform: its id is used by the destination of the tags that send events");
  }

  // ---- hits → events, trigger variants, destinations ------------------------------------
  type EventDraft = { name: string; triggers: string[]; mappings: Record<string, string>; platformNames: Record<string, string>; sources: string[] };
  const events = new Map<string, EventDraft>();
  const variants = new Map<string, { name: string; def: TriggerDefinition }>();
  const destinations = new Map<string, { name: string; platform: string; ids: Record<string, string>; events: { event: string; name?: string }[]; consent: Set<string> }>();

  // Tags that name their event first: a tag without one (Google Ads) then joins the event
  // that already fires on its trigger.
  const ordered = [...hits.filter((h) => h.event !== null), ...hits.filter((h) => h.event === null)];
  for (const hit of ordered) {
    const { tag, line } = hit;
    // The firing triggers that convert, each with this tag's blocking triggers and fire limit.
    const blocking: string[] = [];
    for (const id of tag.blockingTriggerIds) {
      const b = triggers.get(id);
      if (!b) line.change(`blocking trigger ${id} is not in the file: the tag fires without it`);
      else if ("refused" in b) line.change(`blocking trigger "${nameOfTrigger(container, id)}" is not importable (${b.refused}): the tag fires without it`);
      else blocking.push(b.name);
    }
    const fireLimit: TriggerDefinition["fireLimit"] = tag.firingOption === "oncePerLoad" ? "once_per_page" : "every_time";
    const firing: { name: string; result: Extract<TriggerResult, { name: string }> }[] = [];
    for (const id of tag.firingTriggerIds) {
      const t = triggers.get(id);
      if (!t) line.change(`firing trigger ${id} is not in the file`);
      else if ("refused" in t) line.change(`firing trigger "${nameOfTrigger(container, id)}" is not importable (${t.refused})`);
      else {
        if (BUILT_IN_TRIGGERS[id]) usedBuiltInTriggers.add(id);
        if (INITIALIZATION[id]) line.change(`"${INITIALIZATION[id]}" fires before other tags in GTM; in Tagpipe it is the page view (All Pages)`);
        const suffix = [blocking.length ? `unless ${blocking.join(", ")}` : "", fireLimit === "once_per_page" ? "once per page" : ""].filter(Boolean).join(", ");
        const name = suffix ? `${t.name} (${suffix})`.slice(0, 100) : t.name;
        if (suffix && !variants.has(name)) variants.set(name, { name, def: { ...t.def, fireLimit, blockingTriggerIds: blocking } });
        firing.push({ name, result: t });
      }
    }
    if (!firing.length) {
      line.refuse("none of its firing triggers can be imported, so it would never fire");
      continue;
    }
    if (fireLimit === "once_per_page") line.change("fires once per page: its trigger in Tagpipe carries the limit");

    // The Tagpipe event: the platform's standard name, else the data-layer event's, else its own name.
    const dlEvents = firing.map((f) => f.result.eventName).filter((e): e is string => !!e);
    const pageView = firing.every((f) => f.result.pageView);
    const preset =
      (hit.event ? presetFor(hit.platform, hit.event) : undefined) ??
      dlEvents.map((e) => presetFor("any", e)).find(Boolean) ??
      (!hit.event && pageView ? "page_view" : undefined);
    // Not a standard event: the data-layer event it fires on names it, so the tags of one
    // push (GA4's "newsletter", Meta's "Newsletter") become one Tagpipe event.
    const dlEvent = new Set(dlEvents).size === 1 ? snakeCase(dlEvents[0]) : undefined;
    const sameTrigger = hit.event === null && !preset && !dlEvent ? [...events.values()].find((e) => firing.every((f) => e.triggers.includes(f.name)))?.name : undefined;
    const name = preset ?? dlEvent ?? sameTrigger ?? snakeCase(hit.event ?? tag.name);
    if (!preset && !SNAKE.test(hit.event ?? "") && hit.event) line.change(`event ${JSON.stringify(hit.event)} is called ${name} in Tagpipe's tracking plan (names there are snake_case); ${PLATFORMS[hit.platform].name} still receives ${JSON.stringify(hit.event)}`);
    const event = events.get(name) ?? { name, triggers: [], mappings: {}, platformNames: {}, sources: [] };
    events.set(name, event);
    const before = event.triggers.length;
    for (const f of firing) if (!event.triggers.includes(f.name)) event.triggers.push(f.name);
    if (event.sources.length && event.triggers.length !== before) line.change(`the ${name} event now also fires on "${firing.map((f) => f.name).join(", ")}" for every destination of ${name} (Tagpipe fires an event's destinations together)`);
    event.sources.push(tag.name);
    line.line.becomes.push(`event: ${name}`);

    // Parameters.
    for (const [parameter, value] of hit.params) {
      const v = value.kind === "path" ? { variable: dataLayerVariable(value.path) } : asVariable(value.value);
      if ("problem" in v) {
        line.change(`parameter ${parameter} not mapped: ${v.problem}`);
        continue;
      }
      const current = event.mappings[parameter];
      if (current && current !== v.variable) line.change(`parameter ${parameter} keeps ${current} (from an earlier tag of ${name}); this tag read ${v.variable}`);
      else event.mappings[parameter] = v.variable;
      // GA4's items list: Tagpipe's content_ids read the items' ids.
      const itemsPath = parameter === "contents" && !event.mappings.content_ids ? pathOf(v.variable) : undefined;
      if (itemsPath && !itemsPath.includes("[]")) event.mappings.content_ids = dataLayerVariable(`${itemsPath}[].item_id`);
    }
    for (const dropped of hit.dropped) line.change(dropped);

    // The destination.
    const key = `${hit.platform}:${Object.values(hit.ids).join("/")}`;
    const label = PLATFORMS[hit.platform].name;
    const dest = destinations.get(key) ?? { name: `${label} ${Object.values(hit.ids).filter(Boolean).join(" ")}`.trim(), platform: hit.platform, ids: hit.ids, events: [], consent: new Set<string>() };
    destinations.set(key, dest);
    const standard = (presetByName(name)?.platformNames as Record<string, string> | undefined)?.[hit.platform] ?? name;
    const rename = hit.event && hit.event !== standard ? hit.event : undefined;
    if (!dest.events.some((e) => e.event === name)) dest.events.push({ event: name, ...(rename ? { name: rename } : {}) });
    line.line.becomes.push(`destination: ${dest.name}`);
    consentNotes(tag, hit.platform, line, dest.consent);
  }
  for (const line of tagLines) report.push(line.line);

  // Page-view tags of a platform whose other tags send events need no event of their own.
  const triggerList = [
    ...(usedBuiltInTriggers.size ? [triggers.get([...usedBuiltInTriggers][0]) as Extract<TriggerResult, { name: string }>] : []),
    ...container.triggers.map((t) => triggers.get(t.id)!).filter((t): t is Extract<TriggerResult, { name: string }> => "name" in t),
  ];
  for (const [id, line] of triggerLines) {
    const t = triggers.get(id)!;
    if ("name" in t) line.line.becomes.push(`trigger: ${t.name}`);
  }

  const planEvents = [...events.values()].map((e) => {
    const preset = presetByName(e.name);
    if (preset) return { name: preset.name, description: preset.description, parameters: preset.parameters, platformNames: preset.platformNames };
    return { name: e.name, description: `From GTM tags: ${e.sources.join(", ")}`.slice(0, 500), parameters: [], platformNames: {} };
  });
  for (const e of events.values()) {
    const preset = presetByName(e.name);
    const missing = (preset?.parameters ?? []).filter((p) => p.required && !e.mappings[p.name]).map((p) => p.name);
    if (missing.length) {
      const line = tagLines.find((l) => l.line.becomes.includes(`event: ${e.name}`));
      line?.change(`${e.name} needs ${missing.join(", ")}, which no tag of the file sets: map ${missing.length === 1 ? "it" : "them"} on the Events tab, or the event is refused as invalid`);
    }
  }

  const file: ImportFile = {
    format: "tagpipe.container",
    formatVersion: 1,
    container: container.publicId || container.name || undefined,
    planEvents,
    events: [...events.values()].map((e) => ({ event: e.name, description: `From GTM: ${e.sources.join(", ")}`.slice(0, 500), triggers: e.triggers.slice(0, 20), mappings: e.mappings, platformNames: e.platformNames, enabled: true })),
    triggers: [
      ...triggerList.map((t) => ({ name: t.name, description: "Imported from GTM", ...t.def })),
      ...[...variants.values()].map((v) => ({ name: v.name, description: "Imported from GTM (a tag's blocking triggers or fire limit)", ...v.def, blockingTriggers: v.def.blockingTriggerIds, blockingTriggerIds: undefined })),
    ].map(({ blockingTriggerIds: _b, ...t }) => {
      void _b;
      return t;
    }),
    variables: variables.map((v) => ({ name: v.name, description: v.description, ...v.def, ...(v.def.inputVariableId ? { inputVariable: v.def.inputVariableId, inputVariableId: undefined } : {}) })),
    destinations: [...destinations.values()].map((d) => ({
      name: d.name,
      description: d.consent.size ? `Imported from GTM. Consent the GTM tags required: ${[...d.consent].join(", ")}` : "Imported from GTM",
      platform: d.platform,
      ids: d.ids,
      events: d.events,
    })),
  };
  return { file, report };
}

function nameOfTrigger(container: GtmContainer, id: string): string {
  return container.triggers.find((t) => t.id === id)?.name ?? BUILT_IN_TRIGGERS[id] ?? id;
}

function literalOfConstant(r: { variable: string } | { problem: string }, vars: Map<string, VarResult>): string | undefined {
  if (!("variable" in r)) return undefined;
  for (const v of vars.values()) if ("tagpipe" in v && v.tagpipe === r.variable && v.def.kind === "constant") return v.def.value;
  return undefined;
}

/** GTM's consent checks beside Tagpipe's: every ad platform here waits for ad_storage consent. */
function consentNotes(tag: GtmTag, platform: keyof typeof PLATFORMS, line: LineBuilder, collected: Set<string>) {
  const needs = PLATFORMS[platform].consent;
  if (tag.consent.status !== "needed") {
    if (needs === "ads") line.note(`consent: Tagpipe sends to ${PLATFORMS[platform].name} only with the visitor's ad consent where the region asks for it (GTM had no extra check on this tag)`);
    return;
  }
  for (const t of tag.consent.types) collected.add(t);
  const other = tag.consent.types.filter((t) => t !== "ad_storage");
  if (other.length) line.change(`consent: GTM waited for ${tag.consent.types.join(", ")}; Tagpipe sends to ${PLATFORMS[platform].name} once the visitor grants ad consent (ad_storage), the one consent its destinations know`);
  else line.note("consent: ad_storage, as Tagpipe requires for this platform");
}

/** One GTM trigger as a Tagpipe trigger, or why not. */
function convertTrigger(t: GtmTrigger, line: LineBuilder, vars: Map<string, VarResult>): TriggerResult {
  const refuse = (why: string): TriggerResult => {
    line.refuse(why);
    return { refused: why };
  };
  const base = { conditions: [] as Condition[], fireLimit: "every_time" as const, blockingTriggerIds: [] as string[] };
  let def: TriggerDefinition;
  let eventName: string | undefined;
  let pageView = false;
  switch (t.type) {
    case "customEvent": {
      const [first, ...rest] = t.customEventFilter;
      if (!first || rest.length) return refuse("a custom event trigger names its event with exactly one condition in GTM; this one has " + t.customEventFilter.length);
      const literal = first.type === "equals" ? first.arg1 : first.type === "matchRegex" ? /^\^?([A-Za-z0-9_.-]+)\$?$/.exec(first.arg1)?.[1] : undefined;
      if (!literal) return refuse(`matches event names ${first.type === "matchRegex" ? `by the regular expression /${first.arg1}/` : `with ${first.type}`}: a Tagpipe trigger names one event (make one trigger per event)`);
      if (first.type === "matchRegex") {
        if (first.ignoreCase) line.change("the event name was matched ignoring case; Tagpipe matches it exactly");
        if (!first.arg1.startsWith("^") || !first.arg1.endsWith("$")) line.change(`the regular expression /${first.arg1}/ matched any event containing ${literal}; Tagpipe matches ${literal} exactly`);
        else line.change(`the regular expression /${first.arg1}/ is the event name ${literal}`);
      }
      eventName = literal;
      def = { ...base, type: "data_layer_event", eventName };
      break;
    }
    case "pageview":
      pageView = true;
      def = { ...base, type: "page_view" };
      break;
    case "domReady":
    case "windowLoaded":
      pageView = true;
      line.change(`a ${t.type === "domReady" ? "DOM Ready" : "Window Loaded"} trigger becomes a page view: Tagpipe has one page-load moment, when the container runs`);
      def = { ...base, type: "page_view" };
      break;
    case "click":
    case "linkClick":
      def = { ...base, type: "click", selector: t.type === "linkClick" ? "a" : "*" };
      break;
    case "formSubmission":
      def = { ...base, type: "form_submit", selector: "form" };
      break;
    case "historyChange":
      def = { ...base, type: "history_change" };
      break;
    case "timer":
      return refuse("timer triggers fire on a clock: Tagpipe's triggers fire on page views, data-layer events, clicks, form submissions and history changes");
    case "triggerGroup":
      return refuse("a trigger group fires once all its triggers have fired: Tagpipe has no trigger groups (give the tag each trigger instead)");
    case "scrollDepth":
    case "elementVisibility":
    case "youTubeVideo":
    case "jsError":
      return refuse(`${t.type} triggers have no Tagpipe equivalent: push a data-layer event from the page instead`);
    default:
      return refuse(`trigger type ${JSON.stringify(t.type)} has no Tagpipe equivalent`);
  }

  // Conditions: page and variable conditions stay conditions; click and form conditions make the selector.
  const selector: string[] = [];
  let css: string | null = null;
  for (const c of [...t.autoEventFilter, ...t.filter]) {
    const converted = convertCondition(c, vars, def.type);
    if ("problem" in converted) return refuse(`condition ${describeCondition(c)}: ${converted.problem}`);
    if ("condition" in converted) {
      if (def.conditions.length >= 20) return refuse("more than 20 conditions");
      def.conditions.push(converted.condition);
    } else if ("css" in converted) css = converted.css;
    else selector.push(converted.selector);
    for (const n of converted.notes ?? []) line.change(n);
  }
  if (def.type === "click" || def.type === "form_submit") {
    const root = def.type === "form_submit" ? "form" : t.type === "linkClick" ? "a" : "";
    const parts = selector.length ? root + selector.join("") : "";
    def.selector = css ? (parts ? `${parts}:is(${css})` : css) : parts || def.selector;
    if (def.selector === "*") line.change("fires on a click anywhere (GTM's All Elements): its selector is *");
    line.note(`matches ${def.type === "click" ? "clicks" : "submissions"} with the CSS selector ${def.selector}`);
    if (t.type === "formSubmission" && param(t.parameter, "checkValidation") === "true") line.change("GTM fired only for forms that passed validation; Tagpipe fires on the submit event");
  }
  return { name: t.name, def, eventName, pageView };
}

function describeCondition(c: GtmCondition): string {
  return `${c.negate ? "not " : ""}${c.arg0} ${c.type} ${JSON.stringify(c.arg1)}`;
}

type ConvertedCondition = ({ condition: Condition } | { selector: string } | { css: string } | { problem: string }) & { notes?: string[] };

function convertCondition(c: GtmCondition, vars: Map<string, VarResult>, triggerType: TriggerDefinition["type"]): ConvertedCondition {
  const ref = REF.exec(c.arg0)?.[1];
  if (!ref) return { problem: "its left side is not a variable" };
  if (c.arg1.includes("{{")) return { problem: "compares with another variable: Tagpipe compares with a fixed value" };
  const r = vars.get(ref);
  const known = r && "builtIn" in r ? r.builtIn : !r ? builtIn(ref) : undefined;
  const use = known?.use;
  if (use?.as === "selector") return selectorPart(c, use.part, triggerType, use.of);
  if (c.type === "cssSelector") return { problem: "CSS selector conditions apply to Click Element and Form Element only" };
  const operator = OPERATORS[c.type];
  if (!operator) return { problem: `the ${c.type} comparison has no Tagpipe equivalent` };
  const common = { operator, value: c.arg1, negate: c.negate, ignoreCase: c.ignoreCase };
  // GTM's regexes are RE2; one JavaScript cannot compile would be refused at save (field-rules.ts).
  const pattern = patternProblem(common);
  if (pattern) return { problem: pattern };
  if (use?.as === "source") return { condition: { source: use.source, ...common } };
  if (use?.as === "none") return { problem: `{{${ref}}}: ${use.why}` };
  if (known?.builtin) return { condition: { source: "variable", key: builtinRef(known.builtin), ...common } };
  if (r && "refused" in r) return { problem: `{{${ref}}} is not importable (${r.refused})` };
  if (r && "tagpipe" in r) {
    if (r.def.kind === "data_layer") return { condition: { source: "data_layer", key: r.def.path, ...common } };
    return { condition: { source: "variable", key: r.tagpipe, ...common } };
  }
  return { problem: `{{${ref}}} is not defined in the file` };
}

const cssString = (s: string) => JSON.stringify(s);
const cssIdent = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, (ch) => `\\${ch}`);

function selectorPart(c: GtmCondition, part: "element" | "id" | "classes" | "url", triggerType: TriggerDefinition["type"], of: "click" | "form"): ConvertedCondition {
  if ((of === "click") !== (triggerType === "click")) return { problem: `${of} variables only filter ${of} triggers` };
  const wrap = (s: string): ConvertedCondition => (c.negate ? { selector: `:not(${s})` } : { selector: s });
  const notes = c.ignoreCase ? ["case was ignored in GTM; CSS selectors compare exactly"] : [];
  if (part === "element") {
    if (c.type !== "cssSelector") return { problem: "an element is compared by CSS selector only" };
    return c.negate ? { selector: `:not(${c.arg1})`, notes } : { css: c.arg1, notes };
  }
  if (part === "id" && c.type === "equals") return { ...wrap(`#${cssIdent(c.arg1)}`), notes };
  if (part === "classes" && (c.type === "contains" || c.type === "equals") && /^[A-Za-z_-][\w-]*$/.test(c.arg1)) return { ...wrap(`.${cssIdent(c.arg1)}`), notes };
  if (part === "url") {
    const op = { equals: "=", contains: "*=", startsWith: "^=", endsWith: "$=" }[c.type];
    if (op) return { ...wrap(`[href${op}${cssString(c.arg1)}]`), notes };
  }
  return { problem: `comparing the ${of}'s ${part} with ${c.type} cannot be written as a CSS selector` };
}
