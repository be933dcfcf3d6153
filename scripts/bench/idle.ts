// Idle cost: an `npm start` on the embedded default (fresh data directory, demo team
// seeded) that nobody uses, started as a user starts it (npm, then scripts/start.mjs, which
// runs the server bundled from server.ts in its own process).
// After a settling period (BENCH_IDLE_SETTLE_SECONDS, default 150: past the start's one-time
// work, the catalogs' first autovacuum visit and the first alert evaluation) it measures, over BENCH_IDLE_SECONDS (default 60), the CPU time
// of every process of `npm start`'s tree and of the embedded PostgreSQL's (the postmaster
// and every backend and helper it forked), as percent of one core — processes that came
// and went meanwhile included (a backend of a pool connection opened and closed, an
// autovacuum worker): each process counts its own time and its reaped children's
// (utime + stime + cutime + cstime), so the tree's total is the sum over the processes
// alive at each end; a breakdown per kind of process goes to stderr. At the end their
// memory: idle_rss_mb (the Node processes' resident sets: the server, and npm waiting on
// it) and idle_pg_pss_mb
// (PostgreSQL's processes, proportional set size: shared buffers counted once). Read from
// /proc, so Linux only.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testDistDir } from "../../tests/helpers/build";
import { removeDataDir, startServer } from "../../tests/helpers/server";
import { cleanups, figure, log } from "./collect-lib";

const TICKS = 100; // USER_HZ on Linux

/** ticks: own and reaped children's CPU time; reaped: the children's part alone. */
type Proc = { pid: number; ppid: number; ticks: number; reaped: number; cmd: string };

function processes(): Proc[] {
  const list: Proc[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name is in parentheses and may hold spaces: fields follow the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, "utf8").replace(/\0/g, " ");
      // utime, stime, cutime, cstime: its own and its waited-for children's.
      const reaped = Number(fields[13]) + Number(fields[14]);
      list.push({ pid: Number(name), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + reaped, reaped, cmd });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return list;
}

/** The server's process tree plus the embedded PostgreSQL's (found by its data directory in the command line). */
function tree(serverPid: number, clusterDir: string): Proc[] {
  const all = processes();
  const roots = new Set([serverPid, ...all.filter((p) => p.cmd.includes(clusterDir)).map((p) => p.pid)]);
  const members = new Set<number>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!members.has(p.pid) && (roots.has(p.pid) || members.has(p.ppid))) {
        members.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => members.has(p.pid));
}

function memoryKb(pid: number, field: "VmRSS" | "Pss"): number {
  try {
    const file = field === "Pss" ? `/proc/${pid}/smaps_rollup` : `/proc/${pid}/status`;
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(file, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** What a process of the tree is: npm, the server, esbuild, or which PostgreSQL process. */
function kindOf(p: Proc, clusterDir: string): string {
  if (p.cmd.startsWith("postgres: ")) {
    const title = p.cmd.slice("postgres: ".length).trim();
    // Backends' titles are "user database client state"; helpers' are their role.
    return / \[local\]| \d+\.\d+\.\d+\.\d+/.test(title) ? "PostgreSQL backends" : `PostgreSQL ${title.replace(/ \d+$/, "")}`;
  }
  if (p.cmd.includes(clusterDir) || /\/bin\/postgres /.test(p.cmd)) return "PostgreSQL postmaster";
  if (p.cmd.includes("esbuild")) return "esbuild service";
  if (/^npm |\/npm(-cli\.js)? /.test(p.cmd)) return "npm";
  if (p.cmd.startsWith("sh ")) return "sh";
  return `node ${path.basename(p.cmd.split(" ").find((w) => /\.(m?js|ts)$/.test(w)) ?? "?")}`;
}

export async function idleCost(): Promise<void> {
  const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
  const settle = Number(process.env.BENCH_IDLE_SETTLE_SECONDS ?? 150);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tagpipe-bench-idle-"));
  cleanups.push(async () => removeDataDir(dataDir));
  // As `npm start` runs it: embedded database, demo data, forwarder, health fold and alerts in the process.
  const server = await startServer({ name: "bench-idle", backend: "embedded", distDir: testDistDir(), dataDir, env: { TAGPIPE_SEED: "1" }, npmStart: true });
  cleanups.push(() => server.stop());
  const clusterDir = fs.realpathSync(path.join(dataDir, "postgres"));
  log(`idle: ${server.url}, settling ${settle} s, then measuring ${seconds} s`);
  await new Promise((resolve) => setTimeout(resolve, settle * 1000));
  const before = tree(server.pid, clusterDir);
  const started = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = tree(server.pid, clusterDir);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  // A process that ended meanwhile moved its time into its parent's cutime/cstime: the
  // difference of the two sums is what the tree used in between.
  const ticks = new Map(before.map((p) => [p.pid, p.ticks]));
  const used = after.reduce((sum, p) => sum + p.ticks, 0) - before.reduce((sum, p) => sum + p.ticks, 0);
  for (const p of after) {
    const spent = p.ticks - (ticks.get(p.pid) ?? 0);
    if (spent > 0) log(`idle: ${((100 * spent) / TICKS / elapsed).toFixed(2)} % ${p.pid} ${p.cmd.slice(0, 90)}`);
  }
  // Per kind, on stderr: where the time goes (the postmaster's reaped children are the
  // backends and autovacuum workers that came and went).
  const kinds = new Map<string, number>();
  for (const p of after) {
    const was = before.find((b) => b.pid === p.pid);
    const own = p.ticks - p.reaped - (was ? was.ticks - was.reaped : 0);
    const reaped = p.reaped - (was?.reaped ?? 0);
    const kind = kindOf(p, clusterDir);
    kinds.set(kind, (kinds.get(kind) ?? 0) + own);
    if (reaped) kinds.set(`${kind}: reaped children`, (kinds.get(`${kind}: reaped children`) ?? 0) + reaped);
  }
  // A process that ended meanwhile: its parent reaped its whole life's time, only the part after the first reading is the minute's.
  for (const p of before) {
    const parent = after.find((a) => a.pid === p.ppid);
    if (parent && !after.some((a) => a.pid === p.pid)) {
      const key = `${kindOf(parent, clusterDir)}: reaped children`;
      kinds.set(key, (kinds.get(key) ?? 0) - p.ticks);
    }
  }
  const byKind = [...kinds].filter(([, t]) => t > 0).sort((a, b) => b[1] - a[1]);
  log(`idle: by kind, % of a core: ${byKind.map(([k, t]) => `${k} ${((100 * t) / TICKS / elapsed).toFixed(2)}`).join("; ")}`);
  const gone = before.filter((p) => !after.some((a) => a.pid === p.pid));
  if (gone.length) log(`idle: ${gone.length} processes ended meanwhile (counted in their parents'): ${gone.map((p) => p.cmd.slice(0, 40)).join("; ")}`);
  const node = after.filter((p) => p.pid === server.pid || (!p.cmd.includes("postgres") && !p.cmd.includes(clusterDir)));
  const pg = after.filter((p) => !node.includes(p));
  figure("idle_cpu_pct", (100 * used) / TICKS / elapsed);
  figure("idle_processes", after.length);
  figure("idle_rss_mb", Math.round(node.reduce((sum, p) => sum + memoryKb(p.pid, "VmRSS"), 0) / 1024));
  figure("idle_pg_pss_mb", Math.round(pg.reduce((sum, p) => sum + memoryKb(p.pid, "Pss"), 0) / 1024));
  await server.stop();
}
