// The measuring code of npm run bench:collect, shared with npm run bench:trust: a REST
// client that publishes a pipeline, the autocannon load with its CPU and WAL meter, the
// servers and workers it starts, and the cleanup of all of them.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { testDistDir } from "../../tests/helpers/build";
import { freePort, startServer, startWorker, type Backend, type RunningServer, type RunningWorker } from "../../tests/helpers/server";

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const ONLY = process.env.BENCH_ONLY;
export const PROFILE_DIR = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
export const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
export const ENCRYPTION_KEY = randomBytes(32).toString("base64");

export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
export const figure = (name: string, value: number) => process.stdout.write(`${name}=${Number.isInteger(value) ? value : value.toFixed(2)}\n`);

// ---- cleanup: everything started is stopped, even on failure or Ctrl-C ----------------

export const cleanups: (() => Promise<unknown>)[] = [];
export async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((e) => log(`cleanup: ${(e as Error).message}`));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanup().then(() => process.exit(130)));

// ---- a tiny REST client: sign up, sign in, token, then the pipeline --------------------

export class Api {
  cookies = new Map<string, string>();
  token: string | null = null;
  constructor(readonly base: string) {}

  private keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  async call(method: string, p: string, body?: unknown): Promise<Record<string, unknown> & { id: string }> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    else {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      headers.origin = this.base;
    }
    const response = await fetch(new URL(`/api/v1${p}`, this.base), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${p} → ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }

  async signIn(email: string, password: string) {
    const csrf = await fetch(new URL("/api/auth/csrf", this.base));
    this.keep(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const response = await fetch(new URL("/api/auth/callback/credentials", this.base), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
      body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${this.base}/` }).toString(),
    });
    this.keep(response);
    if (![...this.cookies.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed: ${response.status}`);
  }
}

export type Pipeline = { publicKey: string; origin: string };

/** A team, a site, the purchase event mapped, a Meta destination at the stand-in, published to production. */
export async function publishPipeline(base: string): Promise<Pipeline & { api: Api; siteId: string; environmentId: string; destinationId: string }> {
  const api = new Api(base);
  const id = randomBytes(4).toString("hex");
  const email = `bench-${id}@example.test`;
  const password = `bench-${id}-password`;
  await api.call("POST", "/signup", { email, password, name: "Bench", teamName: `Bench ${id}` });
  await api.signIn(email, password);
  api.token = (await api.call("POST", "/tokens", { name: `bench-${id}`, role: "owner" })).secret as string;
  const hostname = `shop-${id}.example.com`;
  const site = await api.call("POST", "/sites", { name: `Bench shop ${id}`, hostnames: [hostname], defaultCurrency: "EUR" });
  const container = site.container as { id: string; environments: { kind: string; id: string; publicKey: string }[] };
  const plan = await api.call("POST", "/plan/events", { preset: "purchase" });
  const variable = async (name: string, p: string) => (await api.call("POST", `/containers/${container.id}/variables`, { name, definition: { kind: "data_layer", path: p } })).id;
  const mappings = {
    value: await variable("value", "ecommerce.value"),
    currency: await variable("currency", "ecommerce.currency"),
    order_id: await variable("order", "ecommerce.transaction_id"),
    content_ids: await variable("items", "ecommerce.items[].item_id"),
  };
  const event = await api.call("POST", `/containers/${container.id}/events`, { planEventId: plan.id, mappings });
  const destination = await api.call("POST", `/containers/${container.id}/destinations`, {
    name: "Meta",
    definition: { platform: "meta", ids: { pixelId: "1234567890" }, events: [{ eventId: event.id }] },
    secrets: { accessToken: "bench-token" },
  });
  const version = await api.call("POST", `/containers/${container.id}/versions`, { note: "bench" });
  const production = container.environments.find((e) => e.kind === "production")!;
  await api.call("POST", `/versions/${version.id}/publish`, { environmentId: production.id });
  return { publicKey: production.publicKey, origin: `https://${hostname}`, api, siteId: site.id, environmentId: production.id, destinationId: destination.id };
}

// ---- load -----------------------------------------------------------------------------

// Unique event_ids and order_ids: this run's prefix and a counter. (autocannon's
// idReplacement puts one id in every [<id>] of a request and miscounts Content-Length.)
export const RUN = randomBytes(4).toString("hex");
export let sequence = 0;
export function body(publicKey: string, events: number): string {
  let list = "";
  for (let i = 0; i < events; i++) {
    const id = `${RUN}-${++sequence}`;
    list += `${i ? "," : ""}{"event_id":"${id}","name":"purchase","params":{"value":49.9,"currency":"EUR","order_id":"o-${id}","content_ids":["sku-1","sku-2"]},"user_data":{"email":"buyer@example.com"},"page":{"url":"https://shop.example.com/thanks"}}`;
  }
  return `{"key":"${publicKey}","events":[${list}]}`;
}

// ---- where the CPU goes: /proc accounting per measurement (on stderr) -----------------

export const TICK_MS = 10; // USER_HZ = 100 on Linux

/**
 * CPU milliseconds (user + system) of a process and its threads; of every process named
 * `name`; or of one PostgreSQL server (its `postmaster` and the postmaster's children).
 * The last two count the children a process has reaped: a PostgreSQL backend that exits
 * hands its time to the postmaster's, so a measurement across connections closing does
 * not lose it.
 */
export function cpuMs(select: { pid: number } | { name: string } | { postmaster: number }): number {
  const pids = "pid" in select ? [String(select.pid)] : fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      if ("name" in select && !stat.includes(`(${select.name})`)) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if ("postmaster" in select && Number(pid) !== select.postmaster && Number(fields[1]) !== select.postmaster) continue;
      ticks += Number(fields[11]) + Number(fields[12]) + ("pid" in select ? 0 : Number(fields[13]) + Number(fields[14]));
    } catch {
      // gone meanwhile
    }
  }
  return ticks * TICK_MS;
}

/** The postmaster of the server `client` is connected to: its backend's parent (this machine's servers only). */
export async function postmasterOf(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const stat = fs.readFileSync(`/proc/${rows[0].pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

/** What a measurement watches: the server's pid, and the PostgreSQL server it writes to (its URL), if any. */
export type Meter = { server: number | null; postgres: string | null };
export const meter: Meter = { server: null, postgres: null };

/**
 * The PostgreSQL server's WAL position in bytes and the checkpoints it has started (any
 * database of the server tells both): a checkpoint during a measurement explains its tail.
 */
const walClients = new Map<string, { client: pg.Client; checkpoints: string }>();
export async function walState(url: string): Promise<{ bytes: number; checkpoints: number; commits: number }> {
  let wal = walClients.get(url);
  if (!wal) {
    const client = new pg.Client({ connectionString: url });
    // The restart figures kill the server under it: forget the connection, open another next time.
    client.on("error", () => walClients.delete(url));
    await client.connect();
    cleanups.push(() => client.end().catch(() => {}));
    // PostgreSQL 17 moved the checkpoint counters from pg_stat_bgwriter to pg_stat_checkpointer.
    const version = Number((await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v);
    const checkpoints = version >= 170000 ? "SELECT num_timed + num_requested FROM pg_stat_checkpointer" : "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter";
    wal = { client, checkpoints };
    walClients.set(url, wal);
  }
  const walClient = wal.client;
  // Each read is a transaction of its own (a fresh statistics snapshot). Backends report
  // their commit counts within about a second, so over a measurement of several seconds
  // events per commit is close, not exact.
  const { rows } = await walClient.query<{ at: string; checkpoints: string; commits: string }>(
    `SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn AS at, (${wal.checkpoints}) AS checkpoints,
            (SELECT sum(xact_commit) FROM pg_stat_database) AS commits`,
  );
  return { bytes: Number(rows[0].at), checkpoints: Number(rows[0].checkpoints), commits: Number(rows[0].commits) };
}

export function sampleCpu(): { server: number; postgres: number; loadGenerator: number; total: number } {
  const total = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].split(/\s+/).slice(1, 9).map(Number);
  const busy = total[0] + total[1] + total[2] + total[5] + total[6] + total[7];
  return {
    server: meter.server ? cpuMs({ pid: meter.server }) : 0,
    postgres: meter.postgres ? cpuMs({ name: "postgres" }) : 0,
    loadGenerator: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    total: busy * TICK_MS,
  };
}

export type Load = { url: string; pipeline: Pipeline; events: number; seconds: number; rate?: number; label?: string };

export async function load({ url, pipeline, events, seconds, rate, label }: Load) {
  const walBefore = label && meter.postgres ? await walState(meter.postgres) : null;
  const before = sampleCpu();
  const result = await autocannon({
    url: `${url}/api/collect`,
    method: "POST",
    connections: CONNECTIONS,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    headers: { "content-type": "text/plain;charset=UTF-8", origin: pipeline.origin, "user-agent": "Mozilla/5.0 (bench) Chrome/130.0" },
    requests: [{ setupRequest: (request) => ({ ...request, body: body(pipeline.publicKey, events) }) }],
  });
  const ok = result["2xx"];
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed) log(`  ${failed} requests failed (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`);
  if (label) {
    const after = sampleCpu();
    const walAfter = walBefore && meter.postgres && (await walState(meter.postgres));
    const checkpoints = walBefore && walAfter ? walAfter.checkpoints - walBefore.checkpoints : 0;
    const wal =
      walBefore && walAfter
        ? `; ${((ok * events) / Math.max(1, walAfter.commits - walBefore.commits)).toFixed(1)} events per commit, WAL ${((walAfter.bytes - walBefore.bytes) / Math.max(1, ok * events)).toFixed(0)} bytes per event` +
          (checkpoints ? `, ${checkpoints} checkpoint(s) started meanwhile` : "")
        : "";
    const perEvent = (ms: number) => ((ms * 1000) / Math.max(1, ok * events)).toFixed(0);
    const wall = (result.duration || seconds) * 1000;
    const share = (ms: number) => `${((100 * ms) / wall).toFixed(0)}% of a core`;
    const [srv, pgc, gen, all] = [after.server - before.server, after.postgres - before.postgres, after.loadGenerator - before.loadGenerator, after.total - before.total];
    log(
      `  ${label}: ${Math.round(ok / (result.duration || seconds))} requests/s; CPU per event: server ${perEvent(srv)} µs (${share(srv)}), PostgreSQL ${perEvent(pgc)} µs (${share(pgc)}), ` +
        `load generator ${perEvent(gen)} µs (${share(gen)}); machine busy ${((100 * all) / (wall * os.cpus().length)).toFixed(0)}% of ${os.cpus().length} cores${wal}`,
    );
  }
  return { requestsPerSecond: ok / (result.duration || seconds), eventsPerSecond: (ok * events) / (result.duration || seconds), p50: result.latency.p50, p90: result.latency.p90, p97_5: result.latency.p97_5, p99: result.latency.p99, max: result.latency.max, failed };
}

/** A reference server in a process of its own, answering once it prints a line; warmed up. */
export async function referenceServer(args: (port: number) => string[], publicKey: string): Promise<{ url: string; pipeline: Pipeline; child: ChildProcess }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, args(port), { stdio: ["ignore", "pipe", "inherit"] });
  cleanups.push(async () => child.kill("SIGKILL"));
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const pipeline = { publicKey, origin: "https://shop.example.com" };
  await load({ url, pipeline, events: 1, seconds: 1 });
  return { url, pipeline, child };
}

/** The same load against a bare node:http server in its own process: the ceiling. */
export async function ceiling(): Promise<number> {
  const { url, pipeline, child } = await referenceServer(
    (port) => ["-e", `require("node:http").createServer((q,s)=>{q.resume();q.on("end",()=>{s.writeHead(204);s.end()})}).listen(${port},"127.0.0.1",()=>console.log("up"))`],
    "tp_ceiling",
  );
  Object.assign(meter, { server: child.pid!, postgres: null });
  const r = await load({ url, pipeline, events: 1, seconds: SECONDS, label: "ceiling" });
  // The load generator's own tail (it runs in this process): the same half-load
  // measurement against a server that has nothing to wait for.
  const half = await load({ url, pipeline, events: 1, seconds: SECONDS, rate: Math.round(r.requestsPerSecond / 2) });
  log(`  ceiling at half load: ${spread(half)}`);
  child.kill("SIGKILL");
  return r.requestsPerSecond;
}

export const spread = (l: { p50: number; p90: number; p97_5: number; p99: number; max: number }) => `latency ms p50 ${l.p50}, p90 ${l.p90}, p97.5 ${l.p97_5}, p99 ${l.p99}, max ${l.max}`;

/**
 * The lean sketch (scripts/lean-collector.mjs) on the same PostgreSQL: what the
 * machine allows. Also at the collector's half-load rate: its tail beside the collector's
 * tells what the database and the disk (fsync on) cost both of them in this run.
 */
export async function leanSketch(databaseUrl: string, halfRate: number): Promise<void> {
  const { url, pipeline, child } = await referenceServer((port) => [path.join(process.cwd(), "scripts", "lean-collector.mjs"), String(port), databaseUrl], "tp_lean");
  Object.assign(meter, { server: child.pid!, postgres: databaseUrl });
  figure("lean_single_events_per_s", Math.round((await load({ url, pipeline, events: 1, seconds: SECONDS, label: "lean single" })).eventsPerSecond));
  figure("lean_batch20_events_per_s", Math.round((await load({ url, pipeline, events: 20, seconds: SECONDS, label: "lean batch20" })).eventsPerSecond));
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const half = await load({ url, pipeline, events: 1, seconds: SECONDS, rate: halfRate, label: "lean at the collector's half load" });
  log(`lean: at the collector's half load (${halfRate} requests/s): ${spread(half)}`);
  figure("lean_p99_ms", half.p99);
  child.kill("SIGKILL");
}

export async function serverFor(name: string, backend: Backend, databaseUrl: string | undefined, extra: Record<string, string> = {}, dataDir?: string): Promise<RunningServer> {
  const env: Record<string, string> = {
    TAGPIPE_OPEN_SIGNUP: "1",
    TAGPIPE_COLLECT_RATE_PER_IP: "100000000",
    TAGPIPE_COLLECT_RATE_PER_KEY: "100000000",
    TAGPIPE_FORWARD_DELAY_MS: "0",
    TAGPIPE_ENCRYPTION_KEY: ENCRYPTION_KEY,
    // Intake alone: the forwarder is measured on its own.
    TAGPIPE_WORKER: "0",
    ...extra,
  };
  // One profile per thread (the module loader has its own), named CPU.<date>.<pid>.<tid>….
  const nodeArgs = [...(PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.join(PROFILE_DIR, name)}`] : []), ...NODE_ARGS];
  const server = await startServer({ name: `bench-${name}`, backend, distDir: testDistDir(), databaseUrl, env, nodeArgs, dataDir });
  cleanups.push(() => server.stop());
  return server;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

/**
 * CHECKPOINT on each PostgreSQL server: every measurement starts with nothing of the one
 * before left to flush, on either server (they share one disk), as pgbench's docs advise.
 */
export async function checkpoint(urls: string[]): Promise<void> {
  for (const url of urls) await sql(url, "CHECKPOINT");
}

/** Statements in order on a connection of their own. */
export async function sql(url: string, ...statements: string[]): Promise<pg.QueryResult[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const results: pg.QueryResult[] = [];
    for (const statement of statements) results.push(await client.query(statement));
    return results;
  } finally {
    await client.end();
  }
}

export type IntakeRound = { single: number; batch20: number; halfRate: number; p50: number; p99: number };

/** A server measured by intakeRound: its name in the figures, its process, its database, its published pipeline. */
export type IntakeSide = { prefix: string; server: RunningServer; databaseUrl: string; pipeline: Pipeline };

/**
 * One round of intake on each server: single events, batches of 20, then half the single
 * rate for the latency, each measurement taken on one server right after the other's (in
 * the given order) and after a checkpoint of every server in `clusters`. The two figures
 * of a pair are seconds apart, not a round apart: this machine's speed drifts over tens of
 * seconds by more than the difference measured.
 */
export async function intakeRound(sides: IntakeSide[], clusters: string[]): Promise<IntakeRound[]> {
  const measure = async (side: IntakeSide, events: number, label: string, rate?: number) => {
    Object.assign(meter, { server: side.server.pid, postgres: side.databaseUrl });
    await checkpoint(clusters);
    return load({ url: side.server.url, pipeline: side.pipeline, events, seconds: SECONDS, label: `${side.prefix} ${label}`, ...(rate ? { rate } : {}) });
  };
  type Measured = Awaited<ReturnType<typeof measure>>;
  const single: Measured[] = [];
  for (const side of sides) single.push(await measure(side, 1, "single"));
  const batch: Measured[] = [];
  for (const side of sides) batch.push(await measure(side, 20, "batch20"));
  // The batch run leaves the server up to a few hundred milliseconds of accepted work:
  // let it finish, so the latency measured is the half-loaded server's, not the overloaded
  // one's backlog.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const rounds: IntakeRound[] = [];
  for (const [i, side] of sides.entries()) {
    const halfRate = Math.max(1, Math.round(single[i].requestsPerSecond / 2));
    const half = await measure(side, 1, "half load", halfRate);
    log(`${side.prefix}: half load ${halfRate} requests/s → answered ${Math.round(half.requestsPerSecond)}/s; ${spread(half)}`);
    rounds.push({ single: single[i].eventsPerSecond, batch20: batch[i].eventsPerSecond, halfRate, p50: half.p50, p99: half.p99 });
  }
  return rounds;
}

/** A minimal Meta stand-in: checks the path and counts data[] entries. */
export async function metaStandIn(): Promise<{ url: string; events: () => number; close: () => Promise<void> }> {
  let events = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const ok = req.method === "POST" && /^\/v\d+\.\d+\/\d+\/events$/.test(req.url ?? "");
      const n = ok ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data: unknown[] }).data.length : 0;
      events += n;
      res.writeHead(ok ? 200 : 400, { "content-type": "application/json" });
      res.end(JSON.stringify(ok ? { events_received: n, fbtrace_id: "bench" } : { error: { message: "bad path", code: 100 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, events: () => events, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The outbox left by a server's runs, drained by one worker process to the Meta stand-in:
 * on the PostgreSQL database, or attached to the embedded server of `dataDir`.
 */
export async function forward(databaseUrl: string, dataDir?: string): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  // An embedded server stops when its last Tagpipe process leaves, possibly before this is closed.
  db.on("error", () => {});
  await db.connect();
  cleanups.push(() => db.end());
  const count = async (status: string) => Number((await db.query(`SELECT count(*) AS n FROM "Delivery" WHERE status = $1`, [status])).rows[0].n);
  const backlog = await count("pending");
  const stand = await metaStandIn();
  cleanups.push(() => stand.close());
  log(`forward: ${backlog} pending deliveries`);
  const nodeArgs = PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.join(PROFILE_DIR, "worker")}`] : [];
  const booting = Date.now();
  const worker: RunningWorker = await startWorker({ name: "bench-worker", ...(dataDir ? { dataDir } : { databaseUrl }), env: { TAGPIPE_META_BASE_URL: stand.url, TAGPIPE_ENCRYPTION_KEY: ENCRYPTION_KEY, ...Object.fromEntries(["TAGPIPE_FORWARD_CONCURRENCY", "TAGPIPE_FORWARD_BATCH"].filter((k) => process.env[k]).map((k) => [k, process.env[k]!])) }, nodeArgs });
  cleanups.push(() => worker.stop());
  // Measured from the moment the worker says it is forwarding (its start-up is not
  // forwarding), for up to SECONDS + a few or until drained; the rate counts recorded
  // states (status = delivered), not requests.
  const started = Date.now();
  // This server's PostgreSQL only, not the other one of the comparison.
  const postmaster = await postmasterOf(db);
  const cpuBefore = { worker: cpuMs({ pid: worker.pid }), pg: cpuMs({ postmaster }), bench: process.cpuUsage() };
  // WAL per delivered event and its full-page images: a cluster with data checksums (PostgreSQL
  // 18's default) logs a page's first hint bits after each checkpoint, one without does not.
  const wal = async () => (await db.query<{ bytes: string; fpi: string; checksums: string }>(`SELECT wal_bytes AS bytes, wal_fpi AS fpi, current_setting('data_checksums') AS checksums FROM pg_stat_wal`)).rows[0];
  const walBefore = await wal();
  const already = await count("delivered");
  log(`forward: worker ready in ${((started - booting) / 1000).toFixed(1)} s`);
  const deadline = started + (SECONDS + 4) * 1000;
  // Progress is watched at the stand-in, in this process: counting the delivered rows every
  // 100 ms cost PostgreSQL 40 ms a count at 200,000 rows, a third of a core taken from the
  // worker it measures. The database is counted once the stand-in has seen every event (or
  // at the deadline), then until the last states are recorded.
  const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
  while (Date.now() < deadline && stand.events() < backlog) await pause();
  let delivered = (await count("delivered")) - already;
  while (delivered < backlog && Date.now() < deadline) {
    await pause();
    delivered = (await count("delivered")) - already;
  }
  const seconds = (Date.now() - started) / 1000;
  const workerMs = cpuMs({ pid: worker.pid }) - cpuBefore.worker;
  const pgMs = cpuMs({ postmaster }) - cpuBefore.pg;
  const standMs = (process.cpuUsage(cpuBefore.bench).user + process.cpuUsage(cpuBefore.bench).system) / 1000;
  await worker.stop();
  const perEvent = (ms: number) => ((ms * 1000) / Math.max(1, delivered)).toFixed(0);
  log(`forward: CPU per delivered event: worker ${perEvent(workerMs)} µs, PostgreSQL ${perEvent(pgMs)} µs, Meta stand-in and polling ${perEvent(standMs)} µs`);
  log(`forward: ${delivered} delivered (stand-in saw ${stand.events()}) in ${seconds.toFixed(1)} s`);
  // pg_stat_wal is flushed by the backends within about a second: close, not exact.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const walAfter = await wal();
  log(`forward: WAL per delivered event ${Math.round((Number(walAfter.bytes) - Number(walBefore.bytes)) / Math.max(1, delivered))} bytes, full-page images ${Number(walAfter.fpi) - Number(walBefore.fpi)} (data checksums ${walAfter.checksums})`);
  const dead = await count("dead");
  if (dead) log(`forward: ${dead} dead-lettered`);
  return delivered / seconds;
}

