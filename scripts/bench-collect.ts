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
// servers, e.g. "--trace-gc"; their output is in the servers' logs), BENCH_ONLY=pg|embedded.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuild, testDistDir } from "../tests/helpers/build";
import { createDatabase, dropDatabase } from "../tests/helpers/postgres";
import { embeddedCluster, removeDataDir } from "../tests/helpers/server";
import { idleCost } from "./bench/idle";
import { CONNECTIONS, ONLY, PROFILE_DIR, SECONDS, ceiling, cleanup, cleanups, figure, forward, intake, leanSketch, log, serverFor } from "./bench/collect-lib";

async function main() {
  const started = Date.now();
  if (PROFILE_DIR) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  ensureBuild(testDistDir(), log);
  log(`${os.cpus().length} CPUs, ${CONNECTIONS} connections, ${SECONDS} s per measurement`);

  if (ONLY === "idle" || !ONLY) {
    // First, while nothing else of this run is busy.
    await idleCost();
    if (ONLY === "idle") return;
  }

  log("ceiling: bare node:http answering 204");
  figure("ceiling_rps", Math.round(await ceiling()));

  let pgUrl: string | null = null;
  if (ONLY !== "embedded") {
    const database = await createDatabase("bench");
    cleanups.push(() => dropDatabase(database.name));
    pgUrl = database.url;
    const server = await serverFor("pg", "postgres", database.url);
    log(`PostgreSQL: ${server.url} on ${database.name}`);
    const { halfRate } = await intake("pg", server, database.url);
    await server.stop();
    // After the server's migrations: its own table beside the schema's.
    log("lean sketch: node:http + JSON.parse + one multi-row INSERT … ON CONFLICT per group commit");
    await leanSketch(database.url, halfRate);
  }
  if (pgUrl) figure("forward_events_per_s", Math.round(await forward(pgUrl)));
  if (ONLY !== "pg") {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tagpipe-bench-embedded-"));
    cleanups.push(async () => removeDataDir(dataDir));
    const server = await serverFor("embedded", "embedded", undefined, {}, dataDir);
    const url = embeddedCluster(dataDir)!.url;
    log(`embedded PostgreSQL: ${server.url} on ${url}`);
    await intake("embedded", server, url);
    // Back after a crash: Tagpipe SIGKILLed (its PostgreSQL keeps running and is reused),
    // then PostgreSQL SIGKILLed with it (the next start replays the WAL). From the new
    // process's spawn to its "ready" line.
    await server.kill("SIGKILL");
    let restarting = Date.now();
    const again = await serverFor("embedded-restart", "embedded", undefined, {}, dataDir);
    figure("embedded_restart_after_kill_ms", Date.now() - restarting);
    process.kill(embeddedCluster(dataDir)!.pid!, "SIGKILL");
    await again.kill("SIGKILL");
    restarting = Date.now();
    const last = await serverFor("embedded-recover", "embedded", undefined, {}, dataDir);
    figure("embedded_restart_after_db_kill_ms", Date.now() - restarting);
    // The worker attaches to the embedded server beside the (idle, forwarder-less) server.
    figure("embedded_forward_events_per_s", Math.round(await forward(url, dataDir)));
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
