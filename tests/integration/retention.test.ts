// Retention (lib/retention/): a pass removes exactly what is older than each team's window
// — finished deliveries, request logs, events the health fold has counted and whose
// deliveries are all gone, hourly rollups past 35 days — while the collector keeps taking
// events; nothing newer, nothing pending, nothing the fold has not counted. Old rows are
// inserted by SQL as the collector and forwarder would have written them months ago
// (scripts/bench/aged-rows.ts); the pass runs as `npm run retention` against the server's
// database, with tiny batches so that intake runs between many of them. The server's own
// schedule is off (TAGPIPE_RETENTION=0) and so is its health fold (TAGPIPE_HEALTH=0): the
// test moves the fold's watermark and consumes outcomes itself.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { insertAgedRows, uuidv7Sql, type AgedRows } from "@/scripts/bench/aged-rows";
import { createToken, expectStatus, Client, type Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { collect, createPipeline, type Pipeline } from "../helpers/pipeline";
import { runRetentionPass } from "../helpers/retention";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

/** One pass in tiny batches, so that intake runs between many of them. */
const runRetention = async (databaseUrl: string) => (await runRetentionPass(databaseUrl, ["--batch", "7", "--pause", "2"], { TAGPIPE_RETENTION_DAYS: "90", NODE_ENV: "production" })).deleted;

describe("retention", () => {
  let standIns: StandIns;
  let collector: Collector;
  let a: Pipeline;
  let b: Pipeline;

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({ name: "retention", backend: "postgres", distDir: inject("distDir"), standIns, env: { TAGPIPE_RETENTION: "0", TAGPIPE_HEALTH: "0" } });
    const hook = () => ({ platform: "webhook" as const, url: `${standIns.webhook.url}/hooks/${randomUUID()}`, signingSecret: "whsec-retention" });
    a = await createPipeline(collector.url, [hook()]);
    b = await createPipeline(collector.url, [hook()]);
  }, 120_000);

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  it("refuses a retention window that is not a whole number of days from 1 to 3650, naming the field", async () => {
    const owner = a.team.owner;
    for (const retentionDays of [0, -5, 1.5, 3651, "30", true]) {
      const body = expectStatus(await owner.patch("/team", { retentionDays }), 422);
      expect(body.error.fields.map((f: Json) => f.path), JSON.stringify(retentionDays)).toEqual(["retentionDays"]);
    }
    expect(expectStatus(await owner.get("/team"), 200)).toMatchObject({ retentionDays: null, defaultRetentionDays: 90 });
    // Owners only.
    const editor = new Client(collector.url, (await createToken(owner, "editor")).secret);
    expectStatus(await editor.patch("/team", { retentionDays: 30 }), 403);
    expect(expectStatus(await owner.patch("/team", { retentionDays: 3650 }), 200).retentionDays).toBe(3650);
    expect(expectStatus(await owner.patch("/team", { retentionDays: null }), 200).retentionDays).toBeNull();
    const audit = expectStatus(await owner.get("/audit?limit=5"), 200).data as Json[];
    expect(audit.find((e) => e.entityType === "team")).toMatchObject({ before: { retentionDays: 3650 }, after: { retentionDays: null } });
  });

  it("removes exactly what is older than each team's window, with intake running; nothing newer, pending or not yet counted", { timeout: 180_000 }, async () => {
    expectStatus(await b.team.owner.patch("/team", { retentionDays: 10 }), 200);
    const q = <R extends Record<string, unknown> = Json>(sql: string, values?: unknown[]) => collector.query<R>(sql, values);
    const rows = (p: Pipeline, label: string, fromDays: number, toDays: number, count: number, delivery: AgedRows["delivery"], requests = false): AgedRows => ({
      teamId: p.team.teamId,
      siteId: p.siteId,
      environmentId: p.production.id,
      destinationId: p.destinations.webhook.id,
      count,
      fromDays,
      toDays,
      delivery,
      requests,
      label,
    });
    // Team a keeps the default 90 days, team b 10.
    const aged = [
      rows(a, "a-old", 91, 200, 40, "delivered", true),
      rows(a, "a-young", 80, 89.5, 30, "delivered", true),
      rows(a, "a-pending", 100, 120, 5, "pending"),
      rows(a, "a-dead", 100, 120, 5, "dead"),
      rows(a, "a-suppressed", 100, 120, 5, "suppressed"),
      rows(a, "a-held", 100, 120, 5, "held"),
      rows(a, "a-none", 100, 120, 5, null),
      rows(a, "a-unfolded", 100, 120, 3, "delivered"),
      rows(b, "b-old", 10.5, 60, 20, "delivered", true),
      rows(b, "b-young", 1, 9.5, 20, "delivered", true),
    ];
    for (const r of aged) await insertAgedRows(q, r);
    // Outcomes the fold has not counted yet name three old deliveries.
    await q(`INSERT INTO "DeliveryOutcome" ("deliveryId", outcome) SELECT d.id, 'delivered' FROM "Delivery" d JOIN "CollectedEvent" c ON c.id = d."collectedEventId" WHERE c."eventId" LIKE 'a-unfolded-%'`);
    // Hourly rollups at 20, 40 and 100 days, and a daily one at 100 (kept: days stay).
    for (const p of [a, b]) {
      await q(
        `INSERT INTO "HealthRollup" ("siteId", span, hour, "environmentId", name, source, region, "destinationId", "teamId", received)
         SELECT $1, span, date_trunc('hour', LOCALTIMESTAMP - make_interval(days => d)), $2, 'purchase', 'server', '', '', $3, 1
         FROM (VALUES ('hour', 20), ('hour', 40), ('hour', 100), ('day', 100)) v(span, d)`,
        [p.siteId, p.production.id, p.team.teamId],
      );
    }

    const byLabel = async () =>
      Object.fromEntries(
        (
          await q<{ label: string; events: number; deliveries: number; requests: number }>(
            `SELECT regexp_replace(c."eventId", '-[0-9]+$', '') AS label, count(*)::int AS events,
                    (SELECT count(*) FROM "Delivery" d WHERE d."collectedEventId" = ANY(array_agg(c.id)))::int AS deliveries
             FROM "CollectedEvent" c WHERE c."eventId" LIKE 'a-%' OR c."eventId" LIKE 'b-%' GROUP BY 1`,
          )
        ).map((r) => [r.label, { events: r.events, deliveries: r.deliveries }]),
      );
    const requests = async (p: Pipeline) => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM "DeliveryRequest" WHERE "teamId" = $1 AND "sentAt" < LOCALTIMESTAMP - interval '1 hour'`, [p.team.teamId]))[0].n;
    const rollups = async (p: Pipeline) =>
      (await q<{ span: string; days: number }>(`SELECT span, round(extract(epoch FROM LOCALTIMESTAMP - hour) / 86400)::int AS days FROM "HealthRollup" WHERE "teamId" = $1 ORDER BY span DESC, hour DESC`, [p.team.teamId])).map((r) => `${r.span}:${r.days}`);

    // Intake through the collector for as long as the passes run: every accepted event must stay.
    let intake = true;
    let accepted = 0;
    const live = (async () => {
      while (intake) {
        for (const p of [a, b]) {
          const reply = await collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, Array.from({ length: 10 }, () => ({ event_id: `live-${randomUUID()}`, name: "purchase", params: { value: 5, currency: "EUR", order_id: `o-${randomUUID()}`, content_ids: ["x"] } })));
          expect(reply.status, reply.text).toBe(202);
          accepted += reply.body.results.filter((r: Json) => r.status === "accepted").length;
        }
      }
    })();

    try {
      // The fold has counted nothing (no watermark): finished old deliveries, requests and
      // old hourly rollups go; every event stays.
      const first = await runRetention(collector.databaseUrl);
      expect(first).toEqual({ Delivery: 40 + 5 + 5 + 5 + 20, DeliveryRequest: 40 + 20, CollectedEvent: 0, HealthRollup: 1 + 2 });
      expect(await byLabel()).toEqual({
        "a-old": { events: 40, deliveries: 0 },
        "a-young": { events: 30, deliveries: 30 },
        "a-pending": { events: 5, deliveries: 5 },
        "a-dead": { events: 5, deliveries: 0 },
        "a-suppressed": { events: 5, deliveries: 0 },
        "a-held": { events: 5, deliveries: 0 },
        "a-none": { events: 5, deliveries: 0 },
        "a-unfolded": { events: 3, deliveries: 3 },
        "b-old": { events: 20, deliveries: 0 },
        "b-young": { events: 20, deliveries: 20 },
      });
      expect(await requests(a)).toBe(30);
      expect(await requests(b)).toBe(20);
      expect(await rollups(a)).toEqual(["hour:20", "hour:40", "day:100"]);
      expect(await rollups(b)).toEqual(["hour:20", "day:100"]);

      // The fold has counted everything up to now: the events whose deliveries are gone go;
      // the pending one's and the unfolded outcome's stay with their deliveries.
      await q(`INSERT INTO "HealthFold" (id, watermark) VALUES ('events', LOCALTIMESTAMP) ON CONFLICT (id) DO UPDATE SET watermark = EXCLUDED.watermark`);
      const second = await runRetention(collector.databaseUrl);
      expect(second).toEqual({ Delivery: 0, DeliveryRequest: 0, CollectedEvent: 40 + 5 + 5 + 5 + 5 + 20, HealthRollup: 0 });
      expect(await byLabel()).toEqual({
        "a-young": { events: 30, deliveries: 30 },
        "a-pending": { events: 5, deliveries: 5 },
        "a-unfolded": { events: 3, deliveries: 3 },
        "b-young": { events: 20, deliveries: 20 },
      });

      // Once the pending deliveries finish and the outcomes are folded, a later pass takes both.
      await q(`UPDATE "Delivery" d SET status = 'delivered' FROM "CollectedEvent" c WHERE c.id = d."collectedEventId" AND c."eventId" LIKE 'a-pending-%'`);
      await q(`DELETE FROM "DeliveryOutcome"`);
      const third = await runRetention(collector.databaseUrl);
      expect(third).toMatchObject({ Delivery: 8, CollectedEvent: 8 });
      expect(await byLabel()).toEqual({ "a-young": { events: 30, deliveries: 30 }, "b-young": { events: 20, deliveries: 20 } });
    } finally {
      intake = false;
      await live;
    }
    expect(accepted).toBeGreaterThan(0);
    const [stored] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM "CollectedEvent" WHERE "eventId" LIKE 'live-%'`);
    expect(stored.n).toBe(accepted);
  });

  // One group commit writes up to 5,000 events and their deliveries in one millisecond, so
  // the deliveries left are looked up once per batch and millisecond and joined by event id
  // (a probe per event walked the millisecond's whole id range for each of its events).
  it("keeps exactly the events with a delivery left when thousands share one millisecond", { timeout: 120_000 }, async () => {
    const q = <R extends Record<string, unknown> = Json>(sql: string, values?: unknown[]) => collector.query<R>(sql, values);
    const same = (label: string, delivery: AgedRows["delivery"]): AgedRows => ({
      teamId: a.team.teamId,
      siteId: a.siteId,
      environmentId: a.production.id,
      destinationId: a.destinations.webhook.id,
      count: 2_500,
      fromDays: 150,
      toDays: 150,
      delivery,
      label,
    });
    await insertAgedRows(q, same("ms-pending", "pending"));
    await insertAgedRows(q, same("ms-none", null));
    // Both sets in the pending ones' millisecond (the events without deliveries have no ids to move).
    await q(`UPDATE "CollectedEvent" SET "receivedAt" = (SELECT "receivedAt" FROM "CollectedEvent" WHERE "eventId" = 'ms-pending-1') WHERE "eventId" LIKE 'ms-none-%'`);
    const [shared] = await q<{ ms: number }>(`SELECT count(DISTINCT "receivedAt")::int AS ms FROM "CollectedEvent" WHERE "eventId" LIKE 'ms-%'`);
    expect(shared.ms).toBe(1);
    await q(`INSERT INTO "HealthFold" (id, watermark) VALUES ('events', LOCALTIMESTAMP) ON CONFLICT (id) DO UPDATE SET watermark = EXCLUDED.watermark`);

    const pass = await runRetentionPass(collector.databaseUrl, [], { TAGPIPE_RETENTION_DAYS: "90", NODE_ENV: "production" });
    expect(pass.deleted).toMatchObject({ Delivery: 0, CollectedEvent: 2_500 });
    const left = await q<{ label: string; events: number; deliveries: number }>(
      `SELECT regexp_replace(c."eventId", '-[0-9]+$', '') AS label, count(*)::int AS events,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "Delivery" d WHERE d."collectedEventId" = c.id))::int AS deliveries
       FROM "CollectedEvent" c WHERE c."eventId" LIKE 'ms-%' GROUP BY 1`,
    );
    expect(left).toEqual([{ label: "ms-pending", events: 2_500, deliveries: 2_500 }]);
  });

  // An event's finished deliveries are deleted with it, in the same statement: a pending
  // one keeps the event (and only itself); a delivery that changes while the pass waits for
  // its row lock (a dead letter replayed) is not deleted, and so keeps its event too.
  it("deletes an event's deliveries with it, and keeps the event when one is pending or replayed while the pass waits", { timeout: 120_000 }, async () => {
    const q = <R extends Record<string, unknown> = Json>(sql: string, values?: unknown[]) => collector.query<R>(sql, values);
    const old = (label: string, delivery: AgedRows["delivery"], count: number): AgedRows => ({
      teamId: a.team.teamId,
      siteId: a.siteId,
      environmentId: a.production.id,
      destinationId: a.destinations.webhook.id,
      count,
      fromDays: 130,
      toDays: 140,
      delivery,
      label,
    });
    await insertAgedRows(q, old("two-", "delivered", 20));
    await insertAgedRows(q, old("race-", "dead", 10));
    // A second delivery per event of "two-": pending for the first five, delivered for the rest.
    await q(
      `INSERT INTO "Delivery" (id, "teamId", "collectedEventId", "destinationId", platform, "eventName", status, attempts, "nextAttemptAt", "createdAt")
       SELECT ${uuidv7Sql('c."receivedAt"')}, c."teamId", c.id, $1, 'webhook', 'purchase',
              CASE WHEN split_part(c."eventId", '-', 3)::int <= 5 THEN 'pending' ELSE 'delivered' END, 1, c."receivedAt", c."receivedAt"
       FROM "CollectedEvent" c WHERE c."eventId" LIKE 'two--%'`,
      [a.destinations.webhook.id],
    );
    await q(`INSERT INTO "HealthFold" (id, watermark) VALUES ('events', LOCALTIMESTAMP) ON CONFLICT (id) DO UPDATE SET watermark = EXCLUDED.watermark`);

    // Hold the row locks of three dead letters, as a replay would, while the pass runs.
    const replay = new pg.Client({ connectionString: collector.databaseUrl });
    await replay.connect();
    try {
      await replay.query("BEGIN");
      const locked = await replay.query(
        `SELECT d.id FROM "Delivery" d JOIN "CollectedEvent" c ON c.id = d."collectedEventId" WHERE c."eventId" IN ('race--1', 'race--2', 'race--3') FOR UPDATE OF d`,
      );
      expect(locked.rowCount).toBe(3);
      const pass = runRetentionPass(collector.databaseUrl, [], { TAGPIPE_RETENTION_DAYS: "90", NODE_ENV: "production" });
      // Wait until the pass's statement waits for those locks, then replay and let it go on.
      for (let waited = 0; ; waited += 50) {
        const [waiting] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%"Delivery"%'`);
        if (waiting.n > 0) break;
        if (waited > 30_000) throw new Error("the retention pass never waited for the replayed deliveries' locks");
        await new Promise((r) => setTimeout(r, 50));
      }
      await replay.query(`UPDATE "Delivery" SET status = 'pending', attempts = 0 WHERE id = ANY($1::text[])`, [locked.rows.map((r) => r.id)]);
      await replay.query("COMMIT");
      const result = await pass;
      expect(result.deleted).toMatchObject({ Delivery: 5 + 15 * 2 + 7, CollectedEvent: 15 + 7 });
    } finally {
      await replay.end();
    }
    const left = await q<{ eventId: string; statuses: string }>(
      `SELECT c."eventId", (SELECT string_agg(d.status, ',' ORDER BY d.status) FROM "Delivery" d WHERE d."collectedEventId" = c.id) AS statuses
       FROM "CollectedEvent" c WHERE c."eventId" LIKE 'two--%' OR c."eventId" LIKE 'race--%' ORDER BY c."eventId"`,
    );
    expect(left).toEqual([
      { eventId: "race--1", statuses: "pending" },
      { eventId: "race--2", statuses: "pending" },
      { eventId: "race--3", statuses: "pending" },
      ...[1, 2, 3, 4, 5].map((n) => ({ eventId: `two--${n}`, statuses: "pending" })),
    ]);
    // No delivery left without its event.
    const [orphans] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM "Delivery" d WHERE NOT EXISTS (SELECT 1 FROM "CollectedEvent" c WHERE c.id = d."collectedEventId")`);
    expect(orphans.n).toBe(0);
  });
});
