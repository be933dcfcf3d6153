// The rules a field's value must follow beyond its shape, in the form's words: a regex
// condition's pattern must compile, a platform id must have the platform's format
// (lib/platforms/<platform>/index.ts). One rule set, read by the editors as you type,
// by the API's schemas when a draft is saved (422 naming the field) and by the draft's
// problem list before a version (lib/versions/validate.ts). Pure and client-safe.
import type { IdField } from "../platforms/types";

/** Compiles a condition's regex the way the runtime will; returns the error or null. */
export function regexError(pattern: string, ignoreCase: boolean): string | null {
  try {
    new RegExp(pattern, ignoreCase ? "i" : "");
    return null;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, "");
  }
}

/** What is wrong with a regex condition's pattern, in the form's words; null when it compiles. */
export function patternProblem(condition: { operator: string; value: string; ignoreCase?: boolean }): string | null {
  if (condition.operator !== "regex") return null;
  const error = regexError(condition.value, condition.ignoreCase ?? false);
  return error ? `the pattern does not compile (${error})` : null;
}

/** What is wrong with a platform id's value; null when it is fine (empty: a problem only when `required`, as a draft may be incomplete). */
export function idProblem(field: IdField, value: string | undefined, required = true): string | null {
  if (!value) return required && !field.optional ? `${field.label} is missing (${field.hint})` : null;
  return field.pattern && !field.pattern.test(value) ? `${field.label} looks wrong: expected ${field.hint}` : null;
}

/** A problem as one sentence: "Condition 2 value — the pattern does not compile (…)", "Pixel ID is missing (…)". */
export function problemSentence(p: { where: string; message: string }): string {
  if (p.message.startsWith(p.where)) return p.message;
  return /^(is|refers|makes|looks)\b/.test(p.message) ? `${p.where} ${p.message}` : `${p.where} — ${p.message}`;
}
