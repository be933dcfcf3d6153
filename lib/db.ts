// The one Prisma client and connection pool of the process, on PostgreSQL: the embedded
// server Tagpipe runs itself (lib/embedded-postgres.ts, data in $TAGPIPE_DATA_DIR/postgres)
// by default, or the one DATABASE_URL names. Opened lazily (never at import, so `next build`
// does not touch the data directory) and kept on globalThis, because server.ts and Next's
// bundled route modules are separate module graphs in one process.
import { PrismaClient } from "./generated/prisma/client";
import { dataDir, env } from "./env";
import type { EmbeddedPostgres } from "./embedded-postgres";
import { sqlOn, type Sql } from "./sql";

export { pgArraysBinary, type ArrayType, type Sql } from "./sql";

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
  close(): Promise<void>;
};

const KEY = Symbol.for("tagpipe.database");
type Holder = { [KEY]?: Promise<Database> };

/**
 * The most connections each pool opens (on demand; idle ones close after 90 s):
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
  // Idle connections close after 90 s, not pg's default 10 s: an idle server's periodic
  // work (the forwarder's 10 s safety-net rounds, the minute's alert schedule) would
  // otherwise open a fresh connection — a forked PostgreSQL backend, a few ms of CPU —
  // nearly every time (measured in bench:collect's idle_cpu_pct, docs/benchmarks.md).
  const idleTimeoutMillis = 90_000;
  const adapter = new PrismaPg({ connectionString: url, max: TAGPIPE_PRISMA_POOL_SIZE ?? defaults.prisma, idleTimeoutMillis });
  const prisma = new PrismaClient({ adapter });
  const pool = new pg.Pool({ connectionString: url, max: TAGPIPE_DB_POOL_SIZE ?? defaults.sql, idleTimeoutMillis });
  pool.on("error", (error) => console.error("[db] idle connection error:", error.message));
  return {
    kind: embedded ? "embedded" : "postgres",
    url,
    prisma,
    sql: sqlOn(pool, null),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(sqlOn(client, copyStream));
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
