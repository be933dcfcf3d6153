// The one Prisma client and connection pool of the process, on PostgreSQL: the embedded
// server Tagpipe runs itself (lib/embedded-postgres.ts, data in $TAGPIPE_DATA_DIR/postgres)
// by default, or the one DATABASE_URL names. Opened lazily (never at import, so `next build`
// does not touch the data directory) and kept on globalThis, because server.ts and Next's
// bundled route modules are separate module graphs in one process.
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type pg from "pg";
import type { Writable } from "node:stream";
import { PrismaClient } from "./generated/prisma/client";
import { dataDir, env } from "./env";
import type { EmbeddedPostgres } from "./embedded-postgres";

/** Plain SQL, for the hot paths (collector, forwarder) where an ORM round trip per event costs too much. */
export type Sql = {
  /** `name`: a prepared statement, parsed and planned once per connection. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<T[]>;
  /** `$n::<type>[]` parameters, one per [type, values] (null for NULL): e.g. the columns of many rows, for unnest(). */
  arrays(columns: readonly (readonly [ArrayType, readonly unknown[]])[]): unknown[];
  /**
   * `COPY … FROM STDIN` on this connection (a transaction's only): write the rows in COPY's
   * text format with backpressure, end() the stream, and its "finish" is the server's answer
   * (destroy() aborts the COPY). The fastest way in for many rows: 2 µs a row, where an
   * unnest() of array parameters costs ~40 (measured, 1,000,000 orders).
   */
  copyFrom(text: string): Writable;
};

/** Element types of array parameters: jsonb takes any JSON value, timestamptz a Date. */
export type ArrayType = "text" | "jsonb" | "int4" | "bool" | "timestamptz";

const ELEMENT_OID: Record<ArrayType, number> = { text: 25, jsonb: 3802, int4: 23, bool: 16, timestamptz: 1184 };
/** PostgreSQL's timestamps count microseconds from 2000-01-01 UTC. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 2 ** 32;

/**
 * Arrays in PostgreSQL's binary format (array_recv): a header, then each element's length
 * and bytes (-1 for NULL); jsonb elements are a version byte (1), then their JSON. node-pg
 * sends a Buffer as it is, in binary, so the server unpacks a column of a whole batch
 * without parsing text (measured on the collector's insert: 8 µs less PostgreSQL CPU per
 * event than one jsonb document unpacked by jsonb_to_recordset). All the arrays of one
 * statement share one buffer, and short ASCII strings are copied here rather than through
 * Buffer#write, whose native call costs more than the copy.
 */
export function pgArraysBinary(columns: readonly (readonly [ArrayType, readonly unknown[]])[]): Buffer[] {
  let out = Buffer.allocUnsafe(256 + columns.length * (columns[0]?.[1].length ?? 0) * 48);
  let at = 0;
  const room = (bytes: number) => {
    if (out.length - at >= bytes) return;
    const bigger = Buffer.allocUnsafe(out.length * 2 + bytes);
    out.copy(bigger, 0, 0, at);
    out = bigger;
  };
  const ends: number[] = [];
  for (const [type, values] of columns) {
    room(20);
    const start = at;
    out.writeInt32BE(values.length ? 1 : 0, at); // dimensions: none for an empty array
    out.writeInt32BE(0, at + 4); // no NULLs, until one is written
    out.writeInt32BE(ELEMENT_OID[type], at + 8);
    if (!values.length) {
      at += 12;
      ends.push(start, at);
      continue;
    }
    out.writeInt32BE(values.length, at + 12);
    out.writeInt32BE(1, at + 16); // lower bound
    at += 20;
    for (const value of values) {
      if (value === null || value === undefined) {
        room(4);
        out.writeInt32BE(-1, at);
        out.writeInt32BE(1, start + 4);
        at += 4;
      } else if (type === "text" || type === "jsonb") {
        const text = type === "text" ? String(value) : JSON.stringify(value);
        const version = type === "jsonb" ? 1 : 0;
        room(5 + text.length * 3); // at most 3 bytes per UTF-16 unit
        if (version) out[at + 4] = version;
        const written = writeUtf8(out, text, at + 4 + version);
        out.writeInt32BE(written + version, at);
        at += 4 + version + written;
      } else if (type === "int4") {
        room(8);
        out.writeInt32BE(4, at);
        out.writeInt32BE(value as number, at + 4);
        at += 8;
      } else if (type === "bool") {
        room(5);
        out.writeInt32BE(1, at);
        out[at + 4] = value ? 1 : 0;
        at += 5;
      } else {
        const micros = ((value as Date).getTime() - PG_EPOCH_MS) * 1000;
        const high = Math.floor(micros / TWO_32);
        room(12);
        out.writeInt32BE(8, at);
        out.writeInt32BE(high, at + 4);
        out.writeUInt32BE(micros - high * TWO_32, at + 8);
        at += 12;
      }
    }
    ends.push(start, at);
  }
  const arrays: Buffer[] = [];
  for (let i = 0; i < ends.length; i += 2) arrays.push(out.subarray(ends[i], ends[i + 1]));
  return arrays;
}

/** Writes `text` at `at` as UTF-8 (room for 3 bytes per unit is the caller's); returns the bytes written. */
function writeUtf8(out: Buffer, text: string, at: number): number {
  if (text.length <= 64) {
    let i = 0;
    for (; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit > 0x7f) break;
      out[at + i] = unit;
    }
    if (i === text.length) return i;
  }
  return out.write(text, at, "utf8");
}

export type Database = {
  /** embedded: the PostgreSQL Tagpipe runs itself (lib/embedded-postgres.ts); postgres: DATABASE_URL. */
  kind: "embedded" | "postgres";
  /** The connection string (the embedded server's socket, or DATABASE_URL). */
  url: string;
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

/**
 * The most connections each pool opens (on demand; idle ones close after 10 s):
 * `sql`, the plain-SQL pool of the hot paths, and `prisma`, the ORM's. TAGPIPE_DB_POOL_SIZE
 * and TAGPIPE_PRISMA_POOL_SIZE override them; each kind of process passes its own defaults
 * (docs/hardening.md, "Connections", has the count per process and the formula).
 */
export type PoolSizes = { sql: number; prisma: number };
export const ALL_IN_ONE_POOLS: PoolSizes = { sql: 10, prisma: 10 };

async function open(defaults: PoolSizes): Promise<Database> {
  let url = env().DATABASE_URL;
  let embedded: EmbeddedPostgres | null = null;
  if (!url) {
    // Imported here, not at the top: Next's bundled route modules share this module, and
    // only the process that opens the database (server.ts, scripts) needs the manager.
    const { attachEmbeddedPostgres } = await import("./embedded-postgres");
    embedded = await attachEmbeddedPostgres(dataDir());
    url = embedded.url;
  }
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { default: pg } = await import("pg");
  const { from: copyStream } = await import("pg-copy-streams");
  const { TAGPIPE_DB_POOL_SIZE, TAGPIPE_PRISMA_POOL_SIZE } = env();
  const adapter = new PrismaPg({ connectionString: url, max: TAGPIPE_PRISMA_POOL_SIZE ?? defaults.prisma });
  const prisma = new PrismaClient({ adapter });
  const pool = new pg.Pool({ connectionString: url, max: TAGPIPE_DB_POOL_SIZE ?? defaults.sql });
  pool.on("error", (error) => console.error("[db] idle connection error:", error.message));
  const on = (client: pg.Pool | pg.PoolClient): Sql => ({
    query: async (text, params, name) => (await client.query({ text, values: params as unknown[], name })).rows,
    arrays: pgArraysBinary,
    copyFrom: (text) => {
      // A pool would run the COPY on whichever connection is free, outside the transaction.
      if (client instanceof pg.Pool) throw new Error("COPY needs a transaction's connection");
      return client.query(copyStream(text));
    },
  });
  return {
    kind: embedded ? "embedded" : "postgres",
    url,
    prisma,
    adapter,
    sql: on(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(on(client));
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
      await embedded?.release();
    },
  };
}

/** The process's database, opened on first use (with `pools` as the pools' default sizes: a script's first call sets them). */
export function database(pools: PoolSizes = ALL_IN_ONE_POOLS): Promise<Database> {
  const holder = globalThis as Holder;
  holder[KEY] ??= open(pools);
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
