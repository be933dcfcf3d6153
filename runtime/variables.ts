// Variables: where a parameter's value comes from, with coercion and a default.
import type { RuntimeVariable } from "../lib/compiler/runtime-config";
import { pick } from "./util";

export type Scope = { push: unknown; state: unknown; url: URL; doc?: Document };

function raw(v: RuntimeVariable, scope: Scope, byId: Map<string, RuntimeVariable>, depth: number): unknown {
  switch (v.kind) {
    case "data_layer": {
      const own = pick(scope.push, v.path!);
      return own === undefined || (Array.isArray(own) && !own.length) ? pick(scope.state, v.path!) : own;
    }
    case "url_query":
      return scope.url.searchParams.get(v.key!) ?? undefined;
    case "cookie": {
      const m = (scope.doc?.cookie ?? "").match(new RegExp(`(?:^|; )${v.key!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}=([^;]*)`));
      return m ? decodeURIComponent(m[1]) : undefined;
    }
    case "dom": {
      const el = scope.doc?.querySelector(v.selector!);
      return el ? (v.attribute ? el.getAttribute(v.attribute) ?? undefined : el.textContent?.trim()) : undefined;
    }
    case "constant":
      return v.value;
    case "lookup": {
      const input = byId.get(v.input!);
      if (!input || depth > 5) return undefined;
      const key = String(resolve(input, scope, byId, depth + 1) ?? "");
      const hit = (v.entries ?? []).find((e) => e[0] === key);
      return hit ? hit[1] : undefined;
    }
  }
  return undefined;
}

export function coerce(value: unknown, to: string): unknown {
  if (value === undefined || value === null || value === "") return undefined;
  if (to === "number") {
    const n = typeof value === "number" ? value : parseFloat(String(value).replace(/[^\d.-]/g, ""));
    return isFinite(n) ? n : undefined;
  }
  if (to === "string") return Array.isArray(value) ? value.join(",") : String(value);
  if (to === "list") return Array.isArray(value) ? value.map(String) : String(value).split(",").map((s) => s.trim()).filter(Boolean);
  return value;
}

export function resolve(v: RuntimeVariable, scope: Scope, byId: Map<string, RuntimeVariable>, depth = 0): unknown {
  let value: unknown;
  try {
    value = coerce(raw(v, scope, byId, depth), v.coerce);
  } catch {
    value = undefined;
  }
  return value === undefined && v.default !== undefined ? coerce(v.default, v.coerce) : value;
}
