// Parameter mapping and validation: what each conversion carries, checked before any
// pixel sees it. Invalid events are reported, never sent to vendors as garbage.
import type { RuntimeEvent } from "../lib/compiler/runtime-config";
import type { Dict } from "./util";
import { paramProblems } from "../lib/validation/params";

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

/** What is wrong with the parameters (lib/validation/params.ts, the collector's rules too): "<parameter> <code>" per problem. */
export function validate([name, , , required, types]: RuntimeEvent, p: Dict): string[] {
  return paramProblems(name, p, required, types);
}

/** A purchase's id comes from its order: reloading the thank-you page yields the same id. */
export function eventIdFor(name: string, params: Dict, random: () => string): string {
  return name === "purchase" && params.order_id !== undefined && params.order_id !== "" ? `order-${params.order_id}` : random();
}
