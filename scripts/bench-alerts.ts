// npm run bench:alerts – how long one site's alert evaluation takes.
// On a temporary PostgreSQL database (created and dropped): BENCH_EVENTS events (default
// 300,000) spread evenly over 30 days into one site's production environment, one
// delivery each to one of two destinations, folded into the health rollups as the
// product's fold would have (the event counts read them; the delivery counts read the
// outbox), then `evaluateSite` six times (the first one opens the incidents). Prints alert_evaluate_site_ms=<median> and the runs on stderr.
// TEST_POSTGRES_URL names the maintenance database (default postgres://postgres@127.0.0.1:5432/postgres).
import { createDatabase, dropDatabase } from "../tests/helpers/postgres";

const N = Number(process.env.BENCH_EVENTS ?? 300_000);
const temp = await createDatabase("benchalerts");
process.env.DATABASE_URL = temp.url;
const { database, closeDatabase } = await import("../lib/db");
const { migrate } = await import("../lib/migrate");
const { evaluateSite } = await import("../lib/health/alerts/evaluate");
const { foldAll } = await import("../lib/health/rollups");
try {
  const db = await database();
  await migrate(db.url);
  const q = db.sql.query;
  await q(`INSERT INTO "Team"(id, name) VALUES ('t1', 'Bench')`);
  await q(`INSERT INTO "Site"(id, "teamId", name, hostnames, "defaultCurrency", "updatedAt") VALUES ('s1', 't1', 'Shop', '{shop.example}', 'EUR', now())`);
  await q(`INSERT INTO "Container"(id, "teamId", "siteId", name, "updatedAt") VALUES ('c1', 't1', 's1', 'Shop', now())`);
  await q(`INSERT INTO "Environment"(id, "teamId", "containerId", name, kind, "publicKey", "updatedAt") VALUES ('e1', 't1', 'c1', 'production', 'production', 'bench-pk', now())`);
  await q(`INSERT INTO "Destination"(id, "teamId", "containerId", name, definition, "updatedAt") VALUES ('d1', 't1', 'c1', 'Meta', '{}', now()), ('d2', 't1', 'c1', 'GA4', '{}', now())`);
  let t = Date.now();
  await q(
    `INSERT INTO "CollectedEvent" (id, "teamId", "siteId", "environmentId", "environmentKind", name, "eventId", source, status, "eventTime", "receivedAt")
     SELECT 'ev' || i, 't1', 's1', 'e1', 'production', 'event_' || (i % 8), 'id' || i, (ARRAY['browser','server','both'])[1 + i % 3],
            CASE WHEN i % 50 = 0 THEN 'rejected' ELSE 'accepted' END, ts, ts
     FROM generate_series(1, $1::int) i, LATERAL (SELECT (now() AT TIME ZONE 'UTC') - (i::float8 / $1 * 30 * 86400) * interval '1 second' AS ts) x`,
    [N],
  );
  await q(
    `INSERT INTO "Delivery" ("teamId", "collectedEventId", "destinationId", platform, "eventName", status, "nextAttemptAt", "createdAt")
     SELECT 't1', id, CASE WHEN substr(id, 3)::int % 2 = 0 THEN 'd1' ELSE 'd2' END, 'meta', name,
            CASE WHEN substr(id, 3)::int % 97 = 0 THEN 'dead' ELSE 'delivered' END, "receivedAt", "receivedAt"
     FROM "CollectedEvent"`,
  );
  await q(`VACUUM ANALYZE "CollectedEvent"`);
  await q(`VACUUM ANALYZE "Delivery"`);
  console.error(`[bench] ${N} events and deliveries over 30 days loaded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  const folds = await foldAll();
  console.error(`[bench] folded into the rollups in ${((Date.now() - t) / 1000).toFixed(1)} s (${folds.reduce((n, f) => n + f.events, 0)} events)`);
  const site = { id: "s1", teamId: "t1", name: "Shop" };
  const runs: number[] = [];
  for (let i = 0; i < 6; i++) {
    t = performance.now();
    await evaluateSite(site, new Date());
    runs.push(performance.now() - t);
  }
  console.error(`[bench] runs (ms): ${runs.map((x) => x.toFixed(0)).join(", ")}`);
  // The first run opens the incidents (and warms the client); the median of the rest is the steady cost.
  const steady = runs.slice(1).sort((a, b) => a - b);
  console.log(`alert_evaluate_site_ms=${steady[2].toFixed(0)}`);
} finally {
  await closeDatabase();
  await dropDatabase(temp.name);
}
