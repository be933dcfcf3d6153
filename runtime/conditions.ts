// Trigger conditions: a value from the page, the data layer, a variable or the region,
// compared with an operator, optionally negated and case-insensitive.
import type { RuntimeCondition } from "../lib/compiler/runtime-config";

export type Outcome = { ok: boolean; actual: unknown; error?: string };

export function compare(c: RuntimeCondition, actual: unknown): Outcome {
  let a = actual == null ? "" : Array.isArray(actual) ? actual.join(",") : String(actual);
  let b = c.value;
  let ok = false;
  let error: string | undefined;
  if (c.i) {
    a = a.toLowerCase();
    b = b.toLowerCase();
  }
  switch (c.op) {
    case "equals":
      ok = a === b;
      break;
    case "contains":
      ok = a.includes(b);
      break;
    case "starts_with":
      ok = a.startsWith(b);
      break;
    case "ends_with":
      ok = a.endsWith(b);
      break;
    case "regex":
      try {
        ok = new RegExp(c.value, c.i ? "i" : "").test(actual == null ? "" : String(actual));
      } catch (e) {
        error = `bad regex: ${(e as Error).message}`;
      }
      break;
    default: {
      const x = parseFloat(a);
      const y = parseFloat(b);
      const both = !isNaN(x) && !isNaN(y);
      ok = both && (c.op === "lt" ? x < y : c.op === "lte" ? x <= y : c.op === "gt" ? x > y : x >= y);
    }
  }
  // A condition that could not be evaluated never passes, negated or not.
  return { ok: error ? false : c.not ? !ok : ok, actual, error };
}
