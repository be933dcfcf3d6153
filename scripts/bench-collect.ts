// npm run bench:collect – the collector's figures, each printed on its own line as
// name=value (progress goes to stderr):
//
//   ceiling_rps               a bare node:http server answering 204, same load, same run
//   pg_single_events_per_s    POST /api/collect, one purchase per request, 50 connections
//   pg_batch20_events_per_s   the same with 20 purchases per request
//   pg_p50_ms, pg_p99_ms      latency at half the single-event maximum (autocannon overallRate)
//   embedded_…                the same four on the embedded PostgreSQL (`npm start` without DATABASE_URL)
//   lean_single_events_per_s, lean_batch20_events_per_s
//                             the issue's lean sketch (scripts/lean-collector.mjs: no
//                             validation, hashing or outbox) on the same database: what
//                             this machine allows, to read the collector's figures against
//   lean_p99_ms               the lean sketch's p99 at the collector's half-load rate: what the
//                             database and the disk alone add to the tail in this run
//   forward_events_per_s      a worker (scripts/worker.ts) draining the outbox to a local
//                             Meta stand-in, in batches, recording each delivery's state
//   embedded_forward_events_per_s  the same on the embedded PostgreSQL, the worker attached to it
//   embedded_restart_after_kill_ms, embedded_restart_after_db_kill_ms
//                             `npm start` ready again after Tagpipe, or Tagpipe and its PostgreSQL, were SIGKILLed
//   idle_cpu_pct, idle_rss_mb, idle_pg_pss_mb
//                             an idle `npm start` on the embedded default: percent of one core
//                             over BENCH_IDLE_SECONDS (60), the database's processes included;
//                             the server's resident memory and PostgreSQL's (scripts/bench/idle.ts)
//
// It starts its own servers (the production build, like the integration tests: a stale
// one is rebuilt) on a temporary PostgreSQL database it creates and drops and on an
// embedded PostgreSQL in a temporary data directory, with high intake rate limits, and publishes a container
// through the REST API. Every event is a valid purchase with a unique event_id and
// order_id. Settings: BENCH_SECONDS (per measurement, default 6), BENCH_CONNECTIONS (50),
// TEST_POSTGRES_URL (the maintenance database), TAGPIPE_DIST_DIR, BENCH_PROFILE=<dir>
// (write the servers' --cpu-prof profiles there), BENCH_NODE_ARGS (more Node flags for the
// servers, e.g. "--trace-gc"; their output is in the servers' logs), BENCH_ONLY=pg|embedded|idle|intake
// (intake: both servers, no idle measurement), BENCH_ROUNDS (5). The intake and forwarding
// figures are medians of rounds taken by turns on both servers (each measurement on one right
// after the same on the other), each after a CHECKPOINT of both.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuild, testDistDir } from "../tests/helpers/build";
import { createDatabase, dropDatabase } from "../tests/helpers/postgres";
import { embeddedCluster, removeDataDir } from "../tests/helpers/server";
import { idleCost } from "./bench/idle";
import { CONNECTIONS, ONLY, PROFILE_DIR, SECONDS, ceiling, checkpoint, cleanup, cleanups, figure, forward, intakeRound, leanSketch, load, log, median, publishPipeline, serverFor, sql, type IntakeRound, type Pipeline } from "./bench/collect-lib";
import type { RunningServer } from "../tests/helpers/server";

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));

type Side = { prefix: "pg" | "embedded"; server: RunningServer; databaseUrl: string; dataDir?: string; pipeline?: Pipeline; rounds: IntakeRound[]; forwarded: number[] };

const setting = async (url: string, name: string) => (await sql(url, `SELECT current_setting('${name}') AS value`))[0].rows[0].value as string;

async function vacuum(url: string) {
  const started = Date.now();
  await sql(url, "VACUUM (ANALYZE)");
  log(`VACUUM (ANALYZE) in ${Date.now() - started} ms`);
}

async function main() {
  const started = Date.now();
  if (PROFILE_DIR) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  ensureBuild(testDistDir(), log);
  log(`${os.cpus().length} CPUs, ${CONNECTIONS} connections, ${SECONDS} s per measurement, ${ROUNDS} rounds`);

  if (ONLY === "idle" || !ONLY) {
    // First, while nothing else of this run is busy.
    await idleCost();
    if (ONLY === "idle") return;
  }

  log("ceiling: bare node:http answering 204");
  figure("ceiling_rps", Math.round(await ceiling()));

  // Both servers up at once and measured by turns, round after round (the order swapped
  // each round), each figure the median of its rounds: this machine's speed moves by up to
  // 1.7× within minutes, so one measurement of each, minutes apart, compares the minutes.
  const sides: Side[] = [];
  if (ONLY !== "embedded") {
    const database = await createDatabase("bench");
    cleanups.push(() => dropDatabase(database.name));
    const server = await serverFor("pg", "postgres", database.url);
    log(`PostgreSQL: ${server.url} on ${database.name}`);
    sides.push({ prefix: "pg", server, databaseUrl: database.url, rounds: [], forwarded: [] });
  }
  if (ONLY !== "pg") {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tagpipe-bench-embedded-"));
    cleanups.push(async () => removeDataDir(dataDir));
    const server = await serverFor("embedded", "embedded", undefined, {}, dataDir);
    const url = embeddedCluster(dataDir)!.url;
    log(`embedded PostgreSQL: ${server.url} on ${url}`);
    sides.push({ prefix: "embedded", server, databaseUrl: url, dataDir, rounds: [], forwarded: [] });
  }
  const clusters = sides.map((side) => side.databaseUrl);
  // Like for like: when the machine's PostgreSQL runs without autovacuum (as CI's does), so
  // does the embedded one during the comparison — else its autovacuum, catching up with the
  // rounds' inserts and the drains' updates on the same two cores, is a cost one side pays
  // and the other does not (13–20 % of the embedded figures here: docs/benchmarks.md).
  if (sides.length === 2 && (await setting(sides[0].databaseUrl, "autovacuum")) === "off") {
    await sql(sides[1].databaseUrl, "ALTER SYSTEM SET autovacuum = off", "SELECT pg_reload_conf()");
    log("autovacuum off on the embedded server too, as on the PostgreSQL server");
  }
  for (const side of sides) {
    side.pipeline = await publishPipeline(side.server.url);
    log(`${side.prefix}: warming up`);
    await load({ url: side.server.url, pipeline: side.pipeline, events: 1, seconds: 2 });
  }
  const byTurns = (round: number) => (round % 2 ? [...sides].reverse() : sides);
  for (let round = 0; round < ROUNDS; round++) {
    const order = byTurns(round);
    const measured = await intakeRound(order.map((side) => ({ prefix: side.prefix, server: side.server, databaseUrl: side.databaseUrl, pipeline: side.pipeline! })), clusters);
    order.forEach((side, i) => side.rounds.push(measured[i]));
  }
  for (const { prefix, rounds } of sides) {
    log(`${prefix}: rounds single ${rounds.map((r) => Math.round(r.single)).join(" ")}, batch20 ${rounds.map((r) => Math.round(r.batch20)).join(" ")}, p99 ${rounds.map((r) => r.p99).join(" ")}`);
    figure(`${prefix}_single_events_per_s`, Math.round(median(rounds.map((r) => r.single))));
    figure(`${prefix}_batch20_events_per_s`, Math.round(median(rounds.map((r) => r.batch20))));
    figure(`${prefix}_p50_ms`, median(rounds.map((r) => r.p50)));
    figure(`${prefix}_p99_ms`, median(rounds.map((r) => r.p99)));
  }

  // The outbox the rounds left, drained by a worker, by turns as well, on vacuumed and
  // analysed tables.
  for (const url of clusters) await vacuum(url);
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of byTurns(round)) {
      await checkpoint(clusters);
      side.forwarded.push(await forward(side.databaseUrl, side.dataDir));
    }
  }
  for (const { prefix, forwarded } of sides) {
    log(`${prefix}: forwarding rounds ${forwarded.map(Math.round).join(" ")}`);
    figure(prefix === "pg" ? "forward_events_per_s" : "embedded_forward_events_per_s", Math.round(median(forwarded)));
  }
  if (sides.length === 2) {
    // Each round's pair was measured minutes apart at most: the median of the pairs' ratios
    // follows the machine's drift less than the ratio of the medians.
    const [pgSide, embedded] = sides;
    const paired = (a: number[], b: number[]) => `${(100 * median(a.map((x, i) => x / b[i])) - 100).toFixed(1)} %`;
    const pick = (side: Side, key: "single" | "batch20") => side.rounds.map((r) => r[key]);
    log(`embedded against the PostgreSQL server, median of the rounds' pairs: single ${paired(pick(embedded, "single"), pick(pgSide, "single"))}, batch20 ${paired(pick(embedded, "batch20"), pick(pgSide, "batch20"))}, forwarding ${paired(embedded.forwarded, pgSide.forwarded)}`);
  }

  const pgSide = sides.find((side) => side.prefix === "pg");
  if (pgSide) {
    await pgSide.server.stop();
    // After the server's migrations: its own table beside the schema's.
    log("lean sketch: node:http + JSON.parse + one multi-row INSERT … ON CONFLICT per group commit");
    await leanSketch(pgSide.databaseUrl, Math.round(median(pgSide.rounds.map((r) => r.halfRate))));
  }
  const embeddedSide = sides.find((side) => side.prefix === "embedded");
  if (embeddedSide) {
    const dataDir = embeddedSide.dataDir!;
    // Back after a crash: Tagpipe SIGKILLed (its PostgreSQL keeps running and is reused),
    // then PostgreSQL SIGKILLed with it (the next start replays the WAL). From the new
    // process's spawn to its "ready" line.
    await embeddedSide.server.kill("SIGKILL");
    let restarting = Date.now();
    const again = await serverFor("embedded-restart", "embedded", undefined, {}, dataDir);
    figure("embedded_restart_after_kill_ms", Date.now() - restarting);
    process.kill(embeddedCluster(dataDir)!.pid!, "SIGKILL");
    await again.kill("SIGKILL");
    restarting = Date.now();
    const last = await serverFor("embedded-recover", "embedded", undefined, {}, dataDir);
    figure("embedded_restart_after_db_kill_ms", Date.now() - restarting);
    await last.stop();
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s${PROFILE_DIR ? `; profiles in ${PROFILE_DIR}` : ""}`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
