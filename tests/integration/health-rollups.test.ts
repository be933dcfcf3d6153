// The health rollups count every event, merge and delivery outcome exactly once while two
// processes fold at the same time (the server and a worker, both folding every 20 ms) and
// the server is SIGKILLed and restarted in the middle: once everything is folded, each
// rollup sum equals the same figure counted from the raw rows (and from the collector's
// answers, for duplicates, which leave no row of their own).
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { startWorker, type RunningWorker } from "../helpers/server";
import { collect, createPipeline, eventually, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

const ENCRYPTION_KEY = randomBytes(32).toString("base64");
const FOLD = { TAGPIPE_HEALTH_FOLD_MS: "20", TAGPIPE_ENCRYPTION_KEY: ENCRYPTION_KEY };

describe("health rollups across two folding processes and a restart", () => {
  let standIns: StandIns;
  let collector: Collector;
  let worker: RunningWorker;
  let p: Pipeline;

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({ name: "health-rollups", backend: "postgres", distDir: inject("distDir"), standIns, env: { ...FOLD, TAGPIPE_FORWARD_DELAY_MS: "100" } });
    worker = await startWorker({ name: "health-rollups-worker", databaseUrl: collector.databaseUrl!, env: { ...standIns.env("health-worker"), ...FOLD } });
    p = await createPipeline(collector.url, [{ platform: "meta" }, { platform: "webhook", url: `${standIns.webhook.url}/hooks/${randomUUID()}`, signingSecret: "whsec-health" }]);
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await collector?.stop();
    await standIns?.close();
  });

  it("sums equal the raw counts: no event, merge or outcome counted twice or missed", { timeout: 120_000 }, async () => {
    let duplicates = 0;
    const count = (r: { status: number; text: string; body: Json }) => {
      expect(r.status, r.text).toBe(202);
      duplicates += r.body.results.filter((x: Json) => x.status === "duplicate").length;
    };
    // Meta fails a few requests first: failed attempts, then deliveries on retry.
    standIns.meta.fail({ status: 503 }, 2);
    const wave = async (n: number) => {
      const ids = Array.from({ length: n }, () => randomUUID());
      const purchase = (id: string, extra: Json = {}) => ({ event_id: id, name: "purchase", params: { value: 10, currency: "EUR", order_id: `o-${id}`, content_ids: ["a"] }, ...extra });
      count(await collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, ids.map((id) => purchase(id, { user_data: { fbp: "fb.1.1700000000000.42" } }))));
      // Server copies of two thirds (merging into the browser copies), one repeated.
      const copies = ids.filter((_, i) => i % 3 !== 0);
      count(await sendServerEvents(collector.url, p.production.serverKey, copies.map((id) => purchase(id, { user_data: { email: `${id}@example.com` } }))));
      count(await sendServerEvents(collector.url, p.production.serverKey, [purchase(copies[0], { user_data: { email: `${copies[0]}@example.com` } })]));
      // Server only, and an invalid one.
      count(await sendServerEvents(collector.url, p.production.serverKey, [purchase(randomUUID(), { user_data: { external_id: "x" } }), purchase(randomUUID(), { params: { value: 1, currency: "nope", order_id: "o", content_ids: ["a"] } })]));
    };
    for (let i = 0; i < 4; i++) await wave(15);
    await collector.restart("SIGKILL");
    for (let i = 0; i < 4; i++) await wave(15);

    const q = <R extends Record<string, unknown> = Json>(sql: string) => collector.query<R>(sql);
    await eventually(async () => {
      const [state] = await q<{ idle: boolean }>(
        `SELECT (SELECT count(*) FROM "EventMerge") = 0 AND (SELECT count(*) FROM "DeliveryOutcome") = 0
            AND NOT EXISTS (SELECT 1 FROM "Delivery" WHERE status = 'pending')
            AND (SELECT watermark FROM "HealthFold" WHERE id = 'events') > (SELECT max("receivedAt") FROM "CollectedEvent") AS idle`,
      );
      return state?.idle;
    }, 60_000, "every event, merge and delivery outcome to be folded");

    const [rollup] = await q<Json>(
      `SELECT sum(received)::int AS received, sum(accepted)::int AS accepted, sum(rejected)::int AS rejected, sum(duplicates)::int AS duplicates,
              sum(accepted) FILTER (WHERE source = 'both')::int AS both, sum(accepted) FILTER (WHERE source = 'browser')::int AS browser, sum(accepted) FILTER (WHERE source = 'server')::int AS server,
              sum("keyEmail")::int AS email, sum("keyFbp")::int AS fbp, sum("keyExternalId")::int AS external_id, sum("errCurrency")::int AS bad_currency
       FROM "HealthRollup" WHERE span = 'hour' AND "destinationId" = ''`,
    );
    const [raw] = await q<Json>(
      `SELECT count(*)::int AS stored, count(*) FILTER (WHERE status = 'accepted')::int AS accepted, count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
              count(*) FILTER (WHERE status = 'accepted' AND source = 'both')::int AS both, count(*) FILTER (WHERE status = 'accepted' AND source = 'browser')::int AS browser,
              count(*) FILTER (WHERE status = 'accepted' AND source = 'server')::int AS server,
              count(*) FILTER (WHERE status = 'accepted' AND "userData" ? 'em')::int AS email, count(*) FILTER (WHERE status = 'accepted' AND "userData" ? 'fbp')::int AS fbp,
              count(*) FILTER (WHERE status = 'accepted' AND "userData" ? 'external_id')::int AS external_id,
              count(*) FILTER (WHERE errors @> '[{"field":"params.currency"}]')::int AS bad_currency
       FROM "CollectedEvent"`,
    );
    expect(raw.stored).toBe(8 * 17);
    expect(duplicates).toBe(8 * 11);
    expect(rollup).toEqual({
      received: raw.stored + duplicates,
      accepted: raw.accepted,
      rejected: raw.rejected,
      duplicates,
      both: raw.both,
      browser: raw.browser,
      server: raw.server,
      email: raw.email,
      fbp: raw.fbp,
      external_id: raw.external_id,
      bad_currency: raw.bad_currency,
    });
    expect(raw.both).toBe(8 * 10);

    const deliveries = await q<Json>(
      `SELECT "destinationId", count(*) FILTER (WHERE status = 'delivered')::int AS delivered, count(*) FILTER (WHERE status = 'dead')::int AS dead,
              (sum(attempts) FILTER (WHERE status = 'delivered') - count(*) FILTER (WHERE status = 'delivered') + COALESCE(sum(attempts) FILTER (WHERE status = 'dead'), 0))::int AS failed
       FROM "Delivery" GROUP BY 1 ORDER BY 1`,
    );
    const rolled = await q<Json>(
      `SELECT "destinationId", sum(delivered)::int AS delivered, sum(dead)::int AS dead, sum(failed)::int AS failed
       FROM "HealthRollup" WHERE span = 'hour' AND "destinationId" <> '' GROUP BY 1 ORDER BY 1`,
    );
    expect(rolled).toEqual(deliveries);
    // The daily rows hold the same counts as the hourly ones, cell by cell.
    const mismatched = await q<Json>(
      `SELECT * FROM (SELECT "siteId", date_trunc('day', hour) AS day, "environmentId", name, source, region, "destinationId", sum(received) AS r, sum(delivered) AS d, sum(failed) AS f, sum("keyEmail") AS k
                      FROM "HealthRollup" WHERE span = 'hour' GROUP BY 1, 2, 3, 4, 5, 6, 7) h
       FULL JOIN (SELECT "siteId", hour AS day, "environmentId", name, source, region, "destinationId", sum(received) AS r, sum(delivered) AS d, sum(failed) AS f, sum("keyEmail") AS k
                  FROM "HealthRollup" WHERE span = 'day' GROUP BY 1, 2, 3, 4, 5, 6, 7) d USING ("siteId", day, "environmentId", name, source, region, "destinationId")
       WHERE h.r IS DISTINCT FROM d.r OR h.d IS DISTINCT FROM d.d OR h.f IS DISTINCT FROM d.f OR h.k IS DISTINCT FROM d.k`,
    );
    expect(mismatched).toEqual([]);
    expect(deliveries.reduce((n, d) => n + d.failed, 0)).toBeGreaterThan(0);
    expect(deliveries.reduce((n, d) => n + d.delivered, 0)).toBe(2 * raw.accepted);
  });
});
