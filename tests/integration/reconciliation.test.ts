// Reconciliation on a crafted set that covers every category, through the real collector
// and forwarder delivering to the platform stand-ins: each order is sent (or not) so that
// it lands in one known category per destination, and the expected figures are tabulated
// here from that design — not from the code under test. Then the accuracy alert: one
// incident opens when a destination's accuracy against orders falls below its threshold,
// and resolves once the missing conversions arrive.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, type Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { createPipeline, eventually, expectOutcome, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

type Outcome = "delivered" | "rejected" | "ignored" | "pending" | "missing";
type Expect = { outcome: Outcome; reason?: string; duplicated?: boolean; mismatch?: boolean };
const D = (extra: Partial<Expect> = {}): Expect => ({ outcome: "delivered", ...extra });
const I = (reason: string): Expect => ({ outcome: "ignored", reason });

/** UUIDv7 text for a millisecond, as the collector makes outbox ids. */
function uuid7(ms: number): string {
  const h = ms.toString(16).padStart(12, "0");
  const r = randomUUID().replace(/-/g, "");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${r.slice(0, 3)}-8${r.slice(3, 6)}-${r.slice(6, 18)}`;
}

describe("reconciliation on a crafted set", () => {
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;
  const tag = randomUUID().slice(0, 8);
  const id = (n: string) => `${n}-${tag}`;
  const placed = new Date(Date.now() - 5 * 60_000).toISOString();

  const purchase = (orderId: string, extra: { region?: string; value?: number; consent?: string; userData?: Record<string, string> } = {}) => ({
    event_id: randomUUID(),
    name: "purchase",
    region: extra.region ?? "eu",
    params: { value: extra.value ?? 50, currency: "EUR", order_id: orderId, content_ids: ["sku-1"] },
    user_data: extra.userData ?? { email: `b-${orderId}@example.com` },
    ...(extra.consent ? { consent: { ad_storage: extra.consent } } : {}),
  });
  const send = async (key: string, events: Json[]) => expectOutcome(await sendServerEvents(collector.url, key, events), "accepted", events.length);
  const deliveriesOf = (orderId: string) =>
    collector.query<{ platform: string; status: string; attempts: number }>(
      `SELECT d.platform, d.status, d.attempts FROM "Delivery" d JOIN "CollectedEvent" e ON e.id = d."collectedEventId" WHERE e."orderId" = $1`,
      [orderId],
    );
  const settled = (orderId: string, count: number) =>
    eventually(async () => {
      const rows = await deliveriesOf(orderId);
      return rows.length === count && rows.every((r) => r.status !== "pending") && rows;
    }, 30_000, `the deliveries of ${orderId} to settle`);

  const noneWaiting = () =>
    eventually(async () => {
      const [row] = await collector.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Delivery" WHERE "teamId" = $1 AND status = 'pending'`, [p.team.teamId]);
      return row.n === 0;
    }, 30_000, "every delivery to settle");

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({ name: "reconciliation", backend: "postgres", distDir: inject("distDir"), standIns, env: { TAGPIPE_FORWARD_DELAY_MS: "100", TAGPIPE_ALERT_INTERVAL_MS: "1000" } });
    p = await createPipeline(
      collector.url,
      [
        { platform: "meta", regions: ["eu"] },
        { platform: "tiktok" },
        { platform: "google_ads" },
      ],
      { regions: [{ code: "eu", name: "Europe", countries: ["DE"] }, { code: "us", name: "United States", countries: ["US"], currency: "USD" }] },
    );
  }, 90_000);

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  it("says, per order and destination, what happened and why; counts accuracy, duplicates, mismatches and extras", { timeout: 120_000 }, async () => {
    const prod = p.production.serverKey;
    // Delivered everywhere it is routed; the region and consent cases; an order without
    // any click id or email (Google Ads would refuse it); a value mismatch; cancelled and
    // refunded orders; a conversion of no order (extra).
    await send(prod, [
      purchase(id("O1")),
      purchase(id("O2"), { consent: "denied" }),
      purchase(id("O3"), { region: "us" }),
      purchase(id("O5"), { userData: { external_id: "cust-5" } }),
      purchase(id("O8"), { value: 40 }),
      purchase(id("O9")),
      purchase(id("O10")),
      purchase(id("O11")),
      purchase(id("X-extra")),
    ]);
    // Only from the staging environment: test events, held by destinations without a test code.
    await send(p.staging.serverKey, [purchase(id("O4"))]);
    await settled(id("O1"), 3);
    await settled(id("O4"), 3);
    await noneWaiting();

    // Meta refuses O6 (a non-transient 400): rejected with Meta's error.
    standIns.meta.fail({ status: 400, message: "Invalid parameter: value" }, 1);
    await send(prod, [purchase(id("O6"))]);
    await settled(id("O6"), 3);
    await noneWaiting();

    // O9 counted twice at Meta and Google Ads: a second stored copy (as after the 48 h dedup
    // window) delivered to both. Meta merges by event_id (two here), Google Ads by order id.
    const [o9] = await collector.query<{ id: string }>(`SELECT id FROM "CollectedEvent" WHERE "orderId" = $1`, [id("O9")]);
    expect(o9).toBeDefined();
    const now = Date.now();
    const copy = randomUUID();
    await collector.query(
      `INSERT INTO "CollectedEvent" (id, "teamId", "siteId", "environmentId", "environmentKind", "versionNumber", name, "eventId", "orderId", source, status, params, region, "eventTime", "receivedAt")
       SELECT $1, "teamId", "siteId", "environmentId", "environmentKind", "versionNumber", name, $2, "orderId", 'server', 'accepted', params, region, $3::timestamp, $3::timestamp FROM "CollectedEvent" WHERE id = $4`,
      [copy, randomUUID(), new Date(now).toISOString().replace("Z", ""), o9.id],
    );
    for (const d of [p.destinations.meta, p.destinations.google_ads]) {
      await collector.query(
        `INSERT INTO "Delivery" (id, "teamId", "collectedEventId", "destinationId", platform, "eventName", status, attempts, "deliveredAt") VALUES ($1, $2, $3, $4, $5, 'Purchase', 'delivered', 1, now())`,
        [uuid7(now), p.team.teamId, copy, d.id, d.platform],
      );
    }

    // TikTok down (500s, retried): O12 waits in the outbox there.
    standIns.tiktok.fail({ status: 500 });
    await send(prod, [purchase(id("O12"))]);
    await eventually(async () => {
      const rows = await deliveriesOf(id("O12"));
      return rows.find((r) => r.platform === "tiktok" && r.status === "pending" && r.attempts > 0) && rows.filter((r) => r.status === "delivered").length === 2;
    }, 30_000, "O12 retrying at TikTok and delivered elsewhere");

    // The orders (O7 never sent a conversion: missing everywhere).
    const orders = ["O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8", "O9", "O12"].map((n) => ({ order_id: id(n), created_at: placed, value: "50.00", currency: "EUR" }));
    orders.push({ order_id: id("O10"), created_at: placed, value: "50.00", currency: "EUR", status: "cancelled" } as (typeof orders)[number]);
    orders.push({ order_id: id("O11"), created_at: placed, value: "50.00", currency: "EUR", status: "refunded" } as (typeof orders)[number]);
    expectStatus(await p.team.owner.post(`/sites/${p.siteId}/orders`, { orders }), 201);

    const expected: Record<string, Record<"meta" | "tiktok" | "google_ads", Expect>> = {
      O1: { meta: D(), tiktok: D(), google_ads: D() },
      O2: { meta: I("consent"), tiktok: I("consent"), google_ads: I("consent") },
      O3: { meta: I("region"), tiktok: D(), google_ads: D() },
      O4: { meta: I("test"), tiktok: I("test"), google_ads: I("test") },
      O5: { meta: D(), tiktok: D(), google_ads: I("no_click_id") },
      O6: { meta: { outcome: "rejected" }, tiktok: D(), google_ads: D() },
      O7: { meta: { outcome: "missing" }, tiktok: { outcome: "missing" }, google_ads: { outcome: "missing" } },
      O8: { meta: D({ mismatch: true }), tiktok: D({ mismatch: true }), google_ads: D({ mismatch: true }) },
      O9: { meta: D({ duplicated: true }), tiktok: D(), google_ads: D() },
      O12: { meta: D(), tiktok: { outcome: "pending" }, google_ads: D() },
    };

    // Per order, through the drill-down API.
    const listed = expectStatus(await p.team.owner.get(`/sites/${p.siteId}/reconciliation/orders?limit=500`), 200);
    expect(listed.total).toBe(12);
    const byOrder = new Map<string, Json>(listed.data.map((o: Json) => [o.orderId, o]));
    for (const [n, perDest] of Object.entries(expected)) {
      const o = byOrder.get(id(n));
      expect(o, n).toBeDefined();
      for (const [platform, want] of Object.entries(perDest)) {
        const got = o.destinations.find((d: Json) => d.platform === platform);
        expect({ order: n, platform, outcome: got.outcome, reason: got.reason, duplicated: !!got.duplicated, mismatch: !!got.mismatch }).toEqual({
          order: n,
          platform,
          outcome: want.outcome,
          reason: want.reason,
          duplicated: !!want.duplicated,
          mismatch: !!want.mismatch,
        });
      }
    }
    const o6 = byOrder.get(id("O6")).destinations.find((d: Json) => d.platform === "meta");
    expect(o6.message).toContain("Invalid parameter: value");

    // The summary, against the table above.
    const summary = expectStatus(await p.team.owner.get(`/sites/${p.siteId}/reconciliation`), 200);
    expect(summary.orders).toEqual({ total: 12, paid: 10, cancelled: 1, refunded: 1 });
    for (const platform of ["meta", "tiktok", "google_ads"] as const) {
      const rows = Object.values(expected).map((e) => e[platform]);
      const count = (f: (e: Expect) => boolean) => rows.filter(f).length;
      const d = summary.destinations.find((x: Json) => x.platform === platform);
      const want = {
        orders: rows.length,
        delivered: count((e) => e.outcome === "delivered"),
        rejected: count((e) => e.outcome === "rejected"),
        ignored: count((e) => e.outcome === "ignored"),
        pending: count((e) => e.outcome === "pending"),
        missing: count((e) => e.outcome === "missing"),
        duplicated: count((e) => !!e.duplicated),
        mismatch: count((e) => !!e.mismatch),
        // X-extra reached every destination; the eu region lets Meta take it too.
        extra: 1,
      };
      expect({ platform, ...Object.fromEntries(Object.keys(want).map((k) => [k, d[k]])) }).toEqual({ platform, ...want });
      expect(d.accuracy).toBeCloseTo((want.delivered + want.ignored) / want.orders, 10);
      // Cancelled and refunded orders apart: one each, delivered.
      expect(d.cancelled).toMatchObject({ orders: 1, delivered: 1 });
      expect(d.refunded).toMatchObject({ orders: 1, delivered: 1 });
    }
    expect(summary.overall.extra).toBe(1);
    // Counted once at every destination: O1 and O8 (a wrong value still counts once); O9 counts twice at Meta.
    expect(summary.overall.countedOnce).toBe(["O1", "O8"].length);
    expect(summary.daily.every((r: Json) => r.day === placed.slice(0, 10))).toBe(true);
    const us = summary.regions.find((r: Json) => r.region === "us" && r.destinationId === p.destinations.meta.id);
    expect(us).toMatchObject({ orders: 1, delivered: 0, ignored: 1, accuracy: 1 });

    // Drill-down from a figure: Meta's missing orders; and the CSV export.
    const missing = expectStatus(await p.team.owner.get(`/sites/${p.siteId}/reconciliation/orders?destinationId=${p.destinations.meta.id}&outcome=missing`), 200);
    expect(missing.data.map((o: Json) => o.orderId)).toEqual([id("O7")]);
    const cancelled = expectStatus(await p.team.owner.get(`/sites/${p.siteId}/reconciliation/orders?outcome=cancelled`), 200);
    expect(cancelled.data.map((o: Json) => o.orderId)).toEqual([id("O10")]);
    const csv = await p.team.owner.get(`/sites/${p.siteId}/reconciliation/orders?format=csv`);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split("\n");
    expect(lines).toHaveLength(1 + 12 * 3);
    expect(lines.find((l) => l.startsWith(`${id("O5")},`) && l.includes(",google_ads,"))).toContain(",ignored,no_click_id,");

    // An order with its conversions (links to the event detail).
    const one = expectStatus(await p.team.owner.get(`/sites/${p.siteId}/reconciliation/orders/${encodeURIComponent(id("O9"))}`), 200);
    expect(one.events).toHaveLength(2);
    expect(one.destinations.find((d: Json) => d.platform === "meta").eventIds).toHaveLength(2);
    standIns.tiktok.recover();
  });

  it("opens one order-accuracy incident when a destination falls below the threshold, and resolves it when the conversions arrive", { timeout: 120_000 }, async () => {
    const q = await createPipeline(collector.url, [{ platform: "meta" }], { team: p.team });
    expectStatus(await q.team.owner.patch(`/sites/${q.siteId}/alert-rules/order_accuracy`, { settings: { percent: 90, minOrders: 5, hours: 2 } }), 200);
    const at = new Date(Date.now() - 60_000).toISOString();
    const ids = Array.from({ length: 6 }, (_, i) => `${tag}-acc-${i}`);
    await send(q.production.serverKey, ids.slice(0, 3).map((o) => purchase(o)));
    expectStatus(await q.team.owner.post(`/sites/${q.siteId}/orders`, { orders: ids.map((o) => ({ order_id: o, created_at: at, value: 50, currency: "EUR" })) }), 201);

    const incidents = () => q.team.owner.get(`/sites/${q.siteId}/incidents`).then((r) => expectStatus(r, 200).data as Json[]);
    const opened = await eventually(async () => (await incidents()).find((i) => i.kind === "order_accuracy"), 30_000, "an order_accuracy incident");
    expect(opened).toMatchObject({ status: "open", subject: `destination:${q.destinations.meta.id}` });
    expect(opened.message).toContain("50%");

    await send(q.production.serverKey, ids.slice(3).map((o) => purchase(o)));
    const resolved = await eventually(async () => (await incidents()).find((i) => i.id === opened.id && i.status === "resolved"), 30_000, "the incident to resolve");
    expect(resolved).toBeDefined();
    expect((await incidents()).filter((i) => i.kind === "order_accuracy")).toHaveLength(1);
  });

  it("checks the content ids of conversions against an uploaded catalog: the share found, unknown ids with their events, prices that differ", { timeout: 60_000 }, async () => {
    const q = await createPipeline(collector.url, [{ platform: "meta" }], { team: p.team });
    const events = [
      { ...purchase(`${tag}-cat-1`), params: { value: 30, currency: "EUR", order_id: `${tag}-cat-1`, content_ids: ["sku-1", "sku-2"], contents: [{ id: "sku-1", quantity: 1, price: 9.9 }, { id: "sku-2", quantity: 1, price: 25 }] } },
      { ...purchase(`${tag}-cat-2`), params: { value: 10, currency: "EUR", order_id: `${tag}-cat-2`, content_ids: ["sku-1", "sku-x"], contents: [{ id: "sku-1", quantity: 1, price: 9.95 }] } },
    ];
    const sent = await send(q.production.serverKey, events);
    // No catalog yet: nothing to compare with, and no event is read for it.
    expect(expectStatus(await q.team.owner.get(`/sites/${q.siteId}/catalog-check?days=1`), 200)).toMatchObject({ products: 0, occurrences: 0, distinctIds: 0, foundShare: null, priceDifferenceCount: 0 });
    const upload = (body: string, query = "product_id=sku&price=price&currency=currency") =>
      q.team.owner.call("POST", `/sites/${q.siteId}/catalog?${query}`, undefined, { raw: body, headers: { "content-type": "text/csv" } });
    expect(expectStatus(await upload("sku,price,currency\nsku-1,9.90,EUR\nsku-2,20.00,EUR\nsku-3,5,EUR\n"), 201)).toMatchObject({ rows: 3, products: 3 });

    const check = expectStatus(await q.team.owner.get(`/sites/${q.siteId}/catalog-check?days=1`), 200);
    // Four content ids carried (sku-1 twice, sku-2, sku-x); three of them in the catalog.
    expect(check).toMatchObject({ products: 3, occurrences: 4, distinctIds: 3, unknownCount: 1, priceDifferenceCount: 1 });
    expect(check.foundShare).toBeCloseTo(3 / 4, 10);
    expect(check.unknown).toEqual([{ contentId: "sku-x", occurrences: 1, known: false, examples: [expect.objectContaining({ environmentId: q.production.id })] }]);
    const [stored] = await collector.query<{ id: string }>(`SELECT id FROM "CollectedEvent" WHERE "eventId" = $1`, [sent.results[1].event_id]);
    expect(check.unknown[0].examples[0].id).toBe(stored.id);
    // sku-1 at 9.95 is within ±1 % of 9.90; sku-2 at 25 against 20 is not.
    expect(check.priceDifferences).toEqual([expect.objectContaining({ contentId: "sku-2", price: 25, catalogPrice: 20 })]);

    // A file wrong as a whole keeps the catalog as it was.
    const refused = expectStatus(await upload("sku;price\nsku-9;1\n"), 422);
    expect(refused.error.message).toMatch(/delimiter/);
    expect(expectStatus(await q.team.owner.get(`/sites/${q.siteId}/catalog-check?days=1`), 200).products).toBe(3);
  });
});
