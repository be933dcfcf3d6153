// A Tagpipe server of a collector spec's own: the shared servers of the global setup don't
// know the stand-ins' base URLs, so each collector spec starts its own, on a fresh
// database of the machine's PostgreSQL or its own embedded one, with the stand-ins' URLs, high intake
// rate limits and a short forward delay in its environment. Teardown stops the server,
// drops the database and removes the data dir, also after a failed start.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { createDatabase, dropDatabase, queryDatabase } from "./postgres";
import { embeddedCluster, removeDataDir, startServer, type Backend, type RunningServer } from "./server";
import type { StandIns } from "./stand-ins";

export type Collector = {
  backend: Backend;
  url: string;
  /** The database's URL (the embedded one's socket), for workers and direct queries. */
  readonly databaseUrl: string;
  server: RunningServer;
  /** Everything the server printed so far (stdout and stderr). */
  logs(): string;
  /** Rows of a query against the server's database. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<R[]>;
  /** SIGKILLs the server and starts it again on the same database (and port), ready within `timeoutMs`. */
  restart(kill?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

/** Environment every collector spec runs with; `env` adds or overrides. */
export function collectorEnv(standIns: StandIns | null, env: Record<string, string> = {}): Record<string, string> {
  return {
    TAGPIPE_OPEN_SIGNUP: "1",
    TAGPIPE_FORWARD_DELAY_MS: "200",
    // A backend's GA4/Google Ads copy goes at once (specs of the fill-in wait set their own).
    TAGPIPE_FILL_IN_WAIT_MS: "0",
    TAGPIPE_COLLECT_RATE_PER_IP: "100000",
    TAGPIPE_COLLECT_RATE_PER_KEY: "1000000",
    // The webhook stand-in listens on 127.0.0.1 over http.
    TAGPIPE_ALLOW_PRIVATE_WEBHOOKS: "1",
    ...(standIns ? standIns.env() : {}),
    ...env,
  };
}

export async function startCollector(options: { name: string; backend: Backend; distDir: string; standIns: StandIns | null; env?: Record<string, string> }): Promise<Collector> {
  const database = options.backend === "postgres" ? await createDatabase(options.name.replace(/[^a-z0-9]/g, "").slice(0, 20)) : null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tagpipe-col-${options.name}-`));
  const env = collectorEnv(options.standIns, options.env);
  let server: RunningServer | null = null;
  let stopped = false;
  const boot = (port?: number, timeoutMs?: number) =>
    startServer({ name: options.name, backend: options.backend, distDir: options.distDir, databaseUrl: database?.url, env, dataDir, port, appendLog: port !== undefined }, timeoutMs);
  const databaseUrl = () => database?.url ?? embeddedCluster(dataDir)!.url;

  const stop = async () => {
    if (server && !stopped) await server.stop();
    stopped = true;
    if (database) await dropDatabase(database.name);
    removeDataDir(dataDir);
  };

  try {
    server = await boot();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    backend: options.backend,
    get url() {
      return server!.url;
    },
    get databaseUrl() {
      return databaseUrl();
    },
    get server() {
      return server!;
    },
    logs: () => {
      try {
        return fs.readFileSync(server!.logFile, "utf8");
      } catch {
        return "";
      }
    },
    query: <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => queryDatabase<R>(databaseUrl(), sql, values),
    async restart(signal: NodeJS.Signals = "SIGKILL", timeoutMs?: number) {
      const port = Number(new URL(server!.url).port);
      await server!.kill(signal);
      server = await boot(port, timeoutMs);
    },
    stop,
  };
}
