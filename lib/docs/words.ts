// Triggers and variables said in plain words, for documents a marketer reads (the
// tracking-plan documentation). Pure: the definitions are the validated shapes of
// lib/schemas/config.ts.
import type { Condition, TriggerDefinition, VariableDefinition } from "../schemas/config";

const SUBJECTS: Record<string, string> = { page_url: "the page URL", page_path: "the page path", hostname: "the hostname", region: "the region" };
const OPERATORS: Record<string, string> = {
  equals: "is",
  contains: "contains",
  starts_with: "starts with",
  ends_with: "ends with",
  regex: "matches the pattern",
  lt: "is less than",
  lte: "is at most",
  gt: "is greater than",
  gte: "is at least",
};
const NEGATED: Record<string, string> = {
  equals: "is not",
  contains: "does not contain",
  starts_with: "does not start with",
  ends_with: "does not end with",
  regex: "does not match the pattern",
  lt: "is not less than",
  lte: "is more than",
  gt: "is not greater than",
  gte: "is less than",
};
const LIMITS: Record<string, string> = { every_time: "", once_per_page: ", at most once per page", once_per_event_id: ", at most once per event id" };

export type Names = (id: string) => string;

export function conditionInWords(c: Condition, variableName: Names): string {
  const subject = c.source === "data_layer" ? `the data layer's ${c.key}` : c.source === "variable" ? `the variable ${variableName(c.key ?? "")}` : SUBJECTS[c.source];
  const numeric = ["lt", "lte", "gt", "gte"].includes(c.operator);
  const value = numeric ? c.value : `"${c.value}"`;
  return `${subject} ${(c.negate ? NEGATED : OPERATORS)[c.operator]} ${value}${c.ignoreCase ? " (in any case)" : ""}`;
}

export function triggerInWords(t: TriggerDefinition, triggerName: Names, variableName: Names): string {
  const start =
    t.type === "data_layer_event"
      ? `When the data layer receives the event "${t.eventName}"`
      : t.type === "page_view"
        ? "On every page view"
        : t.type === "history_change"
          ? "When the single-page app changes route"
          : t.type === "click"
            ? `When an element matching ${t.selector} is clicked`
            : `When a form matching ${t.selector} is submitted`;
  const conditions = t.conditions.map((c) => conditionInWords(c, variableName));
  const blocked = t.blockingTriggerIds.map(triggerName);
  return (
    start +
    (conditions.length ? ` and ${conditions.join(" and ")}` : "") +
    (blocked.length ? `, unless ${blocked.join(" or ")} fired` : "") +
    LIMITS[t.fireLimit]
  );
}

export function variableInWords(v: VariableDefinition, variableName: Names): string {
  const fallback = v.defaultValue !== null ? ` (default "${v.defaultValue}")` : "";
  switch (v.kind) {
    case "data_layer":
      return `data layer ${v.path}${fallback}`;
    case "url_query":
      return `URL query parameter ${v.key}${fallback}`;
    case "cookie":
      return `cookie ${v.key}${fallback}`;
    case "dom":
      return `${v.attribute ? `attribute ${v.attribute}` : "text"} of the page element ${v.selector}${fallback}`;
    case "constant":
      return `the constant "${v.value}"`;
    case "lookup":
      return `a lookup table on ${variableName(v.inputVariableId ?? "")}${fallback}`;
  }
}
