// Characters no text the API takes may hold: NUL (PostgreSQL's text and jsonb cannot store
// it, so the insert failed with a 500) and unpaired UTF-16 surrogates (not text at all:
// PostgreSQL's UTF-8 silently stored them as U+FFFD, so what was saved was not what was
// sent). The route wrapper refuses them once, for every body, query and path, before any
// schema or query sees them, so no route can forget.
import type { FieldProblem } from "../errors";

const MESSAGE = "must not contain NUL characters or unpaired surrogates";

/** NUL, or a surrogate half without its partner. */
export function hasBadCharacters(value: string): boolean {
  return value.includes("\u0000") || !value.isWellFormed();
}

/**
 * The text as PostgreSQL can keep it, for what Tagpipe stores from others rather than
 * takes through its API (a platform's answer): NUL and unpaired surrogates become U+FFFD.
 */
export function storableText(value: string): string {
  return hasBadCharacters(value) ? value.replaceAll("\u0000", "\uFFFD").toWellFormed() : value;
}

/** Every string and key of a parsed JSON value that holds a bad character, as dot paths. */
export function badCharacterProblems(value: unknown, path = "", found: FieldProblem[] = []): FieldProblem[] {
  if (typeof value === "string") {
    if (hasBadCharacters(value)) found.push({ path, message: MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => badCharacterProblems(item, path ? `${path}.${i}` : String(i), found));
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (hasBadCharacters(key)) found.push({ path: at, message: `the field name ${MESSAGE}` });
      else badCharacterProblems(item, at, found);
    }
  }
  return found;
}

/**
 * The query string's parameters holding a bad character. Read from the raw string: a
 * percent-encoding that is not UTF-8 (%ED%A0%80, a lone surrogate) would otherwise be
 * turned into U+FFFD by URLSearchParams and pass unseen.
 */
export function badQueryProblems(search: string): FieldProblem[] {
  if (!search.includes("%")) return [];
  const found: FieldProblem[] = [];
  for (const pair of search.replace(/^\?/, "").split("&")) {
    const [rawName, rawValue = ""] = pair.split("=", 2);
    const name = decodeLoose(rawName);
    const value = decodeStrict(rawValue);
    if (value === null || hasBadCharacters(value) || hasBadCharacters(name)) found.push({ path: name.replace(/[^\x20-\x7e]/g, "?"), message: MESSAGE });
  }
  return found;
}

function decodeStrict(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

function decodeLoose(raw: string): string {
  return decodeStrict(raw) ?? raw;
}

/**
 * A request target whose percent-encoding is not UTF-8 (%ED%A0%80 encodes a lone
 * surrogate): Next's router fails on such a path with a 500 and rewrites such a query to
 * U+FFFD before a route sees it, so server.ts screens the raw target first. Answers what
 * to reply, or null; costs one indexOf for a target without "%".
 */
export function rawTargetProblem(target: string): { status: number; code: string; message: string; fields?: FieldProblem[] } | null {
  if (!target.includes("%")) return null;
  const q = target.indexOf("?");
  const path = q < 0 ? target : target.slice(0, q);
  if (decodeStrict(path) === null) return { status: 404, code: "not_found", message: "Not found" };
  if (q < 0) return null;
  const fields = badQueryProblems(target.slice(q));
  return fields.length ? { status: 422, code: "validation_failed", message: fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields } : null;
}
