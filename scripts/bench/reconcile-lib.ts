// The figures of issue 15 (reconciliation), called by scripts/bench-trust.ts:
//
//   reconcile_100k_ms        server time to answer GET /sites/:id/reconciliation over HTTP
//                            for 100,000 orders against 300,000 stored events (100,000
//                            purchases carrying order ids, 200,000 other events) and their
//                            deliveries; median of 3 after one warm-up
//   import_1m_rows_ms        a 1,000,000-row order CSV (about 75 MB) streamed to
//                            POST /sites/:id/orders/import, from the first byte to the answer
//   import_1m_rss_growth_mb  the server process's resident memory during that import, at
//                            its highest, less what it was just before (sampled every 100 ms
//                            from /proc/<pid>/status). A 3-row import warms the route first,
//                            so "before" already holds the route's code (and the import
//                            worker's, once loaded): the figure is what the 1,000,000 rows
//                            add, not what loading the route costs once per process
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDatabase, dropDatabase } from "../../tests/helpers/postgres";
import { cleanups, figure, log, publishPipeline, serverFor } from "./collect-lib";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const DAY_MS = 86_400_000;

/** 300,000 events over the last 3 days (one in three a purchase with an order id), their Meta deliveries (UUIDv7 ids from the event's millisecond, as the collector writes them), and 100,000 orders. */
async function generate(url: string, p: { siteId: string; environmentId: string; destinationId: string }, teamId: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SET synchronous_commit = off");
    const events = 300_000;
    await client.query(
      `INSERT INTO "CollectedEvent" (id, "teamId", "siteId", "environmentId", "environmentKind", "versionNumber", name, "eventId", "orderId", source, status, params, "userData", region, consent, "eventTime", "receivedAt")
       SELECT 'r' || g, $1, $2, $3, 'production', 1,
              CASE WHEN g % 3 = 0 THEN 'purchase' ELSE 'add_to_cart' END, 'r' || g, CASE WHEN g % 3 = 0 THEN 'ord-' || (g / 3) END,
              'both', 'accepted',
              jsonb_build_object('value', CASE WHEN g % 97 = 0 THEN 11 ELSE 10 END, 'currency', 'EUR'),
              '{"em": "h"}'::jsonb, (ARRAY['eu', 'us'])[1 + g % 2],
              CASE WHEN g % 51 = 0 THEN '{"ad_storage": "denied"}'::jsonb ELSE '{}'::jsonb END,
              ts, ts
       FROM generate_series(1, $4::int) g, LATERAL (SELECT (LOCALTIMESTAMP - interval '3 days' + (g::float8 / $4) * interval '3 days')::timestamp(3) AS ts) x`,
      [teamId, p.siteId, p.environmentId, events],
    );
    // Deliveries: every event but the consent-denied ones; 1 % dead.
    await client.query(
      `INSERT INTO "Delivery" (id, "teamId", "collectedEventId", "destinationId", platform, "eventName", status, attempts, "deliveredAt", "lastError", "attemptLog")
       SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || lpad(to_hex(g % 4096), 3, '0') || '-8' || lpad(to_hex((g / 4096) % 4096), 3, '0') || '-' || lpad(to_hex(g), 12, '0'),
              $1, e.id, $2, 'meta', 'Purchase', CASE WHEN g % 100 = 0 THEN 'dead' ELSE 'delivered' END, 1, now(),
              CASE WHEN g % 100 = 0 THEN 'HTTP 400: Invalid parameter' END,
              CASE WHEN g % 100 = 0 THEN '[{"n": 1, "outcome": "fail"}]'::jsonb ELSE '[{"n": 1, "outcome": "ok"}]'::jsonb END
       FROM "CollectedEvent" e, LATERAL (SELECT substr(e.id, 2)::int AS g) n,
            LATERAL (SELECT lpad(to_hex(floor(extract(epoch from e."receivedAt") * 1000)::bigint), 12, '0') AS h) x
       WHERE e."siteId" = $3 AND e.consent = '{}'::jsonb`,
      [teamId, p.destinationId, p.siteId],
    );
    // 100,000 orders placed a minute before their purchase arrived; every 33rd never arrived (its purchase id is shifted out).
    await client.query(
      `INSERT INTO "Order" ("siteId", "orderId", "teamId", "placedAt", value, currency, status)
       SELECT $1, 'ord-' || CASE WHEN o % 33 = 0 THEN 'lost-' || o ELSE o::text END, $2,
              (LOCALTIMESTAMP - interval '3 days' + ((o * 3)::float8 / 300000) * interval '3 days' - interval '1 minute')::timestamp(3),
              10, 'EUR', CASE WHEN o % 200 = 0 THEN 'refunded' ELSE 'paid' END
       FROM generate_series(1, 100000) o`,
      [p.siteId, teamId],
    );
    await client.query(`ANALYZE "CollectedEvent"; ANALYZE "Delivery"; ANALYZE "Order"`);
  } finally {
    await client.end();
  }
}

export async function reconcile100k(): Promise<void> {
  const database = await createDatabase("trustrec");
  cleanups.push(() => dropDatabase(database.name));
  const server = await serverFor("trust-reconcile", "postgres", database.url, { TAGPIPE_HEALTH: "0", TAGPIPE_ALERTS: "0" });
  const p = await publishPipeline(server.url);
  const team = (await p.api.call("GET", "/team")) as unknown as { id: string };
  log("reconcile: generating 300,000 events, their deliveries and 100,000 orders");
  const t = Date.now();
  await generate(database.url, p, team.id);
  log(`  generated in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  const today = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  const from = new Date(today.getTime() - 4 * DAY_MS).toISOString().slice(0, 10);
  const to = today.toISOString().slice(0, 10);
  const run = async () => {
    const started = performance.now();
    const r = (await p.api.call("GET", `/sites/${p.siteId}/reconciliation?from=${from}&to=${to}`)) as unknown as { orders: { total: number }; destinations: { delivered: number; missing: number; rejected: number; accuracy: number }[] };
    const ms = performance.now() - started;
    if (r.orders.total !== 100_000) throw new Error(`reconciled ${r.orders.total} orders, not 100,000`);
    return { ms, r };
  };
  const first = await run();
  const d = first.r.destinations[0];
  log(`  first run ${first.ms.toFixed(0)} ms: Meta delivered ${d.delivered}, rejected ${d.rejected}, missing ${d.missing}, accuracy ${(d.accuracy * 100).toFixed(1)} %`);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push((await run()).ms);
  log(`  reconciliation of 100,000 orders: ${times.map((x) => x.toFixed(0)).join(", ")} ms`);
  figure("reconcile_100k_ms", Math.round(median(times)));
  await server.stop();
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export async function import1m(): Promise<void> {
  const database = await createDatabase("trustimp");
  cleanups.push(() => dropDatabase(database.name));
  const server = await serverFor("trust-import", "postgres", database.url, { TAGPIPE_HEALTH: "0", TAGPIPE_ALERTS: "0" });
  const p = await publishPipeline(server.url);
  const file = path.join(os.tmpdir(), `tagpipe-orders-${process.pid}.csv`);
  cleanups.push(async () => fs.rmSync(file, { force: true }));
  log("import: writing a 1,000,000-row order CSV");
  const out = fs.createWriteStream(file);
  out.write("order_id,created_at,total,currency,status,email,channel\n");
  const start = Date.UTC(2026, 10, 1);
  for (let i = 0; i < 1_000_000; i++) {
    const line = `ORD-${String(i).padStart(8, "0")},${new Date(start + i * 2_000).toISOString()},${(10 + (i % 5000) / 100).toFixed(2)},EUR,${i % 50 === 0 ? "refunded" : "paid"},buyer${i}@example.com,web\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
  const size = fs.statSync(file).size;
  log(`  ${(size / 1e6).toFixed(1)} MB`);

  const query = new URLSearchParams({ order_id: "order_id", created_at: "created_at", value: "total", currency: "currency", status: "status", email: "email", channel: "channel", fileName: "bench.csv" });
  const post = (size: number, send: (to: http.ClientRequest) => void) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        new URL(`/api/v1/sites/${p.siteId}/orders/import?${query}`, server.url),
        { method: "POST", headers: { authorization: `Bearer ${p.api.token}`, "content-type": "text/csv", "content-length": String(size) } },
        (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (body += chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on("error", reject);
      send(request);
    });
  const warm = "order_id,created_at,total,currency,status,email,channel\nWARM-1,2026-10-01T00:00:00Z,1.00,EUR,paid,warm@example.com,web\nWARM-2,2026-10-01T00:00:00Z,2.00,EUR,paid,,web\nWARM-3,2026-10-01T00:00:00Z,3.00,EUR,paid,,web\n";
  const warmed = await post(Buffer.byteLength(warm), (to) => to.end(warm));
  if (warmed.status !== 201) throw new Error(`the warm-up import answered ${warmed.status}: ${warmed.body.slice(0, 300)}`);

  const before = rssMb(server.pid);
  let peak = before;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(server.pid));
    } catch {
      /* the process is gone: the request fails below */
    }
  }, 100);
  const started = performance.now();
  const answer = await post(size, (to) => fs.createReadStream(file).pipe(to));
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(server.pid));
  if (answer.status !== 201) throw new Error(`the import answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  const result = JSON.parse(answer.body) as { rows: number; inserted: number; errorRows: number };
  if (result.rows !== 1_000_000 || result.inserted !== 1_000_000) throw new Error(`imported ${JSON.stringify(result)}`);
  log(`  ${result.rows.toLocaleString("en-GB")} rows, ${result.inserted.toLocaleString("en-GB")} inserted in ${(ms / 1000).toFixed(1)} s; server RSS ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB at most`);
  figure("import_1m_rows_ms", Math.round(ms));
  figure("import_1m_rss_growth_mb", Math.round(peak - before));
  await server.stop();
}
