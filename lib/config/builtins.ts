// Built-in variables: values every site has (the page, the data-layer event, the clicked
// element, GA4's ecommerce object and user_data) ready to map without creating a variable
// first. A mapping or a condition names one by a stable reference, `builtin:<key>`
// (e.g. builtin:ecommerce_value), where it would otherwise name a variable's id. The
// compiler appends the built-ins a published configuration uses to its variables (so a
// container carries only those, and the runtime code of the page and element readers only
// when one is used); the dashboard offers them in every variable dropdown, ordered by how
// well their type fits the parameter. Pure data: client components read it too.
import type { PARAMETER_TYPES } from "../schemas/config";

/** A value's type, as the tracking plan types parameters. */
export type ValueType = (typeof PARAMETER_TYPES)[number];

/**
 * How the runtime reads a built-in (runtime/variables.ts):
 *   page        a dot path on window (location.href, document.title)
 *   element     a property of the element clicked or submitted (its closest match of
 *               `closest` when given); no property: its tag and id ("button#buy")
 *   data_layer  a data-layer path, as a data-layer variable reads it
 */
export type BuiltinRead =
  | { from: "page"; path: string }
  | { from: "element"; property: string; closest?: string }
  | { from: "data_layer"; path: string; coerce?: "string" | "number" | "list" };

export const BUILTIN_GROUPS = ["Page", "Event", "Click", "Form", "GA4 ecommerce", "GA4 user data"] as const;

export type Builtin = {
  key: string;
  label: string;
  group: (typeof BUILTIN_GROUPS)[number];
  type: ValueType;
  read: BuiltinRead;
  /** what it holds, in the dropdown's words */
  hint: string;
  /** Personal data: mapped only to user_data fields, which are hashed before storage. */
  personal?: true;
  /** The parameters (or user_data fields) "Map from GA4 ecommerce" fills with it, first match wins. */
  fills?: string[];
};

const page = (key: string, label: string, path: string, hint: string): Builtin => ({ key, label, group: "Page", type: "string", read: { from: "page", path }, hint });
const ecommerce = (key: string, label: string, type: ValueType, path: string, fills: string[], coerce?: "string" | "number" | "list"): Builtin => ({
  key: `ecommerce_${key}`,
  label,
  group: "GA4 ecommerce",
  type,
  read: { from: "data_layer", path: `ecommerce.${path}`, ...(coerce ? { coerce } : {}) },
  hint: `ecommerce.${path} of the data-layer push`,
  fills,
});
const user = (key: string, label: string, path: string, fills: string): Builtin => ({
  key: `user_${key}`,
  label,
  group: "GA4 user data",
  type: "string",
  read: { from: "data_layer", path: `user_data.${path}`, coerce: "string" },
  hint: `user_data.${path} of the data layer (hashed before storage)`,
  personal: true,
  fills: [fills],
});

export const BUILTINS: readonly Builtin[] = [
  page("page_url", "Page URL", "location.href", "the full address of the page"),
  page("page_path", "Page path", "location.pathname", "the path, e.g. /checkout/thank-you"),
  page("page_hostname", "Page hostname", "location.hostname", "e.g. shop.example.com"),
  page("referrer", "Referrer", "document.referrer", "the address of the previous page"),
  page("page_title", "Page title", "document.title", "the page's <title>"),
  { key: "event_name", label: "Event name", group: "Event", type: "string", read: { from: "data_layer", path: "event", coerce: "string" }, hint: "the `event` of the data-layer push, e.g. purchase" },
  { key: "click_element", label: "Click element", group: "Click", type: "string", read: { from: "element", property: "" }, hint: "the clicked element's tag and id, e.g. button#buy" },
  { key: "click_text", label: "Click text", group: "Click", type: "string", read: { from: "element", property: "textContent" }, hint: "the clicked element's text" },
  { key: "click_url", label: "Click URL", group: "Click", type: "string", read: { from: "element", property: "href", closest: "[href]" }, hint: "the link's address" },
  { key: "form_id", label: "Form ID", group: "Form", type: "string", read: { from: "element", property: "id", closest: "form" }, hint: "the id of the form submitted" },
  ecommerce("value", "Ecommerce value", "number", "value", ["value"], "number"),
  ecommerce("currency", "Ecommerce currency", "string", "currency", ["currency"], "string"),
  ecommerce("transaction_id", "Ecommerce transaction ID", "string", "transaction_id", ["order_id", "transaction_id"], "string"),
  ecommerce("item_ids", "Ecommerce item IDs", "list", "items[].item_id", ["content_ids", "item_ids"], "list"),
  ecommerce("items", "Ecommerce items", "list", "items", ["contents", "items"]),
  ecommerce("coupon", "Ecommerce coupon", "string", "coupon", ["coupon"], "string"),
  ecommerce("tax", "Ecommerce tax", "number", "tax", ["tax"], "number"),
  ecommerce("shipping", "Ecommerce shipping", "number", "shipping", ["shipping"], "number"),
  user("email", "User email", "email", "user_data.email"),
  user("phone_number", "User phone number", "phone_number", "user_data.phone"),
  user("first_name", "User first name", "address.first_name", "user_data.first_name"),
  user("last_name", "User last name", "address.last_name", "user_data.last_name"),
  user("city", "User city", "address.city", "user_data.city"),
  user("region", "User region", "address.region", "user_data.state"),
  user("postal_code", "User postal code", "address.postal_code", "user_data.zip"),
  user("country", "User country", "address.country", "user_data.country"),
];

export const BUILTIN_PREFIX = "builtin:";
const BY_KEY = new Map(BUILTINS.map((b) => [b.key, b]));

/** The reference a mapping or condition stores: builtin:<key>. */
export const builtinRef = (key: string): string => `${BUILTIN_PREFIX}${key}`;

/** Whether a reference names a built-in (known or not) rather than a variable's id. */
export const isBuiltinRef = (ref: string): boolean => ref.startsWith(BUILTIN_PREFIX);

/** The built-in a reference names; undefined for a variable id or an unknown built-in. */
export function builtinOf(ref: string): Builtin | undefined {
  return isBuiltinRef(ref) ? BY_KEY.get(ref.slice(BUILTIN_PREFIX.length)) : undefined;
}

/**
 * Why a reference cannot go where it is used, or null: an unknown built-in; personal data
 * mapped to a parameter (`mappedTo`), which is stored as sent. Conditions (no `mappedTo`)
 * compare in the browser and may read personal data.
 */
export function builtinRefProblem(ref: string, mappedTo?: string): string | null {
  if (!isBuiltinRef(ref)) return null;
  const b = builtinOf(ref);
  if (!b) return `${ref} is not a built-in variable`;
  if (b.personal && mappedTo !== undefined && !mappedTo.startsWith("user_data.")) return `${b.label} is personal data: map it to a user data field, which is hashed`;
  return null;
}

/** The built-ins a snapshot's references name, in catalogue order (the order the compiler appends them). */
export function builtinsUsed(refs: Iterable<string>): Builtin[] {
  const used = new Set<string>();
  for (const r of refs) if (builtinOf(r)) used.add(r.slice(BUILTIN_PREFIX.length));
  return BUILTINS.filter((b) => used.has(b.key));
}

/**
 * "Map from GA4 ecommerce": for the parameters and user_data fields an event offers, the
 * built-in that fills each (value ← Ecommerce value, order_id ← Ecommerce transaction ID,
 * user_data.email ← User email…). Parameters not listed stay as they are.
 */
export function ga4EcommerceMappings(targets: readonly string[]): Record<string, string> {
  const offered = new Set(targets);
  const out: Record<string, string> = {};
  for (const b of BUILTINS) {
    const target = b.fills?.find((t) => offered.has(t) && !(t in out));
    if (target) out[target] = builtinRef(b.key);
  }
  return out;
}

// ---- type fit -------------------------------------------------------------------------

/**
 * How a value of one type fits a parameter of another:
 *   exact     the same type
 *   loose     either type is not known (a variable without a coercion, a parameter the plan does not type)
 *   converts  the runtime converts it without loss (a number sent as text, a text as a one-item list)
 *   mismatch  it would fail the plan's type check (text for a number)
 */
export type Fit = "exact" | "loose" | "converts" | "mismatch";

export function typeFit(value: ValueType | null, parameter: ValueType | null): Fit {
  if (!value || !parameter) return "loose";
  if (value === parameter) return "exact";
  if (parameter === "string" && value === "number") return "converts";
  return "mismatch";
}

/** A variable's type from its definition: what its coercion makes of it; auto: unknown (a data-layer path with [] is a list). */
export function variableType(definition: { kind?: string; coerce?: string; path?: string }): ValueType | null {
  if (definition.coerce === "number" || definition.coerce === "string" || definition.coerce === "list") return definition.coerce;
  if (definition.kind === "data_layer" && definition.path?.includes("[]")) return "list";
  if (definition.kind === "constant") return "string";
  return null;
}

/** Variables with what a mapping dropdown needs: each one's type from its definition. */
export function typedVariables(variables: { id: string; name: string; definition: { kind?: string; coerce?: string; path?: string } }[]): { id: string; name: string; type: ValueType | null }[] {
  return variables.map((v) => ({ id: v.id, name: v.name, type: variableType(v.definition) }));
}

/** Types of the parameters every conversion may map (STANDARD_PARAMETERS) when the plan does not type them; user_data fields are text. */
const STANDARD_TYPES: Record<string, ValueType> = {
  value: "number",
  currency: "string",
  content_ids: "list",
  contents: "list",
  content_type: "string",
  order_id: "string",
  num_items: "number",
  search_string: "string",
};

export function parameterType(target: string, planType?: string): ValueType | null {
  if (planType) return planType as ValueType;
  if (target.startsWith("user_data.")) return "string";
  return STANDARD_TYPES[target] ?? null;
}

const RANK: Record<Fit, number> = { exact: 0, loose: 1, converts: 2, mismatch: 3 };

export type Choice = { ref: string; label: string; group: string; type: ValueType | null; fit: Fit; hint?: string; suggested?: true };

/**
 * The choices of a mapping dropdown for one parameter: the team's variables and the
 * built-ins (personal ones only for user_data fields), best fit first, each with its fit
 * so a mismatch can be flagged; within a fit, the team's variables before the built-ins.
 */
export function mappingChoices(target: string, targetType: ValueType | null, variables: { id: string; name: string; type: ValueType | null }[]): Choice[] {
  const own: Choice[] = variables.map((v) => ({ ref: v.id, label: v.name, group: "Your variables", type: v.type, fit: typeFit(v.type, targetType) }));
  const builtins: Choice[] = BUILTINS.filter((b) => !b.personal || target.startsWith("user_data.")).map((b) => ({
    ref: builtinRef(b.key),
    label: b.label,
    group: b.group,
    type: b.type,
    fit: typeFit(b.type, targetType),
    hint: b.hint,
    ...(b.fills?.includes(target) ? { suggested: true as const } : {}),
  }));
  // A stable sort: the catalogue's order within one fit; the built-in made for this
  // parameter (Ecommerce value for value) first of all.
  const rank = (c: Choice) => (c.suggested ? -1 : RANK[c.fit]);
  return [...own, ...builtins].sort((a, b) => rank(a) - rank(b));
}
