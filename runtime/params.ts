// Parameter mapping and validation: what each conversion carries, checked before any
// pixel sees it. Invalid events are reported, never sent to vendors as garbage.
import type { RuntimeEvent } from "../lib/compiler/runtime-config";
import type { Dict } from "./util";

export type Mapped = { params: Dict; user: Dict; errors: string[] };

const ISO4217 = /^[A-Z]{3}$/;

export function mapEvent(event: RuntimeEvent, value: (variableId: string) => unknown, defaultCurrency: string | null): Mapped {
  const params: Dict = {};
  const user: Dict = {};
  for (const [param, variableId] of Object.entries(event.mappings)) {
    const v = value(variableId);
    if (v === undefined) continue;
    if (param.startsWith("user_data.")) user[param.slice(10)] = String(v);
    else params[param] = v;
  }
  if (params.currency === undefined && defaultCurrency && (params.value !== undefined || event.required.includes("currency"))) params.currency = defaultCurrency;
  if (typeof params.currency === "string") params.currency = params.currency.trim().toUpperCase();
  return { params, user, errors: validate(event, params) };
}

export function validate(event: RuntimeEvent, p: Dict): string[] {
  const errors: string[] = [];
  for (const r of event.required) {
    const v = p[r];
    if (v === undefined || v === "" || (Array.isArray(v) && !v.length)) errors.push(`${r} is required`);
  }
  if (p.value !== undefined && !(typeof p.value === "number" && isFinite(p.value) && p.value >= 0)) errors.push("value must be a finite number >= 0");
  if (p.currency !== undefined && !(typeof p.currency === "string" && ISO4217.test(p.currency))) errors.push("currency must be an ISO 4217 code");
  if (p.content_ids !== undefined && !(Array.isArray(p.content_ids) && p.content_ids.length && p.content_ids.every((x) => typeof x === "string" || typeof x === "number"))) {
    errors.push("content_ids must be a non-empty list of ids");
  }
  if (event.name === "purchase" && (p.order_id === undefined || p.order_id === "")) errors.push("order_id is required for purchase");
  for (const [k, t] of Object.entries(event.types)) {
    const v = p[k];
    if (v === undefined) continue;
    const bad = t === "number" ? typeof v !== "number" : t === "list" ? !Array.isArray(v) : t === "string" ? typeof v === "object" : t === "boolean" ? typeof v !== "boolean" : false;
    if (bad && !errors.some((e) => e.startsWith(k))) errors.push(`${k} must be a ${t}`);
  }
  return errors;
}

/** A purchase's id comes from its order: reloading the thank-you page yields the same id. */
export function eventIdFor(name: string, params: Dict, random: () => string): string {
  return name === "purchase" && params.order_id !== undefined && params.order_id !== "" ? `order-${String(params.order_id)}` : random();
}
