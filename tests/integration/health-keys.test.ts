// The quality bits the collector stores with each event (lib/health/keys.ts quality, in
// JavaScript) and the ones the fold computes from userData and errors where none are
// stored (qualitySql, in PostgreSQL) agree on a shared table of cases: an event counts the
// same whichever way its bits were made.
import { describe, expect, it } from "vitest";
import type { Problem } from "../../lib/collector/prepare";
import { MATCH_KEYS, PARAM_CHECKS, quality, qualitySql } from "../../lib/health/keys";
import { ADMIN_URL, queryDatabase } from "../helpers/postgres";

type Case = { name: string; userData: Record<string, unknown>; errors: Problem[] };

const CASES: Case[] = [
  { name: "nothing", userData: {}, errors: [] },
  { name: "email only", userData: { em: "a".repeat(64) }, errors: [] },
  { name: "ip without user agent is no ip_ua key", userData: { client_ip_address: "203.0.113.9" }, errors: [] },
  { name: "ip and user agent", userData: { client_ip_address: "203.0.113.9", client_user_agent: "Mozilla/5.0" }, errors: [] },
  { name: "every key", userData: { em: "e", ph: "p", external_id: "x", fbp: "fb.1.1.1", fbc: "fb.1.1.c", client_ip_address: "ip", client_user_agent: "ua", gclid: "g", ttclid: "t" }, errors: [] },
  { name: "hashed names are not match keys of their own", userData: { fn: "f", ln: "l", ct: "c", zp: "z", country: "de" }, errors: [] },
  { name: "a bad currency", userData: { em: "e" }, errors: [{ field: "params.currency", message: "must be an ISO 4217 code" }] },
  { name: "every check failed", userData: {}, errors: [{ field: "params.value", message: "must be a number ≥ 0" }, { field: "params.currency", message: "x" }, { field: "params.content_ids", message: "x" }, { field: "params.order_id", message: "is required" }] },
  { name: "a tracking-plan parameter missing", userData: {}, errors: [{ field: "params.coupon", message: "is required" }] },
  { name: "errors of other fields only", userData: { ph: "p" }, errors: [{ field: "event_time", message: "is older than 7 days" }, { field: "runtime", message: "boom" }] },
];

describe("the health quality bits", () => {
  it("are the same from the collector (JavaScript) and from the stored JSON (SQL)", async () => {
    const rows = await queryDatabase<{ name: string; bits: number }>(
      ADMIN_URL,
      `SELECT t.name, ${qualitySql("t")} AS bits FROM json_to_recordset($1::json) AS t(name text, quality int, "userData" jsonb, errors jsonb)`,
      [JSON.stringify(CASES.map((c) => ({ ...c, quality: null })))],
    );
    const fromSql = Object.fromEntries(rows.map((r) => [r.name, r.bits]));
    const fromJs = Object.fromEntries(CASES.map((c) => [c.name, quality(c.userData, c.errors)]));
    expect(fromSql).toEqual(fromJs);
    // Not vacuous: every bit is set by some case and the cases differ.
    for (const bit of [...MATCH_KEYS, ...PARAM_CHECKS].map((k) => k.bit)) expect(Object.values(fromJs).some((b) => (b & bit) !== 0), `bit ${bit}`).toBe(true);
    expect(fromJs["every key"]).toBe(255);
    expect(fromJs["a bad currency"]).toBe(1 | (1 << 9));
    expect(fromJs["a tracking-plan parameter missing"]).toBe(1 << 12);
  });

  it("stored bits win over the JSON (a row the collector wrote is not searched again)", async () => {
    const [row] = await queryDatabase<{ bits: number }>(ADMIN_URL, `SELECT ${qualitySql("t")} AS bits FROM (SELECT 6 AS quality, '{"em":"e"}'::jsonb AS "userData", '[]'::jsonb AS errors) t`);
    expect(row.bits).toBe(6);
  });
});
