// One rule set for an event's parameters, used by the browser runtime (bundled into
// every container: small, no dependencies) and by the collector, so a browser and the
// server judge an event alike (tests/unit/validation/params.test.ts holds both to one
// table of cases). A problem is "<parameter> <code>"; the collector and the preview
// panel turn it into words with MESSAGES, which never ships in a container.

/** Each code's words, as the collector records them (`params.<parameter>: …`). */
export const MESSAGES: Record<string, string> = {
  required: "is required",
  number: "must be a number",
  string: "must be a string",
  list: "must be a list",
  boolean: "must be true or false",
  object: "must be an object",
  value: "must be a finite number ≥ 0",
  currency: "must be an ISO 4217 code such as EUR",
  ids: "must be a non-empty list of ids",
  order: "is required for purchase",
};

type Params = Record<string, unknown>;

let currencies: Set<string> | undefined;
/** ISO 4217 as the engine's ICU knows it (the browser's and Node's agree); engines without the list take any three capitals. */
const isCurrency = (c: unknown) =>
  typeof c === "string" && (Intl.supportedValuesOf ? (currencies ??= new Set(Intl.supportedValuesOf("currency"))).has(c) : /^[A-Z]{3}$/.test(c));

const missing = (v: unknown) => v == null || v === "" || (Array.isArray(v) && !v.length);
const isNumber = (v: unknown) => typeof v === "number" && isFinite(v);

/** Whether a value is of a tracking-plan parameter type. */
function typed(v: unknown, type: string): boolean {
  return type === "number" ? isNumber(v)
    : type === "list" ? Array.isArray(v)
    : type === "string" ? typeof v === "string"
    : type === "boolean" ? typeof v === "boolean"
    : type !== "object" || (!!v && typeof v === "object" && !Array.isArray(v));
}

/**
 * What is wrong with an event's parameters, one problem per parameter at most, in this
 * order: required ones missing, the plan's types, value (a finite number ≥ 0), currency
 * (ISO 4217), content_ids (a non-empty list of ids), a purchase's order_id.
 */
export function paramProblems(name: string, p: Params, required: string[] = [], types: Record<string, string> = {}): string[] {
  const out: string[] = [];
  const add = (key: string, code: string) => out.some((x) => x.startsWith(`${key} `)) || out.push(`${key} ${code}`);
  for (const r of required) if (missing(p[r])) add(r, "required");
  for (const k in types) if (p[k] != null && !typed(p[k], types[k])) add(k, types[k]);
  if (p.value != null && !(isNumber(p.value) && (p.value as number) >= 0)) add("value", "value");
  if (p.currency != null && !isCurrency(p.currency)) add("currency", "currency");
  const ids = p.content_ids;
  if (ids !== undefined && !(Array.isArray(ids) && ids.length && ids.every((x) => typeof x === "string" || typeof x === "number"))) add("content_ids", "ids");
  if (name === "purchase" && missing(p.order_id)) add("order_id", "order");
  return out;
}

/** A problem in words: "value must be a finite number ≥ 0". */
export function problemText(problem: string): string {
  const [key, code] = problem.split(" ");
  return MESSAGES[code] ? `${key} ${MESSAGES[code]}` : problem;
}
