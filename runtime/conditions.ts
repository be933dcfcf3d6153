// Trigger conditions: a value from the page, the data layer, a variable or the region,
// compared with an operator, optionally negated and case-insensitive.
import { IGNORE_CASE, NEGATE, Op, type RuntimeCondition } from "../lib/compiler/runtime-config";

/** Regex conditions compiled once per page (null: does not compile); no `g` flag, so test() keeps no state. */
const compiled = new WeakMap<RuntimeCondition, RegExp | null>();

/** Whether the condition holds for the actual value. One that cannot be evaluated (a regex that does not compile) never holds, negated or not. */
export function compare(cond: RuntimeCondition, actual: unknown): boolean {
  const [, op, value, flags] = cond;
  // Lists compare by their joined value (String([a, b]) is "a,b"); missing values are empty.
  let a = actual == null ? "" : String(actual);
  let b = value;
  let ok: boolean;
  if (TAGPIPE_REGEX && op === Op.regex) {
    let re = compiled.get(cond);
    if (re === undefined) {
      try {
        re = new RegExp(value, flags & IGNORE_CASE ? "i" : "");
      } catch {
        re = null;
      }
      compiled.set(cond, re);
    }
    if (!re) return false;
    ok = re.test(a);
  } else {
    if (flags & IGNORE_CASE) {
      a = a.toLowerCase();
      b = b.toLowerCase();
    }
    const x = parseFloat(a);
    const y = parseFloat(b);
    ok =
      op === Op.equals ? a === b
      : op === Op.contains ? a.includes(b)
      : op === Op.starts_with ? a.startsWith(b)
      : op === Op.ends_with ? a.endsWith(b)
      : // Numbers: NaN compares false, so a value that is not a number never passes.
        TAGPIPE_COMPARISON && (op === Op.lt ? x < y : op === Op.lte ? x <= y : op === Op.gt ? x > y : x >= y);
  }
  return flags & NEGATE ? !ok : ok;
}

/** Why a regex condition could not be evaluated (for the preview panel). */
export function regexError([, op, value, flags]: RuntimeCondition): string | undefined {
  if (op !== Op.regex) return;
  try {
    new RegExp(value, flags & IGNORE_CASE ? "i" : "");
  } catch (e) {
    return `bad regex: ${(e as Error).message}`;
  }
}
