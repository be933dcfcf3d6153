// Rows sent to PostgreSQL as one jsonb parameter in binary format (lib/db.ts): a version
// byte, then the JSON array, whatever the rows' characters.
import { describe, expect, test } from "vitest";
import { jsonbArrayBinary } from "../../lib/db";

const decode = (b: Buffer) => ({ version: b[0], rows: JSON.parse(b.subarray(1).toString("utf8")) as unknown });

describe("jsonbArrayBinary", () => {
  test("ASCII rows: version 1, then exactly the JSON array", () => {
    const rows = [{ id: "a", n: 1, list: [1, 2] }, { id: "b", nested: { x: null } }];
    const b = jsonbArrayBinary(rows);
    expect(b[0]).toBe(1);
    expect(b.subarray(1).toString("utf8")).toBe(JSON.stringify(rows));
  });

  test("non-ASCII rows anywhere in the batch (accents, CJK, emoji, lone surrogates) round-trip", () => {
    const rows = [
      { title: "plain" },
      { title: "Café crème — 20 %", city: "Zürich" },
      { title: "東京の店", note: "😀".repeat(500) },
      { title: "\ud800 alone" },
      { title: "x".repeat(10_000) },
      { title: "é".repeat(10_000) },
    ];
    expect(decode(jsonbArrayBinary(rows))).toEqual({ version: 1, rows });
    expect(decode(jsonbArrayBinary([...rows].reverse()))).toEqual({ version: 1, rows: [...rows].reverse() });
  });

  test("a row longer in bytes than in characters never crowds out the separators after it", () => {
    // "≥" is 3 bytes: the second row takes 2 bytes of the third's room, which then fits exactly.
    const rows = [{ a: "x" }, { errors: [{ message: "must be a finite number ≥ 0" }] }, { b: "y" }];
    expect(decode(jsonbArrayBinary(rows))).toEqual({ version: 1, rows });
    for (let n = 0; n < 40; n++) {
      const mixed = Array.from({ length: 5 }, (_, i) => ({ i, text: (i % 2 ? "ü" : "u").repeat(n + i) }));
      expect(decode(jsonbArrayBinary(mixed)).rows).toEqual(mixed);
    }
  });

  test("an empty batch is an empty array", () => {
    expect(decode(jsonbArrayBinary([]))).toEqual({ version: 1, rows: [] });
  });
});
