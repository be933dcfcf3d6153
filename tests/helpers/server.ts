// Starts and stops real Tagpipe processes (server.ts over a production Next build) for the
// integration tests. Each server runs in its own process group, so stopping it also
// stops anything it spawned; an exit hook kills whatever is left if the runner dies.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SERVER_NODE_FLAGS } from "../../lib/http/node-flags";
import { freeLoopbackPort } from "../../lib/embedded-postgres";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const ARTIFACTS = path.join(ROOT, "tests", ".artifacts");

/** postgres: a database of the machine's PostgreSQL (DATABASE_URL); embedded: the server's own, as `npm start` runs it. */
export type Backend = "postgres" | "embedded";

export type ServerOptions = {
  /** Shown in test names and used for the log file name. */
  name: string;
  backend: Backend;
  /** The dist dir holding the Next production build. */
  distDir: string;
  /** Required for the postgres backend. */
  databaseUrl?: string;
  /** Extra environment, e.g. { TAGPIPE_OPEN_SIGNUP: "1" }. */
  env?: Record<string, string>;
  /** Reuse this data dir (a restart after a kill) instead of a fresh one; it is then left in place. */
  dataDir?: string;
  /** Fixed port (a restart on the same URL); a free one otherwise. */
  port?: number;
  /** Append to the log file (a restart) instead of starting it afresh. */
  appendLog?: boolean;
  /** Extra node flags (e.g. --cpu-prof, which NODE_OPTIONS may not carry). */
  nodeArgs?: string[];
  /** Start it as a user does, through `npm start` (npm, then scripts/start.mjs running server.ts bundled), instead of server.ts under tsx. */
  npmStart?: boolean;
};

export type RunningServer = {
  name: string;
  backend: Backend;
  url: string;
  dataDir: string;
  logFile: string;
  pid: number;
  stop(): Promise<void>;
  /** Kills the server's process group with `signal` (SIGKILL: no shutdown at all) and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
};

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort (a crashed runner): process.kill is synchronous, so it works in "exit".
  process.once("exit", () => {
    for (const child of live) killGroup(child, "SIGKILL");
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1 (the embedded PostgreSQL's own probe). */
export const freePort = freeLoopbackPort;

// Settings the developer's shell may carry that would point the server elsewhere.
const INHERITED_BLOCKLIST = /^(DATABASE_URL|NEXTAUTH_.*|AUTH_.*|TAGPIPE_.*|GITHUB_.*|GOOGLE_.*|PORT|HOST|NODE_OPTIONS|VITEST.*)$/;

function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!INHERITED_BLOCKLIST.test(key)) base[key] = value;
  }
  return { ...base, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...extra };
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

const READY = /\[tagpipe\] ready on (http:\/\/\S+)/;

/** The embedded cluster of a data dir: where it really lives (root may keep it under /var/lib/tagpipe) and its server's pid. */
export function embeddedCluster(dataDir: string): { dir: string; pid: number | null; url: string } | null {
  const link = path.join(dataDir, "postgres");
  if (!fs.existsSync(link)) return null;
  const dir = fs.realpathSync(link);
  let pid: number | null = null;
  try {
    pid = Number(fs.readFileSync(path.join(dir, "pgdata", "postmaster.pid"), "utf8").split("\n")[0]) || null;
  } catch {
    // Not running.
  }
  return { dir, pid, url: `postgresql://postgres@localhost:5432/tagpipe?host=${encodeURIComponent(path.join(dir, "run"))}` };
}

/**
 * Removes a test's data dir, its embedded cluster (wherever it lives) and the cluster's
 * server, which runs in a session of its own and outlives a SIGKILLed Tagpipe.
 */
export function removeDataDir(dataDir: string): void {
  const cluster = embeddedCluster(dataDir);
  if (cluster?.pid) {
    try {
      process.kill(cluster.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  if (cluster) fs.rmSync(cluster.dir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
}

export async function startServer(options: ServerOptions, timeoutMs = 90_000): Promise<RunningServer> {
  if (options.backend === "postgres" && !options.databaseUrl) throw new Error("postgres backend needs databaseUrl");
  installExitHook();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // Each server gets its own data dir: the embedded cluster, and the generated secrets.
  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `tagpipe-it-${options.name}-`));
  const logFile = path.join(ARTIFACTS, `server-${options.name}.log`);
  const log = fs.createWriteStream(logFile, { flags: options.appendLog ? "a" : "w" });
  const port = options.port ?? (await freePort());
  const env = serverEnv({
    TAGPIPE_DIST_DIR: options.distDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    TAGPIPE_SEED: "0",
    TAGPIPE_DATA_DIR: dataDir,
    ...(options.backend === "postgres" ? { DATABASE_URL: options.databaseUrl! } : {}),
    ...options.env,
  });

  const [command, args] = options.npmStart ? ["npm", ["start"]] : [process.execPath, [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), "--import", "tsx", "server.ts"]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => live.delete(child));
  child.stderr!.pipe(log, { end: false });

  let stopping = false;
  const stop = async () => {
    stopping = true;
    killGroup(child, "SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 10_000)))]);
    clearTimeout(timer);
    if (!done) {
      killGroup(child, "SIGKILL");
      await exited;
    }
    log.end();
    if (ownDataDir) removeDataDir(dataDir);
  };
  const kill = async (signal: NodeJS.Signals = "SIGKILL") => {
    stopping = true;
    killGroup(child, signal);
    await exited;
    log.end();
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buffered = "";
      const timer = setTimeout(() => reject(new Error(`server ${options.name} not ready after ${timeoutMs} ms`)), timeoutMs);
      child.stdout!.on("data", (chunk: Buffer) => {
        log.write(chunk);
        buffered += chunk.toString("utf8");
        const match = READY.exec(buffered);
        if (match) {
          clearTimeout(timer);
          buffered = "";
          resolve(match[1]);
        }
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server ${options.name} exited before it was ready (code ${code}, signal ${signal})`));
      });
    });
    // Said loudly, because every later request fails with ECONNREFUSED.
    child.once("exit", (code, signal) => {
      if (!stopping) console.error(`[tests] server ${options.name} (${url}) exited during the tests: code ${code}, signal ${signal}; see ${logFile}`);
    });
    return { name: options.name, backend: options.backend, url, dataDir, logFile, pid: child.pid!, stop, kill };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- ${logFile} ---\n${tail(logFile)}`);
  }
}

export type RunningWorker = {
  pid: number;
  /** Everything the worker printed. */
  output(): string;
  /** SIGTERM (a clean stop, finishing the round) and wait. */
  stop(): Promise<void>;
  /** Kill with `signal` (SIGKILL: mid-batch, no clean-up) and wait. */
  kill(signal?: NodeJS.Signals): Promise<void>;
};

/**
 * `npm run worker` (scripts/worker.ts): a forwarder process of its own, on a PostgreSQL
 * database, or attached to the embedded PostgreSQL of a server's data dir.
 */
export function startWorker(options: ProcessOptions, timeoutMs = 30_000): Promise<RunningWorker> {
  return startProcess("scripts/worker.ts", /\[worker\] forwarding/, options, timeoutMs);
}

/**
 * `npm run collector` (scripts/collector.ts): the storefront paths only, on a free port;
 * its URL is the first http:// address it prints.
 */
export async function startCollectorProcess(options: ProcessOptions, timeoutMs = 60_000): Promise<RunningWorker & { url: string }> {
  const port = await freePort();
  const child = await startProcess("scripts/collector.ts", /\[collector\] ready on/, { ...options, env: { HOST: "127.0.0.1", PORT: String(port), NODE_ENV: "production", ...options.env }, nodeArgs: [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? [])] }, timeoutMs);
  return { ...child, url: `http://127.0.0.1:${port}` };
}

type ProcessOptions = { name: string; databaseUrl?: string; dataDir?: string; env?: Record<string, string>; nodeArgs?: string[] };

async function startProcess(script: string, ready: RegExp, options: ProcessOptions, timeoutMs: number): Promise<RunningWorker> {
  installExitHook();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const logFile = path.join(ARTIFACTS, `${path.basename(script, ".ts")}-${options.name}.log`);
  const log = fs.createWriteStream(logFile);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", script], {
    cwd: ROOT,
    env: serverEnv({ ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}), ...(options.dataDir ? { TAGPIPE_DATA_DIR: options.dataDir } : {}), ...options.env }),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => live.delete(child));
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    log.write(chunk);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const end = async (signal: NodeJS.Signals) => {
    killGroup(child, signal);
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 10_000)))]);
    clearTimeout(timer);
    if (!done) {
      killGroup(child, "SIGKILL");
      await exited;
    }
    log.end();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} ${options.name} not ready after ${timeoutMs} ms: ${output}`)), timeoutMs);
      const check = () => {
        if (ready.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on("data", check);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${script} ${options.name} exited before it was ready (code ${code}, signal ${signal}): ${output}`));
      });
    });
  } catch (error) {
    await end("SIGKILL");
    throw error;
  }
  return { pid: child.pid!, output: () => output, stop: () => end("SIGTERM"), kill: (signal = "SIGKILL") => end(signal) };
}
