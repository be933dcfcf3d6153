// Browser and server copies of one event: counted once, forwarded once, the server's
// fields enriching the browser's — in either order and racing each other; purchases also
// deduplicate by order_id. Real HTTP to a server of this file's own, forwarding to the
// platform stand-ins.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, type Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { allDestinations, collect, createPipeline, eventually, expectOutcome, purchase, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

const DESTINATIONS = 5;

describe("deduplication", () => {
  const backend = "postgres";
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;
  const browser = (events: unknown[]) => collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, events);
  const server = (events: unknown[]) => sendServerEvents(collector.url, p.production.serverKey, events);
  /** What the stored rows must look like, checked at the end, once everything was forwarded. */
  const expectedRows: { eventId: string; source: string; check?: (row: Json) => void }[] = [];

  /** This team's deliveries of the given event_ids, via GET /api/v1/deliveries. */
  async function deliveriesOf(eventIds: string[]): Promise<Json[]> {
    const all = expectStatus(await p.team.owner.get("/deliveries?limit=500"), 200).data as Json[];
    return all.filter((d) => eventIds.includes(d.event.eventId));
  }

  async function expectDeliveredOnce(eventIds: string[]) {
    await standIns.meta.waitForDelivered(eventIds);
    await standIns.webhook.waitForDelivered(eventIds);
    await standIns.ga4.waitForDelivered(eventIds);
    await standIns.tiktok.waitForDelivered(eventIds);
    const deliveries = await eventually(async () => {
      const list = await deliveriesOf(eventIds);
      return list.length === eventIds.length * DESTINATIONS && list.every((d) => d.status === "delivered") ? list : null;
    }, 20_000, "every delivery to be delivered");
    for (const id of eventIds) {
      const mine = deliveries.filter((d) => d.event.eventId === id);
      expect(new Set(mine.map((d) => d.destinationId)).size, `one delivery per destination for ${id}`).toBe(DESTINATIONS);
      for (const stand of [standIns.meta, standIns.tiktok, standIns.ga4, standIns.webhook]) {
        expect(stand.deliveredCounts().get(id), `${stand.platform} got ${id} once`).toBe(1);
      }
    }
  }

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({ name: `dedup-${backend}`, backend, distDir: inject("distDir"), standIns, env: { TAGPIPE_FORWARD_DELAY_MS: "400" } });
    p = await createPipeline(collector.url, allDestinations(standIns));
  });

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  afterEach(() => {
    expect(standIns.violations(), "contract violations at the stand-ins").toEqual([]);
  });

  it("browser first, then server: one event, one delivery per destination, the server's fields win", async () => {
    const e = purchase({ page: { url: `https://${p.hostname}/thanks?fbclid=IwAR0abc` }, user_data: { fbp: "fb.1.1700000000000.1234567890" } });
    expectOutcome(await browser([e]), "accepted", 1);
    const serverCopy = { ...e, page: undefined, params: { ...e.params, value: 52.5 }, user_data: { email: "buyer@example.com", external_id: "customer-17" } };
    const reply = expectOutcome(await server([serverCopy]), "duplicate", 1);
    expect(reply).toMatchObject({ accepted: 0, duplicates: 1, rejected: 0 });

    await expectDeliveredOnce([e.event_id]);
    const sent = standIns.meta.deliveredEvents().find((x) => x.event_id === e.event_id) as Json;
    // The server's value and identifiers, the browser's click id, cookie and user agent.
    expect(sent.custom_data).toMatchObject({ value: 52.5, currency: "EUR", order_id: e.params.order_id });
    expect(sent.user_data).toMatchObject({ fbp: "fb.1.1700000000000.1234567890", client_user_agent: expect.stringContaining("Mozilla"), em: [expect.stringMatching(/^[a-f0-9]{64}$/)], external_id: [expect.any(String)] });
    expect(sent.user_data.fbc).toMatch(/^fb\.1\.\d+\.IwAR0abc$/);
    expect(sent.event_source_url).toBe(`https://${p.hostname}/thanks?fbclid=IwAR0abc`);
    const hooked = standIns.webhook.deliveredEvents().find((x) => x.event_id === e.event_id) as Json;
    expect(hooked.source).toBe("both");
    expectedRows.push({ eventId: e.event_id, source: "both", check: (row) => expect(row.params.value).toBe(52.5) });
  });

  it("server first, then browser: one event; the browser's copy adds what the server lacked but does not overwrite", async () => {
    const e = purchase({ params: { value: 80 } });
    expectOutcome(await server([{ ...e, user_data: { email: "first@example.com" } }]), "accepted", 1);
    const browserCopy = { ...e, params: { ...e.params, value: 79 }, user_data: { fbp: "fb.1.1700000000000.42" }, page: { url: `https://${p.hostname}/done` } };
    expectOutcome(await browser([browserCopy]), "duplicate", 1);
    await expectDeliveredOnce([e.event_id]);
    expect((standIns.meta.deliveredEvents().find((x) => x.event_id === e.event_id) as Json).custom_data.value).toBe(80);
    expectedRows.push({
      eventId: e.event_id,
      source: "both",
      check: (row) => {
        expect(row.params.value).toBe(80);
        expect(row.userData).toMatchObject({ em: expect.any(String), fbp: "fb.1.1700000000000.42" });
        expect(row.context.url).toBe(`https://${p.hostname}/done`);
      },
    });
  });

  it("browser and server copies racing each other count once", async () => {
    const pairs = Array.from({ length: 30 }, () => purchase());
    const replies = await Promise.all(
      pairs.flatMap((e, i) => {
        const s = { ...e, user_data: { email: `racer${i}@example.com` } };
        // Alternate which copy is sent first, and send the pair without waiting.
        return i % 2 ? [browser([e]), server([s])] : [server([s]), browser([e])];
      }),
    );
    for (let i = 0; i < pairs.length; i++) {
      const statuses = [replies[2 * i], replies[2 * i + 1]].map((r) => {
        expect(r.status, r.text).toBe(202);
        return r.body.results[0].status;
      });
      expect(statuses.sort(), `pair ${i}`).toEqual(["accepted", "duplicate"]);
      expectedRows.push({ eventId: pairs[i].event_id, source: "both" });
    }
    await expectDeliveredOnce(pairs.map((e) => e.event_id));
  });

  it("ten identical server requests racing each other count once", async () => {
    const e = purchase();
    const replies = await Promise.all(Array.from({ length: 10 }, () => server([e])));
    const statuses = replies.map((r) => {
      expect(r.status, r.text).toBe(202);
      return r.body.results[0].status as string;
    });
    expect(statuses.filter((s) => s === "accepted")).toHaveLength(1);
    expect(statuses.filter((s) => s === "duplicate")).toHaveLength(9);
    // The same event twice in one request is one too.
    const twice = purchase();
    expect((await server([twice, twice])).body.results.map((r: Json) => r.status)).toEqual(["accepted", "duplicate"]);
    await expectDeliveredOnce([e.event_id, twice.event_id]);
    expectedRows.push({ eventId: e.event_id, source: "server" }, { eventId: twice.event_id, source: "server" });
  });

  it("a purchase deduplicates by order_id too; the same event_id under another event name is another event", async () => {
    const order = `order-${randomUUID()}`;
    const first = purchase({ params: { order_id: order } });
    const sameOrder = purchase({ params: { order_id: order } });
    expectOutcome(await browser([first]), "accepted");
    // The backend does not know the browser's event_id, only the order: still the same purchase.
    expectOutcome(await server([sameOrder]), "duplicate");
    await expectDeliveredOnce([first.event_id]);
    expect(standIns.meta.sentCounts().has(sameOrder.event_id)).toBe(false);
    expect(standIns.googleAds.deliveredCounts().get(order)).toBe(1);

    const signUp = { event_id: first.event_id, name: "sign_up", params: {}, user_data: { email: "new@example.com" } };
    expectOutcome(await server([signUp]), "accepted");
    // Meta received the purchase and, under the same event_id, the sign-up: two events.
    const named = () => standIns.meta.deliveredEvents().filter((x) => x.event_id === first.event_id).map((x) => x.event_name);
    await standIns.meta.waitFor(() => named().length === 2, 20_000, "the sign-up at Meta");
    expect(named().sort()).toEqual(["CompleteRegistration", "Purchase"]);
    expectedRows.push({ eventId: first.event_id, source: "both", check: (row) => expect(row.orderId).toBe(order) });
  });

  it("stored rows: one CollectedEvent per event (source as merged), never one for a duplicate, no stray outbox rows", async () => {
    // Everything this file sent has been forwarded.
    const rows = await collector.query<Json>(`SELECT "eventId", name, source, status, params, "userData", context, "orderId" FROM "CollectedEvent" WHERE name = 'purchase'`);
    const byId = new Map<string, Json[]>();
    for (const r of rows) byId.set(r.eventId, [...(byId.get(r.eventId) ?? []), r]);
    expect(expectedRows.length).toBeGreaterThan(30);
    for (const want of expectedRows) {
      const found = byId.get(want.eventId) ?? [];
      expect(found, `stored rows for ${want.eventId}`).toHaveLength(1);
      expect(found[0]).toMatchObject({ source: want.source, status: "accepted" });
      want.check?.(found[0]);
    }
    // Purchases only as the expected ones: the order_id duplicate and the racing copies left no row.
    expect(rows).toHaveLength(expectedRows.length);
    const outbox = await collector.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Delivery" d JOIN "CollectedEvent" e ON e.id = d."collectedEventId" WHERE e.name = 'purchase'`);
    expect(outbox[0].n).toBe(expectedRows.length * DESTINATIONS);
  });
});

// The window is 48 hours from the first copy's receipt. Aging a stored event means writing
// its receivedAt, so this runs where rows can be written while the server runs: PostgreSQL.
describe("the 48-hour dedup window on postgres", () => {
  let collector: Collector;
  let p: Pipeline;
  const server = (events: unknown[]) => sendServerEvents(collector.url, p.production.serverKey, events);
  const age = (eventId: string, hours: number) =>
    collector.query(`UPDATE "CollectedEvent" SET "receivedAt" = now() - make_interval(hours => $2) WHERE "eventId" = $1`, [eventId, hours]);

  beforeAll(async () => {
    collector = await startCollector({ name: "dedup-window", backend: "postgres", distDir: inject("distDir"), standIns: null });
    p = await createPipeline(collector.url, []);
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it("a copy within 48 hours is a duplicate; after 48 hours it is a new event, and the old one keeps its row", async () => {
    const first = purchase();
    expectOutcome(await server([first]), "accepted");
    await age(first.event_id, 47);
    expectOutcome(await server([first]), "duplicate");
    await age(first.event_id, 49);
    expectOutcome(await server([first]), "accepted");
    // The new copy now owns the keys: a further copy is its duplicate.
    expectOutcome(await server([first]), "duplicate");
    const rows = await collector.query<{ eventKey: string | null; orderKey: string | null }>(
      `SELECT "eventKey", "orderKey" FROM "CollectedEvent" WHERE "eventId" = $1 ORDER BY "receivedAt"`,
      [first.event_id],
    );
    expect(rows).toEqual([
      { eventKey: null, orderKey: null },
      { eventKey: first.event_id, orderKey: first.params.order_id },
    ]);
  });

  it("an order_id is taken over after 48 hours too, and only then", async () => {
    const first = purchase();
    const order = first.params.order_id as string;
    expectOutcome(await server([first]), "accepted");
    await age(first.event_id, 47);
    expectOutcome(await server([purchase({ params: { order_id: order } })]), "duplicate");
    await age(first.event_id, 49);
    const later = purchase({ params: { order_id: order } });
    expectOutcome(await server([later]), "accepted");
    const owners = await collector.query<{ eventId: string }>(`SELECT "eventId" FROM "CollectedEvent" WHERE "orderKey" = $1`, [order]);
    expect(owners).toEqual([{ eventId: later.event_id }]);
  });
});
