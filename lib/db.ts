// The one Prisma client of the process. Embedded PGlite in $TAGPIPE_DATA_DIR/pglite by
// default; a real PostgreSQL when DATABASE_URL is set. Opened lazily (never at import,
// so `next build` does not touch the data directory) and kept on globalThis, because
// server.ts and Next's bundled route modules are separate module graphs in one process,
// and a PGlite directory may be opened only once per process.
import path from "node:path";
import fs from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/prisma/client";
import { dataDir, env } from "./env";

/** Plain SQL, for the hot paths (collector, forwarder) where an ORM round trip per event costs too much. */
export type Sql = {
  /** `name`: a prepared statement, parsed and planned once per connection (PostgreSQL; PGlite ignores it). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<T[]>;
  /** A `$n::jsonb` parameter holding `rows` as a JSON array (for jsonb_to_recordset). */
  jsonbArray(rows: unknown[]): unknown;
};

const utf8 = new TextEncoder();
/**
 * Rows as a JSON array in jsonb's binary input format: a version byte (1), then the text,
 * for PostgreSQL. Each row is stringified on its own and encoded straight into one
 * buffer: JSON.stringify of a whole batch returns a rope of parts that node-pg's
 * Buffer.byteLength then had to flatten (String::SlowFlatten: ~10 % of the collector's
 * CPU with batched events). node-pg sends a Buffer as it is, in binary format.
 */
export function jsonbArrayBinary(rows: unknown[]): Buffer {
  const parts = rows.map((row) => JSON.stringify(row));
  let chars = 3;
  for (const part of parts) chars += part.length + 1;
  // Sized for ASCII; a row with other characters takes more bytes than it has characters.
  let out = Buffer.allocUnsafe(chars);
  let at = 0;
  const room = (bytes: number) => {
    if (out.length - at >= bytes) return;
    const bigger = Buffer.allocUnsafe(out.length * 2 + bytes);
    out.copy(bigger, 0, 0, at);
    out = bigger;
  };
  out[at++] = 1;
  out[at++] = 0x5b; // [
  parts.forEach((part, i) => {
    if (i) {
      room(1);
      out[at++] = 0x2c; // ,
    }
    for (;;) {
      const done = utf8.encodeInto(part, out.subarray(at));
      if (done.read === part.length) {
        at += done.written;
        return;
      }
      room(part.length * 3); // at most 3 bytes per UTF-16 unit; then the row is written again
    }
  });
  room(1);
  out[at++] = 0x5d; // ]
  return out.subarray(0, at);
}

export type Database = {
  kind: "pglite" | "postgres";
  prisma: PrismaClient;
  /** One statement outside a transaction. */
  sql: Sql;
  /** Runs `work` in one transaction on one connection; commits when it resolves. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** The driver adapter factory, reused by the migrator. */
  adapter: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
};

const KEY = Symbol.for("tagpipe.database");
type Holder = { [KEY]?: Promise<Database> };

async function open(): Promise<Database> {
  const url = env().DATABASE_URL;
  if (url) {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const { default: pg } = await import("pg");
    const adapter = new PrismaPg({ connectionString: url, max: 10 });
    const prisma = new PrismaClient({ adapter });
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    pool.on("error", (error) => console.error("[db] idle connection error:", error.message));
    const sql: Sql = { query: async (text, params, name) => (await pool.query({ text, values: params as unknown[], name })).rows, jsonbArray: jsonbArrayBinary };
    return {
      kind: "postgres",
      prisma,
      adapter,
      sql,
      async transaction(work) {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const result = await work({ query: async (text, params, name) => (await client.query({ text, values: params as unknown[], name })).rows, jsonbArray: jsonbArrayBinary });
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {});
          throw error;
        } finally {
          client.release();
        }
      },
      close: async () => {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const dir = path.join(dataDir(), "pglite");
  fs.mkdirSync(dir, { recursive: true });
  const client: PGlite = await PGlite.create(dir);
  // PGlite writes in this thread: zero-filling each new 16 MB WAL segment stalled every
  // request for a few hundred ms every few seconds under load (the embedded p99). A new
  // segment is created sparse instead; PostgreSQL documents this setting as safe.
  await client.exec("SET wal_init_zero = off");
  const adapter = new PrismaPGlite(client);
  const prisma = new PrismaClient({ adapter });
  return {
    kind: "pglite",
    prisma,
    adapter,
    sql: { query: async (text, params) => (await client.query(text, params as unknown[])).rows as never[], jsonbArray: (rows) => JSON.stringify(rows) },
    transaction: (work) => client.transaction((tx) => work({ query: async (text, params) => (await tx.query(text, params as unknown[])).rows as never[], jsonbArray: (rows) => JSON.stringify(rows) })),
    close: async () => {
      await prisma.$disconnect();
      await client.close();
    },
  };
}

/** The process's database, opened on first use. */
export function database(): Promise<Database> {
  const holder = globalThis as Holder;
  holder[KEY] ??= open();
  return holder[KEY];
}

/** Shorthand for the Prisma client. */
export async function prisma(): Promise<PrismaClient> {
  return (await database()).prisma;
}

export async function closeDatabase(): Promise<void> {
  const holder = globalThis as Holder;
  const db = holder[KEY];
  delete holder[KEY];
  if (db) await (await db).close();
}
