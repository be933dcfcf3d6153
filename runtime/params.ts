// Parameter mapping and validation: what each conversion carries, checked before any
// pixel sees it. Invalid events are reported, never sent to vendors as garbage.
import type { RuntimeEvent } from "../lib/compiler/runtime-config";
import type { Dict } from "./util";

/**
 * The event's parameters and user data: from its mappings (the default currency where a
 * value needs one), then `extra` (tagpipe("track", name, params)) over them; the currency
 * trimmed and upper-cased.
 */
export function mapEvent(event: RuntimeEvent, value: (variable: number) => unknown, defaultCurrency: string | null, extra?: Dict | null): [params: Dict, user: Dict] {
  const params: Dict = {};
  const user: Dict = {};
  for (const [param, variable] of Object.entries(event[2])) {
    const v = value(variable);
    if (v === undefined) continue;
    if (param.startsWith("user_data.")) user[param.slice(10)] = String(v);
    else params[param] = v;
  }
  if (params.currency === undefined && defaultCurrency && (params.value !== undefined || event[3]?.includes("currency"))) params.currency = defaultCurrency;
  Object.assign(params, extra);
  if (typeof params.currency === "string") params.currency = params.currency.trim().toUpperCase();
  return [params, user];
}

/** What is wrong with the parameters, one message per problem (these reach the collector and the preview panel). */
export function validate([name, , , required = [], types = {}]: RuntimeEvent, p: Dict): string[] {
  const errors: string[] = [];
  const { value, currency, content_ids: ids, order_id } = p;
  for (const r of required) {
    const v = p[r];
    if (v === undefined || v === "" || (Array.isArray(v) && !v.length)) errors.push(`${r} is required`);
  }
  if (value !== undefined && !(typeof value === "number" && isFinite(value) && value >= 0)) errors.push("value must be a finite number >= 0");
  if (currency !== undefined && !(typeof currency === "string" && /^[A-Z]{3}$/.test(currency))) errors.push("currency must be an ISO 4217 code");
  if (ids !== undefined && !(Array.isArray(ids) && ids.length && ids.every((x) => typeof x === "string" || typeof x === "number"))) errors.push("content_ids must be a non-empty list of ids");
  if (name === "purchase" && (order_id === undefined || order_id === "")) errors.push("order_id is required for purchase");
  for (const [k, t] of Object.entries(types)) {
    const v = p[k];
    if (v === undefined) continue;
    const bad = t === "number" ? typeof v !== "number" : t === "list" ? !Array.isArray(v) : t === "string" ? typeof v === "object" : t === "boolean" && typeof v !== "boolean";
    if (bad && !errors.some((e) => e.startsWith(k))) errors.push(`${k} must be a ${t}`);
  }
  return errors;
}

/** A purchase's id comes from its order: reloading the thank-you page yields the same id. */
export function eventIdFor(name: string, params: Dict, random: () => string): string {
  return name === "purchase" && params.order_id !== undefined && params.order_id !== "" ? `order-${params.order_id}` : random();
}
