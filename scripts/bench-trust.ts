// npm run bench:trust – the figures of issue 13 (signal health), each on its own line as
// name=value (progress goes to stderr):
//
//   health_page_ms_10m_events  server time to answer a site's Health page for 30 days
//                              (GET /sites/:id/health?period=30d over HTTP, signed in: the
//                              page's data load and its server render), median of 9, with
//                              10,000,000 events stored over the last 30 days (one in ten
//                              accepted ones with a delivery) and folded into the rollups
//   collect_overhead_pct       how much slower pg_single_events_per_s is with signal health
//                              running (a process beside the server folding the rollups
//                              every 2 s as the product does and evaluating the alerts once
//                              per measurement window — ten times the product's default —
//                              and the live stream polled every second) than without it, in
//                              the same run on the same server, on analysed tables; by turns,
//                              BENCH_ROUNDS (8) rounds of one each, the median of the rounds' ratios
//                              (this machine's single rounds range ±20 %: four were too few)
//   stream_latency_p95_ms      from the collector's 202 to the event returned by the stream
//                              API (scripts/bench/stream-latency.ts)
//
//   reconcile_100k_ms, import_1m_rows_ms, import_1m_rss_growth_mb
//                              reconciliation (issue 15): see scripts/bench/reconcile-lib.ts
//
// It starts its own servers on temporary PostgreSQL databases (created and dropped) and
// reuses bench:collect's measuring code (scripts/bench/collect-lib.ts). Settings:
// BENCH_EVENTS (default 10,000,000), BENCH_SECONDS (per throughput measurement, 6),
// BENCH_ONLY=page|overhead|stream|reconcile|import, BENCH_OVERHEAD_PARTS (fold,alerts,stream:
// what "on" runs, to see each part's cost).
import { spawn } from "node:child_process";
import os from "node:os";
import pg from "pg";
import { ensureBuild, testDistDir } from "../tests/helpers/build";
import { createDatabase, dropDatabase } from "../tests/helpers/postgres";
import { measureStreamLatency } from "./bench/stream-latency";
import { import1m, reconcile100k } from "./bench/reconcile-lib";
import { SECONDS, cleanup, cleanups, figure, load, log, meter, publishPipeline, serverFor, sql, cpuMs, median } from "./bench/collect-lib";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const ONLY = process.env.BENCH_ONLY;
/** Overhead rounds, each one measurement off and one on. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 8));
/**
 * The alerts' evaluation interval while measuring the overhead: once per measurement window
 * (SECONDS), ten times as often as the product's default of 60 s — an upper bound of their
 * cost, which a 6 s window would otherwise see once in ten.
 */
const ALERT_INTERVAL_MS = Math.max(1000, Number(process.env.BENCH_ALERT_INTERVAL_MS ?? SECONDS * 1000));
/** What "health on" runs while measuring the overhead (BENCH_OVERHEAD_PARTS, default all three): to see what each part costs. */
const PARTS = new Set((process.env.BENCH_OVERHEAD_PARTS ?? "fold,alerts,stream").split(",").map((p) => p.trim()));

/** Ten million events over 30 days, written by the database itself (INSERT … SELECT generate_series), with their deliveries. */
async function generate(url: string, p: { siteId: string; environmentId: string; destinationId: string }, teamId: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SET synchronous_commit = off");
    const chunk = 1_000_000;
    for (let start = 0; start < EVENTS; start += chunk) {
      const end = Math.min(EVENTS, start + chunk);
      const t = Date.now();
      // Events: three names, three sources, three regions; 4 % rejected for their currency;
      // match keys on a share of them. receivedAt spread evenly over the last 30 days.
      await client.query(
        `INSERT INTO "CollectedEvent" (id, "teamId", "siteId", "environmentId", "environmentKind", "versionNumber", name, "eventId", "orderId", source, status, errors, params, "userData", region, "eventTime", "receivedAt")
         SELECT 'g' || g, $1, $2, $3, 'production', 1,
                (ARRAY['purchase', 'add_to_cart', 'sign_up'])[1 + g % 3], 'g' || g, CASE WHEN g % 3 = 0 THEN 'o' || g END,
                (ARRAY['browser', 'server', 'both', 'both'])[1 + (g / 3) % 4],
                CASE WHEN g % 25 = 0 THEN 'rejected' ELSE 'accepted' END,
                CASE WHEN g % 25 = 0 THEN '[{"field":"params.currency","message":"must be an ISO 4217 code such as EUR"}]'::jsonb ELSE '[]'::jsonb END,
                '{"value": 10, "currency": "EUR"}'::jsonb,
                CASE WHEN g % 2 = 0 THEN '{"em": "h", "client_ip_address": "1.2.3.4", "client_user_agent": "ua", "fbp": "fb.1.1.1"}'::jsonb ELSE '{"external_id": "h"}'::jsonb END,
                (ARRAY['eu', 'us', NULL])[1 + (g / 12) % 3],
                ts, ts
         FROM generate_series($4::bigint, $5::bigint) g, LATERAL (SELECT (LOCALTIMESTAMP - interval '30 days' + (g::float8 / $6) * interval '30 days')::timestamp(3) AS ts) x`,
        [teamId, p.siteId, p.environmentId, start, end - 1, EVENTS],
      );
      await client.query(
        `INSERT INTO "Delivery" (id, "teamId", "collectedEventId", "destinationId", platform, "eventName", status, attempts, "deliveredAt", "createdAt")
         SELECT 'd' || g, $1, 'g' || g, $2, 'meta', 'Purchase', CASE WHEN g % 200 = 0 THEN 'dead' ELSE 'delivered' END, 1, now(), now()
         FROM generate_series($3::bigint, $4::bigint) g WHERE g % 25 <> 0 AND g % 10 = 1`,
        [teamId, p.destinationId, start, end - 1],
      );
      // The forwarder's outcome log, as it writes it, with the keys of what was sent. One
      // accepted event in ten has a delivery: the destination rows of the rollups are as
      // many as with all of them (the same hours and dimensions), and folding ten million
      // outcomes would take this machine most of an hour.
      await client.query(
        `INSERT INTO "DeliveryOutcome" ("deliveryId", outcome, keys, at)
         SELECT 'd' || g, CASE WHEN g % 200 = 0 THEN 'dead' ELSE 'delivered' END, CASE WHEN g % 2 = 0 THEN 1 + 8 + 32 ELSE 4 END,
                (LOCALTIMESTAMP - interval '30 days' + (g::float8 / $3) * interval '30 days')::timestamp(3)
         FROM generate_series($1::bigint, $2::bigint) g WHERE g % 25 <> 0 AND g % 10 = 1`,
        [start, end - 1, EVENTS],
      );
      log(`  ${end.toLocaleString("en-GB")} events (${((Date.now() - t) / 1000).toFixed(0)} s for this million)`);
    }
    await client.query(`ANALYZE "CollectedEvent"; ANALYZE "Delivery"; ANALYZE "DeliveryOutcome"`);
  } finally {
    await client.end();
  }
}

/** Folds everything into the rollups in a process of its own (lib/health/rollups.ts foldAll on that database). */
async function foldAll(url: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "-e", `import("./lib/health/rollups.ts").then(async (m) => { const r = await m.foldAll(); console.error("[fold] " + r.length + " folds, " + r.reduce((n, x) => n + x.events, 0) + " events, " + r.reduce((n, x) => n + x.outcomes, 0) + " outcomes"); const db = await import("./lib/db.ts"); await db.closeDatabase(); })`], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`fold exited with ${code}`))));
  });
}

async function healthPage(): Promise<void> {
  const database = await createDatabase("trust");
  cleanups.push(() => dropDatabase(database.name));
  const server = await serverFor("trust-page", "postgres", database.url, { TAGPIPE_HEALTH: "0" });
  const p = await publishPipeline(server.url);
  const team = (await p.api.call("GET", "/team")) as unknown as { id: string };
  log(`health page: generating ${EVENTS.toLocaleString("en-GB")} events over 30 days`);
  let t = Date.now();
  await generate(database.url, p, team.id);
  log(`  generated in ${((Date.now() - t) / 1000).toFixed(0)} s; folding into the rollups`);
  t = Date.now();
  await foldAll(database.url);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const [{ rows }] = [await client.query(`SELECT count(*)::int AS rows, sum(received)::bigint AS received FROM "HealthRollup"`)];
  await client.query(`ANALYZE "HealthRollup"`);
  await client.end();
  log(`  folded in ${((Date.now() - t) / 1000).toFixed(0)} s: ${rows[0].rows} rollup rows, ${rows[0].received} events counted`);
  // The page as a signed-in marketer opens it: the session cookie, the full HTML.
  const cookie = [...p.api.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const timed = async (path: string, expect: string) => {
    const started = performance.now();
    const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
    const html = await response.text();
    const ms = performance.now() - started;
    if (response.status !== 200 || !html.includes(expect)) throw new Error(`${path} answered ${response.status}`);
    return ms;
  };
  const page = () => timed(`/sites/${p.siteId}/health?period=30d`, "Health");
  // For reading the figure: the site's settings page, a dashboard page that reads no rollup.
  const baseline: number[] = [];
  for (let i = 0; i < 5; i++) baseline.push(await timed(`/sites/${p.siteId}`, "Settings"));
  log(`  baseline: the site settings page takes ${median(baseline).toFixed(0)} ms (median of 5)`);
  await page();
  await page();
  const times: number[] = [];
  for (let i = 0; i < 9; i++) times.push(await page());
  log(`  Health page, 30 days: ${times.map((x) => x.toFixed(0)).join(", ")} ms`);
  figure("health_page_ms_10m_events", Math.round(median(times)));
  await server.stop();
}

/**
 * A process that folds the rollups every 2 s and evaluates the alerts while resumed (the
 * server runs with TAGPIPE_WORKER=0, like the intake benchmark, so these run beside it as
 * a worker's would). One process for the whole measurement, warmed up once: tsx compiling
 * the modules and Prisma's first queries are start-up, which `npm start` pays once, not
 * the cost of keeping health on.
 */
async function folder(url: string): Promise<{ pid: number; resume: () => Promise<void>; pause: () => Promise<void>; stop: () => Promise<void> }> {
  const script = `Promise.all([import("./lib/health/rollups.ts"), import("./lib/health/alerts/loop.ts")]).then(([r, a]) => {
    let stops = null;
    const pause = () => { const s = stops || []; stops = null; return Promise.all(s.map((f) => f())); };
    require("node:readline").createInterface({ input: process.stdin }).on("line", (line) => {
      if (line === "resume") { stops = stops || [${PARTS.has("fold") ? "r.startFolding((l) => console.error(l))" : ""}, ${PARTS.has("alerts") ? "a.startAlerts((l) => console.error(l))" : ""}].filter(Boolean); console.log("resumed"); }
      if (line === "pause") void pause().then(() => console.log("paused"));
    });
    process.on("SIGTERM", () => void pause().then(() => process.exit(0)));
    console.log("ready");
  })`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", script], {
    env: { ...process.env, DATABASE_URL: url, TAGPIPE_HEALTH: "1", TAGPIPE_ALERT_INTERVAL_MS: String(ALERT_INTERVAL_MS) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  cleanups.push(async () => child.kill("SIGKILL"));
  let buffered = "";
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      const i = waiters.findIndex((w) => w.line === line);
      if (i >= 0) waiters.splice(i, 1)[0].resolve();
    }
  });
  const said = (line: string) =>
    new Promise<void>((resolve, reject) => {
      waiters.push({ line, resolve });
      void exited.then(() => reject(new Error(`the fold and alerts process exited before saying "${line}"`)));
    });
  await said("ready");
  return {
    pid: child.pid!,
    resume: () => {
      const done = said("resumed");
      child.stdin!.write("resume\n");
      return done;
    },
    pause: () => {
      const done = said("paused");
      child.stdin!.write("pause\n");
      return done;
    },
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function overhead(): Promise<void> {
  const database = await createDatabase("trustcol");
  cleanups.push(() => dropDatabase(database.name));
  const server = await serverFor("trust-collect", "postgres", database.url);
  const pipeline = await publishPipeline(server.url);
  log("collect overhead: warming up");
  await load({ url: server.url, pipeline, events: 1, seconds: 2 });
  // What autovacuum would have done by now: the machine's PostgreSQL runs without it (CI's
  // settings), and a table never analysed makes the planner take the environment's
  // newest events for two rows — the stream's page then sorted every stored event (105 ms
  // a poll at 90,000 events, measured) instead of reading the index's newest end (0.1 ms).
  await sql(database.url, "ANALYZE");
  Object.assign(meter, { server: server.pid, postgres: database.url });
  const f = await folder(database.url);
  // Its warm-up: a few folds and one evaluation of the alerts under load.
  await f.resume();
  await load({ url: server.url, pipeline, events: 1, seconds: Math.ceil((Math.min(ALERT_INTERVAL_MS, SECONDS * 1000) * 1.5) / 1000) });
  await f.pause();
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const off = async () => (await load({ url: server.url, pipeline, events: 1, seconds: SECONDS, label: "health off" })).eventsPerSecond;
    const on = async () => {
      await f.resume();
      // Someone watching the live stream, as the dashboard polls it: every second.
      const watching = setInterval(() => PARTS.has("stream") && void pipeline.api.call("GET", `/environments/${pipeline.environmentId}/events?limit=50`).catch((e: Error) => log(`stream poll: ${e.message}`)), 1000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const cpuBefore = cpuMs({ pid: f.pid });
      const rate = (await load({ url: server.url, pipeline, events: 1, seconds: SECONDS, label: "health on (folding, alerts, stream watched)" })).eventsPerSecond;
      log(`  the fold and alerts process: ${(((cpuMs({ pid: f.pid }) - cpuBefore) / (SECONDS * 1000)) * 100).toFixed(1)} % of a core`);
      clearInterval(watching);
      await f.pause();
      return rate;
    };
    // By turns, the order swapped each round: the machine's drift touches both alike.
    let onRate: number, offRate: number;
    if (round % 2) {
      onRate = await on();
      offRate = await off();
    } else {
      offRate = await off();
      onRate = await on();
    }
    ratios.push(onRate / offRate);
    log(`  round ${round + 1}: on ${Math.round(onRate)}, off ${Math.round(offRate)} events/s (${(100 - 100 * (onRate / offRate)).toFixed(1)} % slower)`);
  }
  // Of an even number of rounds, the lower middle ratio: the larger overhead.
  figure("collect_overhead_pct", 100 - 100 * median(ratios));
  await f.stop();
  await server.stop();
}

/** From the collector's 202 to the event returned by the stream API (scripts/bench/stream-latency.ts). */
async function streamLatency(): Promise<void> {
  const database = await createDatabase("truststream");
  cleanups.push(() => dropDatabase(database.name));
  const server = await serverFor("trust-stream", "postgres", database.url);
  figure("stream_latency_p95_ms", Math.round(await measureStreamLatency({ baseUrl: server.url, log })));
  await server.stop();
}

async function main() {
  const started = Date.now();
  ensureBuild(testDistDir(), log);
  log(`${os.cpus().length} CPUs`);
  if (!ONLY || ONLY === "page") await healthPage();
  if (!ONLY || ONLY === "overhead") await overhead();
  if (!ONLY || ONLY === "stream") await streamLatency();
  if (!ONLY || ONLY === "reconcile") await reconcile100k();
  if (!ONLY || ONLY === "import") await import1m();
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
