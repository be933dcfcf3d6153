// PGlite by the wire protocol (lib/pglite-wire.ts): the embedded database's path for the
// collector's insert. Named statements are parsed once and keep working after errors;
// results read as PGlite.query reads them; a statement never joins a transaction that
// another caller has open on the same PGlite.
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pgArraysBinary } from "../../lib/db";
import { pgliteWire } from "../../lib/pglite-wire";

describe("PGlite by the wire protocol", () => {
  let lite: PGlite;
  let wire: ReturnType<typeof pgliteWire>;
  beforeAll(async () => {
    lite = await PGlite.create();
    wire = pgliteWire(lite);
    await lite.exec("CREATE TABLE item (id text PRIMARY KEY, n int4, doc jsonb, at timestamptz, ok bool)");
  });
  afterAll(async () => {
    await lite?.close();
  });

  const INSERT = "INSERT INTO item SELECT * FROM unnest($1::text[], $2::int4[], $3::jsonb[], $4::timestamptz[], $5::bool[]) RETURNING *";
  const rows = (ids: string[]) =>
    pgArraysBinary([
      ["text", ids],
      ["int4", ids.map((_, i) => i)],
      ["jsonb", ids.map((id) => ({ id, list: [1, "two"] }))],
      ["timestamptz", ids.map(() => new Date("2026-12-01T10:00:00.250Z"))],
      ["bool", ids.map((_, i) => i % 2 === 0)],
    ]);
  const prepared = async (name: string) => (await lite.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = $1", [name])).rows[0].n;

  test("a named statement is parsed once and its rows read with their types", async () => {
    expect(await wire(INSERT, rows(["a1", "a2"]), "insert_items")).toEqual([
      { id: "a1", n: 0, doc: { id: "a1", list: [1, "two"] }, at: new Date("2026-12-01T10:00:00.250Z"), ok: true },
      { id: "a2", n: 1, doc: { id: "a2", list: [1, "two"] }, at: new Date("2026-12-01T10:00:00.250Z"), ok: false },
    ]);
    expect(await wire(INSERT, rows(["a3"]), "insert_items")).toHaveLength(1);
    expect(await prepared("insert_items")).toBe(1);
    expect((await lite.query("SELECT id FROM item ORDER BY id")).rows).toEqual([{ id: "a1" }, { id: "a2" }, { id: "a3" }]);
  });

  test("callers racing to a statement's first use parse it once, and all succeed", async () => {
    const results = await Promise.all(["r1", "r2", "r3", "r4", "r5"].map((id) => wire(INSERT, rows([id]), "insert_raced")));
    expect(results.map((r) => r.length)).toEqual([1, 1, 1, 1, 1]);
    expect(await prepared("insert_raced")).toBe(1);
  });

  test("an error carries PostgreSQL's code; the statement works again afterwards", async () => {
    await expect(wire(INSERT, rows(["a1"]), "insert_items")).rejects.toMatchObject({ code: "23505" });
    expect(await wire(INSERT, rows(["b1"]), "insert_items")).toHaveLength(1);
  });

  test("a statement whose first run fails after parsing is parsed afresh next time", async () => {
    await expect(wire(INSERT, rows(["a1"]), "insert_first_fails")).rejects.toMatchObject({ code: "23505" });
    expect(await prepared("insert_first_fails")).toBe(0);
    expect(await wire(INSERT, rows(["c1"]), "insert_first_fails")).toHaveLength(1);
    expect(await prepared("insert_first_fails")).toBe(1);
  });

  test("a statement deallocated behind its back is parsed afresh", async () => {
    expect(await wire(INSERT, rows(["d1"]), "insert_deallocated")).toHaveLength(1);
    await lite.exec("DEALLOCATE ALL");
    expect(await prepared("insert_deallocated")).toBe(0);
    expect(await wire(INSERT, rows(["d2"]), "insert_deallocated")).toHaveLength(1);
    expect(await prepared("insert_deallocated")).toBe(1);
    // Callers meeting the deallocated statement at once: each succeeds, one parse.
    await lite.exec("DEALLOCATE ALL");
    const results = await Promise.all(["d3", "d4", "d5"].map((id) => wire(INSERT, rows([id]), "insert_deallocated")));
    expect(results.map((r) => r.length)).toEqual([1, 1, 1]);
    expect(await prepared("insert_deallocated")).toBe(1);
  });

  test("a statement that does not parse is refused with its code and leaves nothing prepared", async () => {
    await expect(wire("SELEC 1", [], "broken")).rejects.toMatchObject({ code: "42601" });
    expect(await prepared("broken")).toBe(0);
  });

  test("plain parameters go as text; JavaScript arrays are refused, naming the parameter", async () => {
    expect(await wire("SELECT $1::int4 + 1 AS n, $2::text AS t, $3::jsonb AS j, $4::timestamptz AS at, $5::text AS none", [41, "x", { a: 1 }, new Date(0), null])).toEqual([
      { n: 42, t: "x", j: { a: 1 }, at: new Date(0), none: null },
    ]);
    await expect(wire("SELECT $1::text[]", [["a"]])).rejects.toThrow("parameter $1: send arrays through sql.arrays()");
  });

  test("a statement waits for another caller's transaction and never joins it", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const transaction = lite
      .transaction(async (tx) => {
        await tx.query("INSERT INTO item (id) VALUES ('in-transaction')");
        entered();
        await held;
        throw new Error("rolled back on purpose");
      })
      .catch((error: Error) => error.message);
    await inside;
    let done = false;
    const outside = wire(INSERT, rows(["outside"]), "insert_items").then((r) => ((done = true), r));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    release();
    expect(await transaction).toBe("rolled back on purpose");
    expect(await outside).toHaveLength(1);
    expect((await lite.query("SELECT id FROM item WHERE id IN ('in-transaction', 'outside')")).rows).toEqual([{ id: "outside" }]);
  });
});
