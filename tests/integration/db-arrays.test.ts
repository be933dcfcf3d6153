// Array parameters (lib/db.ts): the collector sends each column of a batch as one array,
// in PostgreSQL's binary format. Whatever the values, they must read back exactly as sent.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pgArraysBinary, type ArrayType } from "../../lib/db";
import { ADMIN_URL } from "../helpers/postgres";

const texts = ["plain", "", "Café crème — 20 % ≥ 0", "東京の店", "😀".repeat(500), "x".repeat(70_000), "é".repeat(10_000), 'quotes " and \\ and {braces}, commas', null, "NULL"];
const documents = [{ a: 1, list: [1, 2, { b: null }] }, [], {}, "string", 12.5, true, { note: "ü😀".repeat(300), "key with \"quotes\"": "\\" }, null];
const times = [new Date("2026-12-01T07:31:03.123Z"), new Date("1999-12-31T23:59:59.999Z"), new Date("2000-01-01T00:00:00.000Z"), new Date("1970-01-01T00:00:00.001Z"), new Date("2199-06-30T12:00:00.500Z"), null];
const numbers = [0, 1, -1, 2_147_483_647, -2_147_483_648, null];
const flags = [true, false, null];

const cases: [ArrayType, readonly unknown[]][] = [
  ["text", texts],
  ["jsonb", documents],
  ["timestamptz", times],
  ["int4", numbers],
  ["bool", flags],
  ["text", []],
  ["jsonb", []],
  ["text", [null]],
];

const query = (type: ArrayType) => `SELECT v FROM unnest($1::${type}[]) WITH ORDINALITY AS t(v, n) ORDER BY n`;
const normalise = (type: ArrayType, v: unknown) => (type === "timestamptz" && v !== null ? new Date(v as string).toISOString() : v);
const expected = (type: ArrayType, values: readonly unknown[]) => values.map((v) => (v instanceof Date ? v.toISOString() : v ?? null)).map((v) => normalise(type, v));

describe("array parameters", () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  test.each(cases.map(([type, values], i) => [i, type, values] as const))("case %i: %s values read back as sent", async (_, type, values) => {
    const fromPostgres = (await client.query(query(type), pgArraysBinary([[type, values]]))).rows.map((r) => normalise(type, r.v));
    expect(fromPostgres).toEqual(expected(type, values));
  });

  test("every case encoded at once, into one shared buffer (short and long, ASCII and not, empty between), reads back the same", async () => {
    const edge: [ArrayType, readonly unknown[]][] = [
      ["text", ["a".repeat(64), "a".repeat(63) + "é", "é" + "a".repeat(63), "a".repeat(65), "b".repeat(64) + "ü"]],
      ...cases,
      ["text", ["x".repeat(200_000), null, "y"]],
    ];
    const encoded = pgArraysBinary(edge);
    for (const [i, [type, values]] of edge.entries()) {
      expect((await client.query(query(type), [encoded[i]])).rows.map((r) => normalise(type, r.v))).toEqual(expected(type, values));
    }
  });

  test("columns side by side, as the collector's insert unnests them", async () => {
    const sql = "SELECT * FROM unnest($1::text[], $2::jsonb[], $3::timestamptz[]) AS t(a, b, c)";
    const columns = [["a", "ü"], [{ x: 1 }, null], [times[0], times[1]]] as const;
    const { rows } = await client.query(sql, pgArraysBinary([
      ["text", columns[0]],
      ["jsonb", columns[1]],
      ["timestamptz", columns[2]],
    ]));
    expect(rows).toEqual([
      { a: "a", b: { x: 1 }, c: times[0] },
      { a: "ü", b: null, c: times[1] },
    ]);
  });
});
