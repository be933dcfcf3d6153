// The alerts' hourly event counts (lib/health/alerts/signals.ts eventsByHour) read the
// rollups below the fold's watermark and the raw events above it. Whatever the fold has
// reached — nothing, part, all — they equal the same counts taken from the raw rows.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { collect, createPipeline, sendServerEvents, type Pipeline } from "../helpers/pipeline";

const HOUR = 3_600_000;

describe("the alerts' event counts", () => {
  let collector: Collector;
  let p: Pipeline;

  beforeAll(async () => {
    // The server does not fold: the test folds when it wants to, in its own process.
    collector = await startCollector({ name: "alert-signals", backend: "postgres", distDir: inject("distDir"), standIns: null, env: { TAGPIPE_HEALTH: "0", TAGPIPE_WORKER: "0", TAGPIPE_ENCRYPTION_KEY: randomBytes(32).toString("base64") } });
    process.env.DATABASE_URL = collector.databaseUrl;
    p = await createPipeline(collector.url, [{ platform: "meta" }]);
  }, 90_000);

  afterAll(async () => {
    const { closeDatabase } = await import("../../lib/db");
    await closeDatabase();
    await collector?.stop();
  });

  const purchase = (id: string, extra: Json = {}) => ({ event_id: id, name: "purchase", params: { value: 10, currency: "EUR", order_id: `o-${id}`, content_ids: ["a"] }, ...extra });
  const signUp = (id: string) => ({ event_id: id, name: "sign_up", params: {} });

  /** Browser purchases, server copies of half of them, server-only sign-ups and one rejected purchase. */
  async function traffic(n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, () => randomUUID());
    const browser = await collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, ids.map((id) => purchase(id)));
    expect(browser.status, browser.text).toBe(202);
    const server = await sendServerEvents(collector.url, p.production.serverKey, [
      ...ids.filter((_, i) => i % 2 === 0).map((id) => purchase(id)),
      ...Array.from({ length: 3 }, () => signUp(randomUUID())),
      purchase(randomUUID(), { params: { value: 1, currency: "nope", order_id: "o-bad", content_ids: ["a"] } }),
    ]);
    expect(server.status, server.text).toBe(202);
    return ids;
  }

  /** The same figures counted from the raw rows, independently of signals.ts. */
  async function raw(): Promise<Json[]> {
    return collector.query(
      `SELECT (extract(epoch FROM date_trunc('hour', "receivedAt")) * 1000)::float8 AS hour, name AS event, count(*)::int AS received,
              count(*) FILTER (WHERE status = 'accepted')::int AS accepted, count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
              count(*) FILTER (WHERE status = 'accepted' AND source = 'browser')::int AS browser,
              count(*) FILTER (WHERE status = 'accepted' AND source = 'server')::int AS server,
              count(*) FILTER (WHERE status = 'accepted' AND source = 'both')::int AS both
       FROM "CollectedEvent" WHERE "environmentId" = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [p.production.id],
    );
  }

  async function counts(): Promise<Json[]> {
    const { eventsByHour } = await import("../../lib/health/alerts/signals");
    const rows = await eventsByHour(p.siteId, new Date(Date.now() - 25 * HOUR), new Date(Date.now() + HOUR));
    return rows.sort((a, b) => a.hour - b.hour || a.event.localeCompare(b.event));
  }

  it("equal the raw counts before any fold, between folds and after, merges of folded events included", { timeout: 60_000 }, async () => {
    const { foldAll } = await import("../../lib/health/rollups");
    const first = await traffic(10);
    // Nothing folded yet: every count is read from the raw events.
    expect(await counts()).toEqual(await raw());
    expect((await counts()).find((r) => r.event === "purchase")).toMatchObject({ received: 11, accepted: 10, rejected: 1, browser: 5, both: 5, server: 0 });

    // Folded; then more traffic, part of it server copies of events already folded (a merge the fold has not seen yet).
    await new Promise((r) => setTimeout(r, 50));
    expect((await foldAll()).reduce((n, f) => n + f.events, 0)).toBe(14);
    const [watermark] = await collector.query<{ folded: number }>(`SELECT count(*)::int AS folded FROM "CollectedEvent" WHERE "receivedAt" < (SELECT watermark FROM "HealthFold" WHERE id = 'events')`);
    expect(watermark.folded).toBe(14);
    await traffic(6);
    const late = await sendServerEvents(collector.url, p.production.serverKey, first.filter((_, i) => i % 2 === 1).map((id) => purchase(id)));
    expect(late.status, late.text).toBe(202);
    await foldAll();
    // Half folded before, half after the first fold; the late merges moved the folded events to "both".
    const after = await counts();
    expect(after).toEqual(await raw());
    expect(after.reduce((n, r) => n + r.received, 0)).toBe(24);
    expect(after.find((r) => r.event === "purchase")).toMatchObject({ accepted: 16, rejected: 2, both: 13, browser: 3 });

    // Unfolded traffic on top of folded traffic: still equal.
    await traffic(4);
    expect(await counts()).toEqual(await raw());
  });

  // An idle server's fold (its 30 s safety net) skips the fold's statement when there is
  // nothing to count (lib/health/rollups.ts): the watermark still moves, and a merge, a
  // delivery outcome or new events, each alone, are still counted.
  it("a fold with nothing to count moves the watermark; merges, outcomes or events alone are still folded", { timeout: 60_000 }, async () => {
    const { foldAll, foldOnce } = await import("../../lib/health/rollups");
    const ids = await traffic(4);
    await new Promise((r) => setTimeout(r, 50));
    await foldAll();
    const watermark = async () => (await collector.query<{ at: string }>(`SELECT watermark::text AS at FROM "HealthFold" WHERE id = 'events'`))[0].at;
    const before = await watermark();

    await new Promise((r) => setTimeout(r, 50));
    const idle = await foldOnce();
    expect(idle).toMatchObject({ events: 0, merges: 0, outcomes: 0, cells: 0, caughtUp: true });
    expect(await watermark()).toBe(idle!.watermark);
    const ms = (timestamp: string) => Date.parse(`${timestamp.replace(" ", "T")}Z`);
    expect(ms(idle!.watermark)).toBeGreaterThan(ms(before));

    // Server copies of folded browser events: merges, and no new event.
    const copies = await sendServerEvents(collector.url, p.production.serverKey, ids.filter((_, i) => i % 2 === 1).map((id) => purchase(id)));
    expect(copies.status, copies.text).toBe(202);
    await new Promise((r) => setTimeout(r, 50));
    expect(await foldOnce()).toMatchObject({ events: 0, merges: 2 });
    expect(await counts()).toEqual(await raw());

    // One delivery outcome, and no new event or merge (this server forwards nothing: logged by hand).
    const delivered = async () => (await collector.query<{ n: number }>(`SELECT COALESCE(sum(delivered), 0)::int AS n FROM "HealthRollup" WHERE span = 'hour' AND "siteId" = $1`, [p.siteId]))[0].n;
    const deliveredBefore = await delivered();
    await collector.query(`INSERT INTO "DeliveryOutcome" ("deliveryId", outcome, keys) SELECT d.id, 'delivered', 0 FROM "Delivery" d JOIN "CollectedEvent" e ON e.id = d."collectedEventId" WHERE e."environmentId" = $1 LIMIT 1`, [p.production.id]);
    expect(await foldOnce()).toMatchObject({ events: 0, merges: 0, outcomes: 1 });
    expect(await delivered()).toBe(deliveredBefore + 1);

    // New events alone (browser purchases, no copy, nothing forwarded): counted.
    const alone = await collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, [randomUUID(), randomUUID(), randomUUID()].map((id) => purchase(id)));
    expect(alone.status, alone.text).toBe(202);
    await new Promise((r) => setTimeout(r, 50));
    expect(await foldOnce()).toMatchObject({ events: 3, merges: 0, outcomes: 0 });
    expect(await counts()).toEqual(await raw());
  });
});
