// Variables: where a parameter's value comes from, with coercion and a default.
import { Coerce, VariableKind, type RuntimeVariable } from "../lib/compiler/runtime-config";
import { cookie, pick, type Dict } from "./util";

/** What variables read besides the page: the current push, the data layer's accumulated state; `vars` for lookups; the element clicked or submitted. */
export type Scope = { push: unknown; state: unknown; vars: RuntimeVariable[]; el?: Element | null };

function raw([kind, , arg, arg2]: RuntimeVariable, scope: Scope, depth: number): unknown {
  if (kind === VariableKind.data_layer) {
    const own = pick(scope.push, arg as string);
    return own === undefined || (Array.isArray(own) && !own.length) ? pick(scope.state, arg as string) : own;
  }
  if (TAGPIPE_URL_QUERY && kind === VariableKind.url_query) return new URLSearchParams(location.search).get(arg as string) ?? undefined;
  if (TAGPIPE_COOKIE && kind === VariableKind.cookie) {
    const v = cookie(arg as string);
    return v === undefined ? v : decodeURIComponent(v);
  }
  if (TAGPIPE_DOM && kind === VariableKind.dom) {
    const el = document.querySelector(arg as string);
    return el ? (arg2 ? (el.getAttribute(arg2 as string) ?? undefined) : el.textContent?.trim()) : undefined;
  }
  if (TAGPIPE_CONSTANT && kind === VariableKind.constant) return arg;
  if (TAGPIPE_PAGE && kind === VariableKind.page) return pick(window, arg as string);
  if (TAGPIPE_ELEMENT && kind === VariableKind.element) {
    const el = arg2 ? scope.el?.closest(arg2 as string) : scope.el;
    const v = el && (arg ? (el as unknown as Dict)[arg as string] : el.localName + (el.id ? "#" + el.id : ""));
    return typeof v === "string" ? v.trim() || undefined : v;
  }
  if (TAGPIPE_LOOKUP && kind === VariableKind.lookup) {
    const input = scope.vars[arg as number];
    if (!input || depth > 5) return;
    const key = String(resolve(input, scope, depth + 1) ?? "");
    return ((arg2 || []) as [string, string][]).find((e) => e[0] === key)?.[1];
  }
}

export function coerce(value: unknown, to: Coerce): unknown {
  if (value == null || value === "") return;
  if (to === Coerce.number) {
    const n = typeof value === "number" ? value : parseFloat(String(value).replace(/[^\d.-]/g, ""));
    return isFinite(n) ? n : undefined;
  }
  // String([a, b]) is "a,b".
  if (to === Coerce.string) return String(value);
  if (to === Coerce.list) return Array.isArray(value) ? value.map(String) : String(value).split(",").map((s) => s.trim()).filter(Boolean);
  return value;
}

/** The variable's value, coerced; its default when there is none. Never throws. */
export function resolve(v: RuntimeVariable | undefined, scope: Scope, depth = 0): unknown {
  if (!v) return;
  let value: unknown;
  try {
    value = coerce(raw(v, scope, depth), v[1]);
  } catch {
    /* a value that cannot be read is missing */
  }
  return value === undefined && v[4] != null ? coerce(v[4], v[1]) : value;
}
