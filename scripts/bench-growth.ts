// npm run bench:growth – months of collected data and a retention pass over it while the
// collector takes events. Figures on stdout as name=value (progress on stderr):
//
//   load_events_per_s          the bulk insert of the history (SQL, not the collector)
//   intake_events_per_s        POST /api/collect (20 purchases a request) before retention
//   intake_during_events_per_s the same while the retention pass runs
//   retention_ms, retention_deleted_*   the first pass over the history (everything past the window)
//   retention_steady_ms        a second pass right after (what an hourly pass costs once caught up)
//   size_<table>_mb, index_<table>_mb   table (heap + TOAST) and index sizes after the first pass and VACUUM
//   rows_<table>               rows left
//
// Options: --events N (default 1,000,000) inserted with receivedAt spread evenly over --days
// (180) before now, each with one delivered delivery, one in --request-every (5) with a
// request-log row; --retention-days (90); --chunk (50,000 events per INSERT). On a temporary
// database of the machine's PostgreSQL (TEST_POSTGRES_URL), or the embedded one with
// --embedded. The server runs with its own retention schedule off and the health fold off:
// the fold's watermark is set to now after the bulk load (as if it had counted the history;
// folding months of rows is not what is measured here). The pass is `npm run retention`
// (scripts/retention.ts) with the production defaults (5,000 rows a statement, 100 ms pause).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { ensureBuild, testDistDir } from "../tests/helpers/build";
import { createDatabase, dropDatabase } from "../tests/helpers/postgres";
import { embeddedCluster } from "../tests/helpers/server";
import { runRetentionPass } from "../tests/helpers/retention";
import { SECONDS, cleanup, cleanups, figure, load, log, publishPipeline, serverFor } from "./bench/collect-lib";
import { insertAgedRows } from "./bench/aged-rows";

const { values: options } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    days: { type: "string", default: "180" },
    "retention-days": { type: "string", default: "90" },
    "request-every": { type: "string", default: "5" },
    chunk: { type: "string", default: "50000" },
    embedded: { type: "boolean", default: false },
  },
});
const EVENTS = Number(options.events);
const DAYS = Number(options.days);
const RETENTION_DAYS = Number(options["retention-days"]);
const CHUNK = Number(options.chunk);
const REQUEST_EVERY = Number(options["request-every"]);
const TABLES = ["CollectedEvent", "Delivery", "DeliveryRequest", "HealthRollup"];

async function sizes(client: pg.Client, when: string) {
  const rows = await client.query<{ t: string; heap: string; idx: string; n: string }>(
    `SELECT t, pg_table_size(format('%I', t)) AS heap, pg_indexes_size(format('%I', t)) AS idx, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', t), false, true, '')))[1]::text AS n
     FROM unnest($1::text[]) t`,
    [TABLES],
  );
  for (const r of rows.rows) log(`  ${when}: ${r.t} ${r.n} rows, table ${(Number(r.heap) / 1048576).toFixed(1)} MB, indexes ${(Number(r.idx) / 1048576).toFixed(1)} MB`);
  return rows.rows;
}

async function main() {
  ensureBuild(testDistDir(), log);
  log(`${os.cpus().length} CPUs; ${EVENTS} events over ${DAYS} days, retention ${RETENTION_DAYS} days`);
  let databaseUrl: string | undefined;
  let dataDir: string | undefined;
  if (options.embedded) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tagpipe-growth-"));
    cleanups.push(async () => fs.rmSync(dataDir!, { recursive: true, force: true }));
  } else {
    const database = await createDatabase("growth");
    cleanups.push(() => dropDatabase(database.name));
    databaseUrl = database.url;
  }
  const server = await serverFor("growth", options.embedded ? "embedded" : "postgres", databaseUrl, { TAGPIPE_RETENTION: "0", TAGPIPE_HEALTH: "0" }, dataDir);
  databaseUrl ??= embeddedCluster(server.dataDir)!.url;
  const pipeline = await publishPipeline(server.url);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  cleanups.push(() => client.end());
  const [{ teamId }] = (await client.query<{ teamId: string }>(`SELECT "teamId" FROM "Site" WHERE id = $1`, [pipeline.siteId])).rows;
  const query = (sql: string, values?: unknown[]) => client.query(sql, values);

  // The history, oldest first, in chunks spread over the days.
  const chunks = Math.ceil(EVENTS / CHUNK);
  const loadStart = Date.now();
  for (let i = 0; i < chunks; i++) {
    const count = Math.min(CHUNK, EVENTS - i * CHUNK);
    const toDays = DAYS - (i * DAYS) / chunks;
    const fromDays = DAYS - ((i + 1) * DAYS) / chunks;
    await insertAgedRows(query, {
      teamId,
      siteId: pipeline.siteId,
      environmentId: pipeline.environmentId,
      destinationId: pipeline.destinationId,
      count,
      fromDays,
      toDays,
      delivery: "delivered",
      requests: i % REQUEST_EVERY === 0,
      label: `h${i}`,
    });
    if (i % 10 === 9 || i === chunks - 1) log(`  loaded ${Math.min(EVENTS, (i + 1) * CHUNK)} events (${Math.round((Date.now() - loadStart) / 1000)} s)`);
  }
  figure("load_events_per_s", Math.round(EVENTS / ((Date.now() - loadStart) / 1000)));
  await query(`INSERT INTO "HealthFold" (id, watermark) VALUES ('events', LOCALTIMESTAMP) ON CONFLICT (id) DO UPDATE SET watermark = EXCLUDED.watermark`);
  await query(`VACUUM ANALYZE "CollectedEvent", "Delivery", "DeliveryRequest"`);
  await sizes(client, "before retention");

  log("intake before retention");
  await load({ url: server.url, pipeline, events: 20, seconds: 2 });
  const before = await load({ url: server.url, pipeline, events: 20, seconds: SECONDS, label: "before" });
  figure("intake_events_per_s", Math.round(before.eventsPerSecond));

  log("retention pass, intake running");
  const started = Date.now();
  let done = false;
  const pass = runRetentionPass(databaseUrl, [], { TAGPIPE_RETENTION_DAYS: String(RETENTION_DAYS) }).finally(() => (done = true));
  const during: number[] = [];
  const p99s: number[] = [];
  while (!done) {
    const r = await load({ url: server.url, pipeline, events: 20, seconds: SECONDS, label: "during" });
    if (!done) {
      during.push(r.eventsPerSecond);
      p99s.push(r.p99);
    }
  }
  const result = await pass;
  figure("retention_ms", Date.now() - started);
  for (const [table, n] of Object.entries(result.deleted)) figure(`retention_deleted_${table}`, n);
  if (during.length) {
    figure("intake_during_events_per_s", Math.round(during.reduce((a, b) => a + b, 0) / during.length));
    figure("intake_during_p99_ms", Math.max(...p99s));
  } else log("  the pass ended before one intake measurement did: no during figure");
  const after = await load({ url: server.url, pipeline, events: 20, seconds: SECONDS, label: "after" });
  figure("intake_after_events_per_s", Math.round(after.eventsPerSecond));

  const steady = await runRetentionPass(databaseUrl, [], { TAGPIPE_RETENTION_DAYS: String(RETENTION_DAYS) });
  figure("retention_steady_ms", steady.ms);

  await query(`VACUUM ANALYZE "CollectedEvent", "Delivery", "DeliveryRequest", "HealthRollup"`);
  for (const r of await sizes(client, "after retention and VACUUM")) {
    figure(`rows_${r.t}`, Number(r.n));
    figure(`size_${r.t}_mb`, Number(r.heap) / 1048576);
    figure(`index_${r.t}_mb`, Number(r.idx) / 1048576);
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanup);
