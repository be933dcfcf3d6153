// Moves an installation's data from PGlite (the embedded database of Tagpipe's first
// versions, in $TAGPIPE_DATA_DIR/pglite) into PostgreSQL. PGlite's files cannot be read by
// PostgreSQL 18 (another major version, another file system layer), so the move is logical:
// the PGlite database is migrated to the current schema, then every table is copied in
// chunks as JSON rows (json_populate_recordset keeps every type: jsonb, arrays, timestamps)
// inside one transaction on the target, with foreign-key triggers off for its duration.
// The PGlite directory is then renamed pglite.imported, so the move happens once.
import fs from "node:fs";
import path from "node:path";
import type { Database } from "./db";
import { applyMigrations } from "./migrate";

const CHUNK = 2000;

export type ImportResult = { tables: Record<string, number>; movedTo: string };

/** The PGlite directory of a data directory, when it holds a database. */
export function pgliteDirOf(dataDir: string): string | null {
  const dir = path.join(dataDir, "pglite");
  return fs.existsSync(path.join(dir, "PG_VERSION")) ? dir : null;
}

/** Whether the target holds no team yet (an import into a used database would mix two installs). */
async function targetIsEmpty(db: Database): Promise<boolean> {
  const rows = await db.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM "Team"`);
  return rows[0]?.n === "0";
}

export async function importPglite(db: Database, pgliteDir: string, log: (line: string) => void = console.log): Promise<ImportResult> {
  if (!(await targetIsEmpty(db))) throw new Error("the target database already holds teams: import a PGlite directory only into an empty database");
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const source = await PGlite.create(pgliteDir);
  const tables: Record<string, number> = {};
  try {
    const applied = await applyMigrations(new PrismaPGlite(source));
    if (applied.length) log(`[import] brought the PGlite database up to date: ${applied.join(", ")}`);
    const names = (await source.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename`,
    )).rows.map((r) => r.name);
    await db.transaction(async (sql) => {
      // The rows arrive table by table, not in the order their keys need.
      await sql.query("SET LOCAL session_replication_role = replica");
      // The target holds no team, only rows its migrations wrote (e.g. the health fold's
      // watermark), which the source has too, with its own values: the source's win.
      await sql.query(`TRUNCATE ${names.map((n) => `"${n.replace(/"/g, '""')}"`).join(", ")}`);
      for (const name of names) {
        const quoted = `"${name.replace(/"/g, '""')}"`;
        let copied = 0;
        for (;;) {
          const chunk = await source.query<{ rows: string }>(
            `SELECT coalesce(json_agg(t), '[]')::text AS rows FROM (SELECT * FROM ${quoted} ORDER BY ctid LIMIT ${CHUNK} OFFSET ${copied}) t`,
          );
          const rows = chunk.rows[0].rows;
          if (rows === "[]") break;
          const inserted = await sql.query<{ n: string }>(
            `WITH ins AS (INSERT INTO ${quoted} SELECT * FROM json_populate_recordset(NULL::${quoted}, $1::json) RETURNING 1) SELECT count(*)::text AS n FROM ins`,
            [rows],
          );
          const n = Number(inserted[0].n);
          copied += n;
          if (n < CHUNK) break;
        }
        tables[name] = copied;
      }
      // Identity and serial columns continue after the imported ids.
      const serials = await sql.query<{ t: string; c: string }>(
        `SELECT table_name AS t, column_name AS c FROM information_schema.columns
         WHERE table_schema = 'public' AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')`,
      );
      for (const { t, c } of serials) {
        await sql.query(`SELECT setval(pg_get_serial_sequence($1, $2), (SELECT max("${c.replace(/"/g, '""')}") FROM "${t.replace(/"/g, '""')}"), true) WHERE EXISTS (SELECT 1 FROM "${t.replace(/"/g, '""')}")`, [`"${t}"`, c]);
      }
    });
  } finally {
    await source.close();
  }
  const movedTo = `${pgliteDir}.imported`;
  fs.renameSync(pgliteDir, movedTo);
  log(`[import] copied ${Object.values(tables).reduce((a, b) => a + b, 0)} rows from PGlite; its directory is now ${movedTo}`);
  return { tables, movedTo };
}

/** At start-up: a data directory that still holds PGlite data, beside an empty database, is moved once. */
export async function importPgliteIfPresent(db: Database, dataDir: string, log: (line: string) => void): Promise<ImportResult | null> {
  const dir = pgliteDirOf(dataDir);
  if (!dir || !(await targetIsEmpty(db))) return null;
  log(`[tagpipe] found the PGlite database of an earlier Tagpipe in ${dir}: moving it into PostgreSQL`);
  return importPglite(db, dir, log);
}
