// Destinations that fail: 5xx and 429 are retried with backoff (Retry-After honoured)
// until every event is delivered exactly once; TikTok's errors inside a 200 are told
// apart; a 400 is dead-lettered at once with the platform's reason, visible in
// GET /api/v1/deliveries?status=dead, and POST /api/v1/deliveries/replay sends it again
// once the cause is fixed.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, type Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { allDestinations, createPipeline, eventually, expectOutcome, purchase, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

describe("failing destinations", () => {
  const backend = "postgres";
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;
  const send = (events: unknown[]) => sendServerEvents(collector.url, p.production.serverKey, events);

  async function deliveries(query: string, eventIds: string[], platform: string): Promise<Json[]> {
    const all = expectStatus(await p.team.owner.get(`/deliveries?limit=500${query}`), 200).data as Json[];
    return all.filter((d) => d.platform === platform && eventIds.includes(d.event.eventId));
  }

  beforeAll(async () => {
    standIns = await startStandIns();
    // One round at a time: concurrent rounds may split the events of one request between
    // them, and the scripted failures below answer requests, not events.
    collector = await startCollector({ name: `retries-${backend}`, backend, distDir: inject("distDir"), standIns, env: { TAGPIPE_FORWARD_CONCURRENCY: "1" } });
    p = await createPipeline(collector.url, allDestinations(standIns));
  });

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  afterEach(() => {
    expect(standIns.violations(), "contract violations at the stand-ins").toEqual([]);
    standIns.reset();
  });

  it("429 with Retry-After, then 500, then recovery: each event delivered exactly once, after backoff", async () => {
    standIns.meta.fail({ status: 429, retryAfter: 3 }, 1).fail({ status: 500 }, 1);
    standIns.ga4.fail({ status: 503 }, 2);
    const events = Array.from({ length: 5 }, () => purchase());
    const ids = events.map((e) => e.event_id);
    expectOutcome(await send(events), "accepted", 5);

    await standIns.meta.waitForDelivered(ids, 30_000);
    await standIns.ga4.waitForDelivered(ids, 30_000);
    for (const id of ids) expect(standIns.meta.deliveredCounts().get(id), id).toBe(1);
    for (const id of ids) expect(standIns.ga4.deliveredCounts().get(id), id).toBe(1);

    // The three attempts at Meta, each carrying all five events (a failed batch is retried as one).
    const attempts = standIns.meta.received.filter((r) => r.eventIds.some((id) => ids.includes(id)));
    expect(attempts.map((r) => r.status)).toEqual([429, 500, 200]);
    for (const a of attempts) expect(a.eventIds.sort()).toEqual([...ids].sort());
    // Retry-After: 3 wins over the first backoff (1 s ± 50 %); the second backoff is 2 s ± 50 %.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(3000);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(1000);

    const rows = await eventually(async () => {
      const list = await deliveries("&status=delivered", ids, "meta");
      return list.length === ids.length ? list : null;
    });
    for (const d of rows) expect(d).toMatchObject({ status: "delivered", attempts: 3, lastStatus: 200, lastError: null });
  });

  it("TikTok's errors come inside a 200: a retryable code is retried, an invalid-parameter code is dead-lettered", async () => {
    standIns.tiktok.fail({ status: 200, tiktokCode: 50002, message: "Internal error, please retry" }, 1);
    const retried = purchase();
    expectOutcome(await send([retried]), "accepted");
    await standIns.tiktok.waitForDelivered([retried.event_id], 20_000);
    expect(standIns.tiktok.sentCounts().get(retried.event_id)).toBe(2);
    expect(standIns.tiktok.deliveredCounts().get(retried.event_id)).toBe(1);

    standIns.tiktok.fail({ status: 200, tiktokCode: 40002, message: "Invalid value for field: event" });
    const refused = purchase();
    expectOutcome(await send([refused]), "accepted");
    const [dead] = await eventually(async () => {
      const list = await deliveries("&status=dead", [refused.event_id], "tiktok");
      return list.length ? list : null;
    });
    expect(dead).toMatchObject({ attempts: 1, lastStatus: 200 });
    expect(dead.lastError).toContain("40002");
    expect(dead.lastError).toContain("Invalid value for field: event");
  });

  it("a 400 is dead-lettered at once with the platform's reason; replay after the fix delivers it once", async () => {
    const reason = "Invalid OAuth access token - Cannot parse access token";
    standIns.meta.fail({ status: 400, message: reason });
    const events = Array.from({ length: 3 }, () => purchase());
    const ids = events.map((e) => e.event_id);
    expectOutcome(await send(events), "accepted", 3);

    const dead = await eventually(async () => {
      const list = await deliveries("&status=dead", ids, "meta");
      return list.length === 3 ? list : null;
    });
    for (const d of dead) {
      expect(d).toMatchObject({ status: "dead", attempts: 1, lastStatus: 400 });
      expect(d.lastError).toContain(reason);
      expect(JSON.parse(d.lastResponse).error).toMatchObject({ message: reason, type: "OAuthException", code: 100 });
    }
    // No retry of a 400: a second look a while later still finds one request.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const id of ids) expect(standIns.meta.sentCounts().get(id), id).toBe(1);
    // The other destinations were not held back by Meta's failure.
    await standIns.webhook.waitForDelivered(ids);

    standIns.meta.recover();
    const replay = expectStatus(await p.team.owner.post("/deliveries/replay", { ids: dead.map((d) => d.id) }), 201);
    expect(replay).toMatchObject({ replayed: 3 });
    await standIns.meta.waitForDelivered(ids);
    for (const id of ids) {
      expect(standIns.meta.sentCounts().get(id), id).toBe(2);
      expect(standIns.meta.deliveredCounts().get(id), id).toBe(1);
    }
    const after = await eventually(async () => {
      const list = await deliveries("", ids, "meta");
      return list.every((d) => d.status === "delivered") ? list : null;
    });
    for (const d of after) expect(d).toMatchObject({ attempts: 1, lastStatus: 200 });
    expect(await deliveries("&status=dead", ids, "meta")).toEqual([]);
    // A replay of nothing dead replays nothing.
    expect(expectStatus(await p.team.owner.post("/deliveries/replay", { ids: dead.map((d) => d.id) }), 201)).toMatchObject({ replayed: 0 });
  });

  it("replay by destination sends every dead letter of that destination, and only those", async () => {
    standIns.tiktok.fail({ status: 401, message: "Access token is invalid" });
    const events = Array.from({ length: 4 }, () => purchase());
    const ids = events.map((e) => e.event_id);
    expectOutcome(await send(events), "accepted", 4);
    await eventually(async () => ((await deliveries("&status=dead", ids, "tiktok")).length === 4 ? true : null));
    standIns.tiktok.recover();
    const replay = expectStatus(await p.team.owner.post("/deliveries/replay", { destinationId: p.destinations.tiktok.id }), 201);
    // The dead letter of the previous test (TikTok's code 40002) comes back too.
    expect(replay.replayed).toBeGreaterThanOrEqual(4);
    await standIns.tiktok.waitForDelivered(ids);
    for (const id of ids) expect(standIns.tiktok.deliveredCounts().get(id)).toBe(1);
    // Meta's dead letters (none left) and other destinations were not touched.
    expect(standIns.meta.sentCounts().size).toBe(4);
  });

  it("Meta's throttling and transient errors are retried even when they come as a 400", async () => {
    standIns.meta.fail({ status: 400, metaCode: 4, message: "(#4) Application request limit reached" }, 1).fail({ status: 400, metaCode: 100, transient: true, message: "Please retry" }, 1);
    const e = purchase();
    expectOutcome(await send([e]), "accepted");
    await standIns.meta.waitForDelivered([e.event_id], 20_000);
    expect(standIns.meta.received.filter((r) => r.eventIds.includes(e.event_id)).map((r) => r.status)).toEqual([400, 400, 200]);
    expect(standIns.meta.deliveredCounts().get(e.event_id)).toBe(1);
  });

  it("Google Ads' partial failure (a 200 refusing some conversions): the refused one is dead-lettered with Google's reason, a transient one retried, the rest delivered", async () => {
    const events = Array.from({ length: 4 }, () => purchase());
    const [refused, transient, ...taken] = events;
    const order = (e: (typeof events)[number]) => String(e.params.order_id);
    standIns.googleAds.refuseConversion(order(refused), { errorCode: { conversionUploadError: "UNPARSEABLE_GCLID" }, message: "The imported gclid could not be decoded.", field: "gclid" });
    standIns.googleAds.refuseConversion(order(transient), { errorCode: { internalError: "TRANSIENT_ERROR" }, message: "Google Ads API encountered an unexpected transient error." }, 1);
    expectOutcome(await send(events), "accepted", 4);

    // Google Ads knows conversions by order id.
    await standIns.googleAds.waitForDelivered([transient, ...taken].map(order), 20_000);
    const [dead] = await eventually(async () => {
      const list = await deliveries("&status=dead", [refused.event_id], "google_ads");
      return list.length ? list : null;
    });
    expect(dead).toMatchObject({ attempts: 1, lastStatus: 200 });
    expect(dead.lastError).toBe("Google Ads refused the conversion: UNPARSEABLE_GCLID at gclid: The imported gclid could not be decoded.");

    // Every upload was answered 200; the two refusals came inside those answers.
    const uploads = standIns.googleAds.received.filter((r) => r.eventIds.some((id) => events.map(order).includes(id)));
    expect(uploads.map((r) => r.status).every((s) => s === 200)).toBe(true);
    expect(uploads.flatMap((r) => r.refusedIds).sort()).toEqual([order(refused), order(transient)].sort());
    const sent = standIns.googleAds.sentCounts();
    expect(sent.get(order(transient))).toBe(2);
    for (const e of taken) expect(sent.get(order(e)), order(e)).toBe(1);
    // The refused one is not sent again: a second look a while later finds one request.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(standIns.googleAds.sentCounts().get(order(refused))).toBe(1);
    expect(standIns.googleAds.deliveredCounts().has(order(refused))).toBe(false);
    for (const e of [transient, ...taken]) expect(standIns.googleAds.deliveredCounts().get(order(e)), order(e)).toBe(1);

    const delivered = await eventually(async () => {
      const list = await deliveries("&status=delivered", [transient, ...taken].map((e) => e.event_id), "google_ads");
      return list.length === 3 ? list : null;
    });
    const attempts = Object.fromEntries(delivered.map((d) => [d.event.eventId, d.attempts]));
    expect(attempts).toEqual({ [transient.event_id]: 2, [taken[0].event_id]: 1, [taken[1].event_id]: 1 });
  });

  it("a destination whose access token was never set dead-letters with that reason and sends nothing", async () => {
    const other = await createPipeline(collector.url, [{ platform: "meta", pixelId: "99887766554", accessToken: null }], { team: p.team });
    const e = purchase();
    expectOutcome(await sendServerEvents(collector.url, other.production.serverKey, [e]), "accepted");
    const [dead] = await eventually(async () => {
      const list = await deliveries("&status=dead", [e.event_id], "meta");
      return list.length ? list : null;
    });
    expect(dead).toMatchObject({ destinationId: other.destinations.meta.id, lastStatus: null });
    expect(dead.lastError).toMatch(/no Conversions API access token/);
    expect(standIns.meta.sentCounts().has(e.event_id)).toBe(false);
  });

  it("an event no platform could attribute (no identifier at all) is dead-lettered for Meta and Google Ads without poisoning the batch", async () => {
    const anonymous = purchase({ user_data: {} });
    const others = Array.from({ length: 3 }, () => purchase());
    expectOutcome(await send([anonymous, ...others]), "accepted", 4);
    await standIns.meta.waitForDelivered(others.map((e) => e.event_id));
    const [dead] = await eventually(async () => {
      const list = await deliveries("&status=dead", [anonymous.event_id], "meta");
      return list.length ? list : null;
    });
    expect(dead.lastError).toMatch(/customer information parameter/);
    expect(standIns.meta.sentCounts().has(anonymous.event_id)).toBe(false);
    // The webhook takes it as it is.
    await standIns.webhook.waitForDelivered([anonymous.event_id]);
  });
});
