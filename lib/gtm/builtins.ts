// GTM's built-in variables and what each becomes in Tagpipe, in one table: in triggers a
// condition source, an event name or part of a CSS selector; as a value (a parameter, a
// lookup's input, a condition Tagpipe has no source for) Tagpipe's own built-in variable
// of the catalogue (lib/config/builtins.ts), referenced as builtin:<key>. Keyed by the
// name GTM references them by ({{Page Path}}); `type` is the export's builtInVariable
// type, camelCase.
import type { Condition } from "../schemas/config";

export type BuiltInUse =
  /** a trigger condition on the page: Tagpipe's condition source */
  | { as: "source"; source: Extract<Condition["source"], "page_url" | "page_path" | "hostname"> }
  /** the data-layer event's name: a custom event trigger's event */
  | { as: "event" }
  /** what a click or form trigger filters on: part of its CSS selector */
  | { as: "selector"; of: "click" | "form"; part: "element" | "id" | "classes" | "url" }
  /** no trigger-specific form: conditions compare Tagpipe's built-in variable */
  | { as: "builtin" }
  /** nothing in Tagpipe yet */
  | { as: "none"; why: string };

/** `builtin`: the key of Tagpipe's built-in variable of the same value (lib/config/builtins.ts). */
export type BuiltIn = { type: string; use: BuiltInUse; builtin?: string };

const none = (why: string): BuiltInUse => ({ as: "none", why });

export const GTM_BUILT_INS: Record<string, BuiltIn> = {
  "Page URL": { type: "pageUrl", use: { as: "source", source: "page_url" }, builtin: "page_url" },
  "Page Hostname": { type: "pageHostname", use: { as: "source", source: "hostname" }, builtin: "page_hostname" },
  "Page Path": { type: "pagePath", use: { as: "source", source: "page_path" }, builtin: "page_path" },
  Event: { type: "event", use: { as: "event" }, builtin: "event_name" },
  // GTM's own name for the event in custom event filters.
  _event: { type: "event", use: { as: "event" }, builtin: "event_name" },
  "Click Element": { type: "clickElement", use: { as: "selector", of: "click", part: "element" }, builtin: "click_element" },
  "Click ID": { type: "clickId", use: { as: "selector", of: "click", part: "id" } },
  "Click Classes": { type: "clickClasses", use: { as: "selector", of: "click", part: "classes" } },
  "Click URL": { type: "clickUrl", use: { as: "selector", of: "click", part: "url" }, builtin: "click_url" },
  "Form Element": { type: "formElement", use: { as: "selector", of: "form", part: "element" } },
  "Form ID": { type: "formId", use: { as: "selector", of: "form", part: "id" }, builtin: "form_id" },
  "Form Classes": { type: "formClasses", use: { as: "selector", of: "form", part: "classes" } },
  "Click Text": { type: "clickText", use: { as: "builtin" }, builtin: "click_text" },
  "Click Target": { type: "clickTarget", use: none("Tagpipe has no variable of a link's target") },
  "Form Text": { type: "formText", use: none("Tagpipe has no variable of a form's text") },
  "Form URL": { type: "formUrl", use: none("Tagpipe has no variable of a form's action URL") },
  "Form Target": { type: "formTarget", use: none("Tagpipe has no variable of a form's target") },
  Referrer: { type: "referrer", use: { as: "builtin" }, builtin: "referrer" },
  "Container ID": { type: "containerId", use: none("GTM's own container id means nothing in Tagpipe") },
  "Container Version": { type: "containerVersion", use: none("GTM's own version number means nothing in Tagpipe") },
  "Debug Mode": { type: "debugMode", use: none("Tagpipe's preview mode replaces GTM's debug mode") },
  "Random Number": { type: "randomNumber", use: none("Tagpipe gives each conversion its own event_id instead") },
  "HTML ID": { type: "htmlId", use: none("only Custom HTML tags use it, and Tagpipe runs no custom code") },
};

const byType = new Map(Object.entries(GTM_BUILT_INS).map(([name, b]) => [b.type, { name, ...b }]));

/** A built-in referenced by name ({{Page Path}}), or switched on by type (pagePath). */
export function builtIn(nameOrType: string): (BuiltIn & { name: string }) | undefined {
  const named = GTM_BUILT_INS[nameOrType];
  return named ? { name: nameOrType, ...named } : byType.get(nameOrType);
}

/** How the report words what a built-in becomes. */
export function describeBuiltIn(b: BuiltIn): string {
  const value = b.builtin ? `as a value, Tagpipe's built-in variable builtin:${b.builtin}` : "";
  const use = b.use;
  switch (use.as) {
    case "source":
      return [`trigger conditions on it become ${use.source} conditions`, value].filter(Boolean).join("; ");
    case "event":
      return ["the data-layer event name of custom event triggers", value].filter(Boolean).join("; ");
    case "selector":
      return [`part of the ${use.of} trigger's CSS selector`, value].filter(Boolean).join("; ");
    case "builtin":
      return value;
    case "none":
      return use.why;
  }
}
