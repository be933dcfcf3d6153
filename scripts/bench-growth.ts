// npm run bench:growth – months of intake with retention running: N events inserted through
// the collector's own write path (lib/collector/writer.ts: group commit, one INSERT of the
// events and their outbox rows per statement), month after simulated month, a retention
// pass (lib/retention/) deleting what has left the window while the next month goes in.
// Figures on stdout as name=value (progress on stderr):
//
//   month<k>_events_per_s          intake during simulated month k (k from 1)
//   month<k>_retention_ms, month<k>_deleted_events   the pass that ran beside it (from the
//                                  month after the window has filled)
//   intake_events_per_s            all months together
//   retention_last_ms, retention_last_deleted_events   the pass at the run's end (the
//                                  tables then hold the window)
//   retention_steady_ms            the same pass again, with nothing left to delete
//   rows_<table>, size_<table>_mb, index_<table>_mb   at the end (table = heap + TOAST)
//
// The simulated clock: each month's events carry the time they were really inserted
// (receivedAt is the database's transaction time, as in production); month k is the stretch
// of the run between its first and its last insert. The pass run at the start of month k
// is given the clock `now` = start of month k − window + window, so its cutoff is exactly
// where month (k − window/30) began: it deletes the months that left the window, as an
// hourly pass would have done month by month.
//
// Each event is a server purchase (prepared once per template by lib/collector/prepare.ts,
// then given its own ids and keys), with one Meta delivery. A forwarder stand-in marks
// due deliveries delivered beside the intake, 5,000 at a time, as the forwarder's record
// does (status, attempt, attempt log, and one request-log row per 1,000 deliveries): a
// delivery must be finished for retention to delete it. The health fold is off and its
// watermark is moved to now before each pass (as if it had counted every event).
// When the database's autovacuum is off (the machine's shared PostgreSQL runs so), each
// month ends with the VACUUM autovacuum would have done, timed apart.
//
// Options: --events N (1,000,000), --months (6), --retention-days (90; a multiple of 30),
// --writers (12 callers of the writer at once), --per-call (500 events a call),
// --forwarders (3 stand-in connections marking deliveries side by side), --embedded
// (the embedded PostgreSQL, as `npm start` runs it, instead of a temporary database of the
// machine's PostgreSQL, TEST_POSTGRES_URL).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { ensureBuild, testDistDir } from "../tests/helpers/build";
import { createDatabase, dropDatabase } from "../tests/helpers/postgres";
import { embeddedCluster, removeDataDir } from "../tests/helpers/server";
import { RUN, cleanup, cleanups, figure, log, publishPipeline, serverFor } from "./bench/collect-lib";

const { values: options } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    months: { type: "string", default: "6" },
    "retention-days": { type: "string", default: "90" },
    writers: { type: "string", default: "12" },
    forwarders: { type: "string", default: "3" },
    "per-call": { type: "string", default: "500" },
    embedded: { type: "boolean", default: false },
  },
});
const EVENTS = Number(options.events);
const MONTHS = Number(options.months);
const RETENTION_DAYS = Number(options["retention-days"]);
const WRITERS = Number(options.writers);
const PER_CALL = Number(options["per-call"]);
const FORWARDERS = Number(options.forwarders);
const DAY_MS = 86_400_000;
const WINDOW_MONTHS = RETENTION_DAYS / 30;
const TABLES = ["CollectedEvent", "Delivery", "DeliveryRequest"];
if (!Number.isInteger(WINDOW_MONTHS) || WINDOW_MONTHS < 1) throw new Error("--retention-days must be a multiple of 30");

async function sizes(client: pg.Client) {
  const { rows } = await client.query<{ t: string; heap: string; idx: string; n: string }>(
    `SELECT t, pg_table_size(format('%I', t)) AS heap, pg_indexes_size(format('%I', t)) AS idx,
            (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', t), false, true, '')))[1]::text AS n
     FROM unnest($1::text[]) t`,
    [TABLES],
  );
  return rows.map((r) => ({ table: r.t, rows: Number(r.n), heapMb: Number(r.heap) / 1048576, indexMb: Number(r.idx) / 1048576 }));
}

/** Marks due deliveries delivered, as the forwarder's record would, until stopped; answers how many. */
function forwarderStandIn(client: pg.Client, teamId: string, destinationId: string) {
  let stop = false;
  let marked = 0;
  let failure: unknown = null;
  const done = (async () => {
    while (!stop) {
      const { rows } = await client.query<{ n: number }>(
        `WITH u AS (
           UPDATE "Delivery" d SET status = 'delivered', "deliveredAt" = now(), "lastStatus" = 200, attempts = 1, "firstAttemptAt" = now(),
             "attemptLog" = jsonb_build_array(jsonb_build_object('n', 1, 'at', now(), 'outcome', 'ok', 'status', 200))
           WHERE d.id IN (SELECT id FROM "Delivery" WHERE status = 'pending' AND "nextAttemptAt" <= now() ORDER BY "nextAttemptAt" LIMIT 5000 FOR UPDATE SKIP LOCKED)
           RETURNING 1
         ), n AS (SELECT count(*)::int AS n FROM u), r AS (
           INSERT INTO "DeliveryRequest" (id, "teamId", "destinationId", platform, "sentAt", "durationMs", url, body, "httpStatus", response, count)
           SELECT gen_random_uuid()::text, $1, $2, 'meta', now(), 120, 'https://graph.facebook.com/v21.0/1234567890/events',
                  '{"data":[{"event_name":"Purchase"}]}', 200, '{"events_received":1000}', 1000
           FROM n, generate_series(1, ceil(n.n / 1000.0)::int)
         )
         SELECT n FROM n`,
        [teamId, destinationId],
      );
      marked += rows[0].n;
      if (rows[0].n < 5000) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })().catch((error) => {
    // Reported by stop(); left unhandled it would end the run before the clean-up (an
    // interrupted run closes this connection under it).
    failure = error;
  });
  return {
    async stop() {
      stop = true;
      await done;
      if (failure) throw failure;
      return marked;
    },
  };
}

async function main() {
  ensureBuild(testDistDir(), log);
  log(`${os.cpus().length} CPUs; ${EVENTS} events over ${MONTHS} simulated months, retention ${RETENTION_DAYS} days, ${WRITERS} writers × ${PER_CALL} events`);
  let databaseUrl: string | undefined;
  let dataDir: string | undefined;
  if (options.embedded) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tagpipe-growth-"));
    cleanups.push(async () => removeDataDir(dataDir!));
  } else {
    const database = await createDatabase("growth");
    cleanups.push(() => dropDatabase(database.name));
    databaseUrl = database.url;
  }
  // The server migrates the database and publishes the pipeline through the REST API; then
  // it stops (an embedded one leaves its PostgreSQL running for this process).
  const server = await serverFor("growth", options.embedded ? "embedded" : "postgres", databaseUrl, { TAGPIPE_RETENTION: "0", TAGPIPE_HEALTH: "0" }, dataDir);
  databaseUrl ??= embeddedCluster(server.dataDir)!.url;
  const pipeline = await publishPipeline(server.url);
  if (options.embedded) await server.kill("SIGKILL");
  else await server.stop();

  // This process writes as the collector does: its modules, on the same database.
  process.env.DATABASE_URL = databaseUrl;
  process.env.TAGPIPE_HEALTH = "0";
  process.env.TAGPIPE_RETENTION_DAYS = String(RETENTION_DAYS);
  const { database, closeDatabase } = await import("../lib/db");
  const { intakeByPublicKey } = await import("../lib/collector/intake-config");
  const { prepareEvent } = await import("../lib/collector/prepare");
  const { writeEvents } = await import("../lib/collector/writer");
  const { uuidv7 } = await import("../lib/collector/ids");
  const { runRetention } = await import("../lib/retention/retention");
  cleanups.push(() => closeDatabase());
  await database();
  const config = (await intakeByPublicKey(pipeline.publicKey))!;

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  cleanups.push(() => client.end());
  // Several stand-ins side by side (SKIP LOCKED), as several forwarder loops would: one
  // connection fell behind the intake of a 12M run (2,800–4,000 against 10,000+ events/s).
  const forwarderClients = await Promise.all(
    Array.from({ length: FORWARDERS }, async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      cleanups.push(() => c.end());
      return c;
    }),
  );
  const [{ teamId }] = (await client.query<{ teamId: string }>(`SELECT "teamId" FROM "Site" WHERE id = $1`, [pipeline.siteId])).rows;
  const autovacuum = (await client.query<{ autovacuum: string }>(`SHOW autovacuum`)).rows[0].autovacuum === "on";
  log(`database ${databaseUrl.replace(/\?.*/, "")}; autovacuum ${autovacuum ? "on" : "off: each month ends with a VACUUM"}`);

  // Templates: what prepare.ts makes of a storefront's purchase (hashed user data, routing,
  // the delivery), made once; each event then gets its own ids and dedup keys.
  const env = { environmentId: config.environmentId, teamId: config.teamId, siteId: config.siteId, kind: config.kind, versionNumber: config.versionNumber };
  const templates = Array.from({ length: 64 }, (_, i) =>
    prepareEvent(
      {
        name: "purchase",
        event_id: `template-${i}`,
        params: { value: 10 + i, currency: "EUR", order_id: `template-${i}`, content_ids: [`sku-${i}`, `sku-${i + 1}`] },
        user_data: { email: `buyer${i}@example.com`, phone: "+33612345678" },
        page: { url: `https://shop.example.com/checkout/thanks?step=${i}` },
      } as Parameters<typeof prepareEvent>[0],
      "server",
      config,
      { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (bench)", now: Date.now() },
      uuidv7(),
    ),
  );
  if (templates[0].status !== "accepted" || templates[0].deliveries.length !== 1) throw new Error(`the template event is not an accepted event with one delivery: ${JSON.stringify(templates[0].errors)}`);
  let sequence = 0;
  const nextEvent = () => {
    const n = ++sequence;
    const t = templates[n % templates.length];
    const key = `${RUN}-${n}`;
    return { env, event: { ...t, id: uuidv7(), eventId: key, eventKey: key, orderId: `o-${key}`, orderKey: `o-${key}`, params: { ...t.params, order_id: `o-${key}` }, eventTime: new Date() } };
  };

  const perMonth = Math.ceil(EVENTS / MONTHS);
  const starts: number[] = [];
  const dbNow = async () => (await client.query<{ ms: number }>(`SELECT (extract(epoch FROM now()) * 1000)::float8 AS ms`)).rows[0].ms;
  const runStart = Date.now();
  let inserted = 0;
  for (let month = 1; month <= MONTHS; month++) {
    starts.push(await dbNow());
    // The pass of this month: what left the window when it began (month − window/30 and before).
    let pass: Promise<{ deleted: Record<string, number>; ms: number }> | null = null;
    if (month > WINDOW_MONTHS) {
      await client.query(`INSERT INTO "HealthFold" (id, watermark) VALUES ('events', LOCALTIMESTAMP) ON CONFLICT (id) DO UPDATE SET watermark = EXCLUDED.watermark`);
      pass = runRetention({ now: new Date(starts[month - 1 - WINDOW_MONTHS] + RETENTION_DAYS * DAY_MS) });
    }
    const forwarders = forwarderClients.map((c) => forwarderStandIn(c, teamId, pipeline.destinationId));
    const target = Math.min(perMonth, EVENTS - inserted);
    let left = target;
    const started = Date.now();
    let lastLog = started;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (left > 0) {
          const n = Math.min(PER_CALL, left);
          left -= n;
          const outcomes = await writeEvents(Array.from({ length: n }, nextEvent));
          if (outcomes.some((o) => o.status !== "accepted")) throw new Error(`not accepted: ${JSON.stringify(outcomes.find((o) => o.status !== "accepted"))}`);
          if (Date.now() - lastLog > 30_000) {
            lastLog = Date.now();
            log(`  month ${month}: ${target - left} of ${target} (${Math.round((target - left) / ((Date.now() - started) / 1000))} events/s)`);
          }
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    inserted += target;
    figure(`month${month}_events_per_s`, Math.round(target / seconds));
    const result = pass ? await pass : null;
    let marked = 0;
    for (const f of forwarders) marked += await f.stop();
    if (result) {
      figure(`month${month}_retention_ms`, result.ms);
      figure(`month${month}_deleted_events`, result.deleted.CollectedEvent);
    }
    let vacuumMs = 0;
    if (!autovacuum) {
      const v = Date.now();
      await client.query(`VACUUM "CollectedEvent", "Delivery", "DeliveryRequest"`);
      vacuumMs = Date.now() - v;
    }
    const now = await sizes(client);
    log(
      `month ${month}: ${target} events in ${seconds.toFixed(0)} s (${Math.round(target / seconds)}/s), ${marked} deliveries marked delivered; ` +
        (result ? `pass ${result.ms} ms deleting ${JSON.stringify(result.deleted)}; ` : "no pass yet; ") +
        (vacuumMs ? `VACUUM ${vacuumMs} ms; ` : "") +
        now.map((s) => `${s.table} ${s.rows} rows ${s.heapMb.toFixed(0)}+${s.indexMb.toFixed(0)} MB`).join(", ") +
        `; ${((Date.now() - runStart) / 60000).toFixed(1)} min so far`,
    );
  }
  figure("intake_events_per_s", Math.round(inserted / ((Date.now() - runStart) / 1000)));
  // The pass at the run's end (the start of a month after the last): the table then holds the
  // window; then the same pass again, with nothing left to delete (what an hourly pass costs
  // once caught up, less its hour of rows).
  starts.push(await dbNow());
  const clock = new Date(starts[MONTHS - WINDOW_MONTHS] + RETENTION_DAYS * DAY_MS);
  await client.query(`INSERT INTO "HealthFold" (id, watermark) VALUES ('events', LOCALTIMESTAMP) ON CONFLICT (id) DO UPDATE SET watermark = EXCLUDED.watermark`);
  const last = await runRetention({ now: clock });
  figure("retention_last_ms", last.ms);
  figure("retention_last_deleted_events", last.deleted.CollectedEvent);
  if (!autovacuum) await client.query(`VACUUM "CollectedEvent", "Delivery", "DeliveryRequest"`);
  const steady = await runRetention({ now: clock });
  figure("retention_steady_ms", steady.ms);
  for (const s of await sizes(client)) {
    figure(`rows_${s.table}`, s.rows);
    figure(`size_${s.table}_mb`, Math.round(s.heapMb));
    figure(`index_${s.table}_mb`, Math.round(s.indexMb));
  }
  figure("database_mb", Math.round(Number((await client.query<{ b: string }>(`SELECT pg_database_size(current_database()) AS b`)).rows[0].b) / 1048576));
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanup);
