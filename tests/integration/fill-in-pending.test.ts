// Fill-in through the real collector and forwarder, with the GA4 Measurement Protocol
// stand-in: a browser event whose Google tag was still loading when its batch left comes
// with `pending`; its server copy waits for the runtime's follow-up report (`reports` in
// a later beacon) for at most TAGPIPE_FILL_IN_PENDING_MS. Fired → never sent (suppressed,
// as a browser copy saying so does); not fired → sent at once; no report → sent at the
// deadline. The report changes only `fired`, counts as no copy, and only within its key's
// environment.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { uid, type Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { collect, createPipeline, eventually, expectOutcome, purchase, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

const MEASUREMENT_ID = "G-TESTMEASURE1";
const PENDING_MS = 8_000;

describe("a pending GA4 tag and its follow-up report", () => {
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({
      name: "fill-in-pending",
      backend: "postgres",
      distDir: inject("distDir"),
      standIns,
      // A backend's copy waits long for the browser's (the merge case below).
      env: { TAGPIPE_FILL_IN_PENDING_MS: String(PENDING_MS), TAGPIPE_FILL_IN_WAIT_MS: "60000" },
    });
    p = await createPipeline(collector.url, [{ platform: "ga4" }]);
  });

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  const browser = (body: Record<string, unknown>) =>
    fetch(new URL("/api/collect", collector.url), {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", origin: p.origin, "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36" },
      body: JSON.stringify({ key: p.production.publicKey, ...body }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));

  /** A browser purchase that left while the GA4 tag was still loading. */
  async function pendingPurchase(extra: Record<string, unknown> = {}) {
    const event = purchase({ consent: { ad_storage: "granted" }, pending: [MEASUREMENT_ID], ...extra });
    expectOutcome(await collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, [event]), "accepted");
    return event;
  }

  /** The GA4 delivery of the event, once it is no longer pending, with how long it waited after the event arrived. */
  async function settled(eventId: string, timeoutMs = PENDING_MS + 15_000) {
    return eventually(
      async () => {
        const [row] = await collector.query<{ status: string; lastError: string | null; waitedMs: number }>(
          `SELECT d.status, d."lastError", extract(epoch FROM COALESCE(d."firstAttemptAt", now()) - e."receivedAt") * 1000 AS "waitedMs"
           FROM "Delivery" d JOIN "CollectedEvent" e ON e.id = d."collectedEventId" WHERE e."eventId" = $1 AND d.platform = 'ga4'`,
          [eventId],
        );
        return row && row.status !== "pending" ? { ...row, waitedMs: Number(row.waitedMs) } : null;
      },
      timeoutMs,
      `the GA4 delivery of ${eventId} to settle`,
    );
  }
  const sentToGa4 = (eventId: string) => standIns.ga4.sentCounts().get(eventId) ?? 0;
  const stored = async (eventId: string) =>
    (await collector.query<{ context: Json; userData: Json; params: Json; source: string }>(`SELECT context, "userData", params, source FROM "CollectedEvent" WHERE "eventId" = $1`, [eventId]))[0];
  const merges = async () => Number((await collector.query<{ n: string }>(`SELECT count(*) AS n FROM "EventMerge" WHERE "environmentId" = $1`, [p.production.id]))[0].n);

  it("pending, then the report says the tag fired: the Measurement Protocol never gets it", async () => {
    const event = await pendingPurchase();
    const before = await stored(event.event_id);
    const mergesBefore = await merges();
    // Past the forward delay (200 ms here): the pending wait holds the server copy.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sentToGa4(event.event_id)).toBe(0);
    const r = await browser({ reports: [{ event_id: event.event_id, name: "purchase", fired: [MEASUREMENT_ID] }] });
    expect(r.status).toBe(202);
    expect(r.body.reports).toEqual({ applied: 1, unknown: 0 });
    const d = await settled(event.event_id);
    expect(d.status, d.lastError ?? "").toBe("suppressed");
    expect(d.waitedMs).toBeLessThan(PENDING_MS);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sentToGa4(event.event_id)).toBe(0);
    // Only `fired` changed: the event's data as it was, and no copy counted.
    const after = await stored(event.event_id);
    expect(after.context).toEqual({ ...before.context, fired: [MEASUREMENT_ID] });
    expect(after.userData).toEqual(before.userData);
    expect(after.params).toEqual(before.params);
    expect(after.source).toBe("browser");
    expect(await merges()).toBe(mergesBefore);
  }, 60_000);

  it("pending, then the report says the tag did not run (gtag.js blocked): sent once, at once", async () => {
    const event = await pendingPurchase();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const r = await browser({ reports: [{ event_id: event.event_id, name: "purchase", fired: [] }] });
    expect(r.body.reports).toEqual({ applied: 1, unknown: 0 });
    const d = await settled(event.event_id);
    expect(d.status, d.lastError ?? "").toBe("delivered");
    expect(d.waitedMs).toBeLessThan(PENDING_MS - 2_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sentToGa4(event.event_id)).toBe(1);
  }, 60_000);

  it("pending and no report (the page closed): sent once, at the deadline", async () => {
    const event = await pendingPurchase();
    const d = await settled(event.event_id);
    expect(d.status, d.lastError ?? "").toBe("delivered");
    expect(d.waitedMs).toBeGreaterThanOrEqual(PENDING_MS - 50);
    expect(sentToGa4(event.event_id)).toBe(1);
  }, 60_000);

  it("a backend's copy first, then the browser's pending one: held for the report, which suppresses it", async () => {
    const event = purchase({ consent: { ad_storage: "granted" } });
    const r = await fetch(new URL("/api/v1/events", collector.url), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${p.production.serverKey}` },
      body: JSON.stringify({ events: [event] }),
    });
    expect(r.status).toBe(202);
    expectOutcome(await collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, [{ ...event, pending: [MEASUREMENT_ID] }]), "duplicate");
    // Made due at the pending wait (not now, not the backend's 60 s).
    const [due] = await collector.query<{ inMs: number }>(
      `SELECT extract(epoch FROM d."nextAttemptAt" - now()) * 1000 AS "inMs" FROM "Delivery" d JOIN "CollectedEvent" e ON e.id = d."collectedEventId" WHERE e."eventId" = $1`,
      [event.event_id],
    );
    expect(Number(due.inMs)).toBeGreaterThan(PENDING_MS - 3_000);
    expect(Number(due.inMs)).toBeLessThanOrEqual(PENDING_MS);
    await browser({ reports: [{ event_id: event.event_id, name: "purchase", fired: [MEASUREMENT_ID] }] });
    expect((await settled(event.event_id)).status).toBe("suppressed");
    expect(sentToGa4(event.event_id)).toBe(0);
  }, 60_000);

  it("a later copy's fired is added to the stored one's, not dropped", async () => {
    const event = purchase({ consent: { ad_storage: "granted" }, fired: ["AW-1/first"] });
    expectOutcome(await collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, [event]), "accepted");
    expectOutcome(await collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, [{ ...event, fired: [MEASUREMENT_ID, "AW-1/first"] }]), "duplicate");
    expect((await stored(event.event_id)).context.fired).toEqual(["AW-1/first", MEASUREMENT_ID]);
    expect((await settled(event.event_id)).status).toBe("suppressed");
    expect(sentToGa4(event.event_id)).toBe(0);
  }, 60_000);

  it("bad reports are refused naming the field; unknown events and other environments' events are left alone", async () => {
    const missing = await browser({ reports: [{ name: "purchase", fired: [] }] });
    expect(missing.status).toBe(422);
    expect(missing.body.error.fields).toEqual([{ path: "reports.0.event_id", message: expect.any(String) }]);
    const extra = await browser({ reports: [{ event_id: "x", name: "purchase", user_data: { email: "a@example.com" } }] });
    expect(extra.status).toBe(422);
    expect(extra.body.error.message).toMatch(/reports\.0\.user_data/);
    const empty = await browser({});
    expect(empty.status).toBe(422);
    expect(empty.body.error.fields).toEqual([{ path: "events", message: "needs at least one event" }]);

    const unknown = await browser({ reports: [{ event_id: `nope-${uid()}`, name: "purchase", fired: [MEASUREMENT_ID] }] });
    expect(unknown).toMatchObject({ status: 202, body: { reports: { applied: 0, unknown: 1 } } });

    // The staging key cannot touch production's event: it goes at its deadline.
    const event = await pendingPurchase();
    const other = await fetch(new URL("/api/collect", collector.url), {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", origin: p.origin, "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36" },
      body: JSON.stringify({ key: p.staging.publicKey, reports: [{ event_id: event.event_id, name: "purchase", fired: [MEASUREMENT_ID] }] }),
    });
    expect(other.status).toBe(202);
    expect(((await other.json()) as Json).reports).toEqual({ applied: 0, unknown: 1 });
    expect((await stored(event.event_id)).context.fired).toBeUndefined();
    const d = await settled(event.event_id);
    expect(d.status).toBe("delivered");
    expect(d.waitedMs).toBeGreaterThanOrEqual(PENDING_MS - 50);
  }, 60_000);
});
