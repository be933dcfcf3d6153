// What the health rollups count about each event, in one place: the match keys a
// platform matches on (read from the hashed userData keys the collector stores) and the
// parameter checks (read from the validation errors it stores). The fold's SQL, the
// merge log's bit masks, the quality figures and the example queries all read this list.

import type { Problem } from "../collector/prepare";

type UserData = Record<string, unknown>;

/** A match key: its rollup column, its bit in EventMerge.oldKeys/newKeys, and the test on a userData jsonb. */
export type MatchKey = { key: string; label: string; column: string; bit: number; sql: (userData: string) => string; has: (userData: Record<string, unknown>) => boolean };

export const MATCH_KEYS = [
  { key: "email", label: "Email", column: "keyEmail", bit: 1, sql: (u: string) => `${u} ? 'em'`, has: (u: UserData) => u.em != null },
  { key: "phone", label: "Phone", column: "keyPhone", bit: 2, sql: (u: string) => `${u} ? 'ph'`, has: (u: UserData) => u.ph != null },
  { key: "external_id", label: "External id", column: "keyExternalId", bit: 4, sql: (u: string) => `${u} ? 'external_id'`, has: (u: UserData) => u.external_id != null },
  { key: "fbp", label: "Meta browser id (fbp)", column: "keyFbp", bit: 8, sql: (u: string) => `${u} ? 'fbp'`, has: (u: UserData) => u.fbp != null },
  { key: "fbc", label: "Meta click id (fbc)", column: "keyFbc", bit: 16, sql: (u: string) => `${u} ? 'fbc'`, has: (u: UserData) => u.fbc != null },
  { key: "ip_ua", label: "IP address + user agent", column: "keyIpUa", bit: 32, sql: (u: string) => `(${u} ? 'client_ip_address' AND ${u} ? 'client_user_agent')`, has: (u: UserData) => u.client_ip_address != null && u.client_user_agent != null },
  { key: "gclid", label: "Google click id (gclid)", column: "keyGclid", bit: 64, sql: (u: string) => `${u} ? 'gclid'`, has: (u: UserData) => u.gclid != null },
  { key: "ttclid", label: "TikTok click id (ttclid)", column: "keyTtclid", bit: 128, sql: (u: string) => `${u} ? 'ttclid'`, has: (u: UserData) => u.ttclid != null },
] as const satisfies readonly MatchKey[];

export type MatchKeyName = (typeof MATCH_KEYS)[number]["key"];

/** A parameter check: the rollup column counting stored events that failed it, its bit in CollectedEvent.quality, and the test on an errors jsonb. */
export type ParamCheck = { key: string; label: string; column: string; bit: number; sql: (errors: string) => string; failed: (errors: readonly Problem[]) => boolean };

const fieldFailed = (field: string) => ({
  sql: (e: string) => `${e} @> '[{"field":"${field}"}]'`,
  failed: (errors: readonly Problem[]) => errors.some((x) => x.field === field),
});

export const PARAM_CHECKS = [
  { key: "value", label: "Value is a number ≥ 0", column: "errValue", bit: 1 << 8, ...fieldFailed("params.value") },
  { key: "currency", label: "ISO 4217 currency", column: "errCurrency", bit: 1 << 9, ...fieldFailed("params.currency") },
  { key: "content_ids", label: "content_ids is a list of ids", column: "errContentIds", bit: 1 << 10, ...fieldFailed("params.content_ids") },
  { key: "order_id", label: "order_id present", column: "errOrderId", bit: 1 << 11, ...fieldFailed("params.order_id") },
  {
    key: "required",
    label: "Every parameter the tracking plan requires",
    column: "errRequired",
    bit: 1 << 12,
    sql: (e: string) => `${e} @> '[{"message":"is required"}]'`,
    failed: (errors: readonly Problem[]) => errors.some((x) => x.message === "is required"),
  },
] as const satisfies readonly ParamCheck[];

export type ParamCheckName = (typeof PARAM_CHECKS)[number]["key"];

/** SQL: the bit mask of the match keys a userData jsonb carries. */
export function keysMaskSql(userData: string): string {
  return `(${MATCH_KEYS.map((k) => `CASE WHEN ${k.sql(userData)} THEN ${k.bit} ELSE 0 END`).join(" + ")})`;
}

/** The bit mask of the match keys a userData object carries (what the forwarder sent). */
export function keysMask(userData: UserData): number {
  let mask = 0;
  for (const k of MATCH_KEYS) if (k.has(userData)) mask |= k.bit;
  return mask;
}

/**
 * CollectedEvent.quality: the match keys an event carries (bits 0–7) and the parameter
 * checks it failed (bits 8–12), as the collector stores them with the event so the fold
 * sums bits instead of searching JSON. A row without it (null: written by another path,
 * or changed by a merge) is read with qualitySql instead — the same bits from the JSON.
 */
export function quality(userData: UserData, errors: readonly Problem[]): number {
  let mask = keysMask(userData);
  for (const c of PARAM_CHECKS) if (c.failed(errors)) mask |= c.bit;
  return mask;
}

/** SQL: a row's quality bits, stored or, when null, computed from its userData and errors. */
export function qualitySql(row: string): string {
  return `COALESCE(${row}.quality, ${keysMaskSql(`${row}."userData"`)} + ${PARAM_CHECKS.map((c) => `CASE WHEN ${c.sql(`${row}.errors`)} THEN ${c.bit} ELSE 0 END`).join(" + ")})`;
}

/** The keys of a bit mask (the unit tests and the test's independent arithmetic use it). */
export function keysOfMask(mask: number): MatchKeyName[] {
  return MATCH_KEYS.filter((k) => (mask & k.bit) !== 0).map((k) => k.key);
}
