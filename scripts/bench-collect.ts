// npm run bench:collect – the collector's figures, each printed on its own line as
// name=value (progress goes to stderr):
//
//   ceiling_rps               a bare node:http server answering 204, same load, same run
//   pg_single_events_per_s    POST /api/collect, one purchase per request, 50 connections
//   pg_batch20_events_per_s   the same with 20 purchases per request
//   pg_p50_ms, pg_p99_ms      latency at half the single-event maximum (autocannon overallRate)
//   pglite_…                  the same four on the embedded PGlite database
//   lean_single_events_per_s, lean_batch20_events_per_s
//                             the issue's lean sketch (scripts/lean-collector.mjs: no
//                             validation, hashing or outbox) on the same database: what
//                             this machine allows, to read the collector's figures against
//   lean_p99_ms               the lean sketch's p99 at the collector's half-load rate: what the
//                             database and the disk alone add to the tail in this run
//   forward_events_per_s      a worker (scripts/worker.ts) draining the outbox to a local
//                             Meta stand-in, in batches, recording each delivery's state
//   pglite_forward_events_per_s  the same on PGlite by the forwarder inside the server
//
// It starts its own servers (the production build, like the integration tests: a stale
// one is rebuilt) on a temporary PostgreSQL database it creates and drops and on a
// temporary PGlite directory, with high intake rate limits, and publishes a container
// through the REST API. Every event is a valid purchase with a unique event_id and
// order_id. Settings: BENCH_SECONDS (per measurement, default 6), BENCH_CONNECTIONS (50),
// TEST_POSTGRES_URL (the maintenance database), TAGPIPE_DIST_DIR, BENCH_PROFILE=<dir>
// (write the servers' --cpu-prof profiles there), BENCH_NODE_ARGS (more Node flags for the
// servers, e.g. "--trace-gc"; their output is in the servers' logs), BENCH_ONLY=pg|pglite.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuild, testDistDir } from "../tests/helpers/build";
import { createDatabase, dropDatabase } from "../tests/helpers/postgres";
import { CONNECTIONS, ONLY, PROFILE_DIR, SECONDS, ceiling, cleanup, cleanups, figure, forward, forwardPglite, intake, leanSketch, log, serverFor } from "./bench/collect-lib";

async function main() {
  const started = Date.now();
  if (PROFILE_DIR) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  ensureBuild(testDistDir(), log);
  log(`${os.cpus().length} CPUs, ${CONNECTIONS} connections, ${SECONDS} s per measurement`);

  log("ceiling: bare node:http answering 204");
  figure("ceiling_rps", Math.round(await ceiling()));

  let pgUrl: string | null = null;
  if (ONLY !== "pglite") {
    const database = await createDatabase("bench");
    cleanups.push(() => dropDatabase(database.name));
    pgUrl = database.url;
    const server = await serverFor("pg", "postgres", database.url);
    log(`PostgreSQL: ${server.url} on ${database.name}`);
    const { halfRate } = await intake("pg", server);
    await server.stop();
    // After the server's migrations: its own table beside the schema's.
    log("lean sketch: node:http + JSON.parse + one multi-row INSERT … ON CONFLICT per group commit");
    await leanSketch(database.url, halfRate);
  }
  if (ONLY !== "pg") {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tagpipe-bench-pglite-"));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const server = await serverFor("pglite", "pglite", undefined, {}, dataDir);
    log(`PGlite: ${server.url}`);
    await intake("pglite", server);
    await server.stop();
    figure("pglite_forward_events_per_s", Math.round(await forwardPglite(dataDir)));
  }
  if (pgUrl) figure("forward_events_per_s", Math.round(await forward(pgUrl)));
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s${PROFILE_DIR ? `; profiles in ${PROFILE_DIR}` : ""}`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
