// Reads a GTM container export (Admin → Export Container, exportFormatVersion 2) into
// the importer's model. Refuses, with the place in the file named, what is not a web
// container export: a server container, another format version, a file without a
// containerVersion. Tolerant of what real files vary in: both enum spellings (see
// model.ts), absent lists, numbers where strings are usual.
import { ValidationError, type FieldProblem } from "../errors";
import { canonical, type GtmCondition, type GtmConsent, type GtmContainer, type GtmParam, type GtmTag, type GtmTemplate, type GtmTrigger, type GtmVariable } from "./model";

/** Google's export is well under this; the route refuses larger bodies before parsing (413). */
export const MAX_GTM_EXPORT_BYTES = 5 * 1024 * 1024;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "");
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function params(v: unknown, depth = 0): GtmParam[] {
  // Real tables nest two levels (LIST of MAP); deeper nesting is refused as noise.
  if (depth > 4) return [];
  return list(v)
    .filter(isObject)
    .map((p) => ({
      type: canonical(text(p.type)),
      ...(p.key !== undefined ? { key: text(p.key) } : {}),
      ...(p.value !== undefined ? { value: text(p.value) } : {}),
      ...(Array.isArray(p.list) ? { list: params(p.list, depth + 1) } : {}),
      ...(Array.isArray(p.map) ? { map: params(p.map, depth + 1) } : {}),
    }));
}

function conditions(v: unknown): GtmCondition[] {
  return list(v)
    .filter(isObject)
    .map((c) => {
      const ps = params(c.parameter);
      const get = (key: string) => ps.find((p) => p.key === key)?.value ?? "";
      return { type: canonical(text(c.type)), arg0: get("arg0"), arg1: get("arg1"), negate: get("negate") === "true", ignoreCase: get("ignore_case") === "true" };
    });
}

function consent(v: unknown): GtmConsent {
  if (!isObject(v)) return { status: "notSet", types: [] };
  const status = canonical(text(v.consentStatus));
  const types = isObject(v.consentType) ? params(v.consentType.list).map((p) => p.value ?? "").filter(Boolean) : [];
  return { status: status === "needed" || status === "notNeeded" ? status : "notSet", types };
}

/**
 * The container in a GTM export. Throws a ValidationError (422) naming the field when
 * the value is not a GTM web container export.
 */
export function parseGtmExport(file: unknown): GtmContainer {
  const refuse = (path: string, message: string): never => {
    throw new ValidationError([{ path, message }] satisfies FieldProblem[]);
  };
  if (!isObject(file)) return refuse("", "is not a GTM container export: expected a JSON object with exportFormatVersion and containerVersion");
  if (!("containerVersion" in file) && !("exportFormatVersion" in file)) {
    return refuse("", "is not a GTM container export (no exportFormatVersion or containerVersion): export it in GTM under Admin → Export Container");
  }
  if (Number(file.exportFormatVersion) !== 2) return refuse("exportFormatVersion", `must be 2 (GTM's current export format); the file says ${JSON.stringify(file.exportFormatVersion ?? null)}`);
  const version = file.containerVersion;
  if (!isObject(version)) return refuse("containerVersion", "is missing: a GTM export holds the container's tags, triggers and variables there");
  const container = isObject(version.container) ? version.container : {};
  const usage = list(container.usageContext).map((u) => canonical(text(u)));
  if (usage.includes("server")) return refuse("containerVersion.container.usageContext", "is SERVER: this is a server container; Tagpipe imports web containers (its server side is built in)");
  if (usage.length && !usage.includes("web")) return refuse("containerVersion.container.usageContext", `is ${usage.join(", ")}: Tagpipe imports web containers only`);

  for (const key of ["tag", "trigger", "variable", "builtInVariable", "customTemplate"]) {
    if (version[key] === undefined) continue;
    if (!Array.isArray(version[key])) refuse(`containerVersion.${key}`, "must be a list");
    // Every entry is reported on; one that is not even an object cannot be, so the file is refused.
    (version[key] as unknown[]).forEach((entry, i) => {
      if (!isObject(entry)) refuse(`containerVersion.${key}.${i}`, `must be an object (GTM writes each ${key} as one)`);
    });
  }
  const named = (name: unknown, what: string, id: string) => text(name).trim() || `(${what} ${id || "without an id"})`;
  const triggers: GtmTrigger[] = list(version.trigger)
    .filter(isObject)
    .map((t) => ({
      id: text(t.triggerId),
      name: named(t.name, "trigger", text(t.triggerId)),
      type: canonical(text(t.type)),
      customEventFilter: conditions(t.customEventFilter),
      filter: conditions(t.filter),
      autoEventFilter: conditions(t.autoEventFilter),
      parameter: params(t.parameter),
    }));
  const variables: GtmVariable[] = list(version.variable)
    .filter(isObject)
    .map((v) => ({ id: text(v.variableId), name: named(v.name, "variable", text(v.variableId)), type: text(v.type), parameter: params(v.parameter) }));
  const tags: GtmTag[] = list(version.tag)
    .filter(isObject)
    .map((t) => ({
      id: text(t.tagId),
      name: named(t.name, "tag", text(t.tagId)),
      type: text(t.type),
      parameter: params(t.parameter),
      firingTriggerIds: list(t.firingTriggerId).map(text),
      blockingTriggerIds: list(t.blockingTriggerId).map(text),
      paused: t.paused === true || t.paused === "true",
      firingOption: canonical(text(t.tagFiringOption) || "oncePerEvent"),
      consent: consent(t.consentSettings),
    }));
  const builtIns = list(version.builtInVariable)
    .filter(isObject)
    .map((b) => ({ type: canonical(text(b.type)), name: text(b.name) }));
  const templates: GtmTemplate[] = list(version.customTemplate)
    .filter(isObject)
    .map((t) => {
      const g = isObject(t.galleryReference) ? t.galleryReference : null;
      return { id: text(t.templateId), name: text(t.name), gallery: g ? { host: text(g.host), owner: text(g.owner), repository: text(g.repository) } : null };
    });
  return { publicId: text(container.publicId), name: text(container.name), tags, triggers, variables, builtIns, templates };
}
