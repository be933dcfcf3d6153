// Environment isolation and routing: events of non-production environments never reach a
// production destination as real ones — Meta and TikTok get them with the destination's
// test_event_code, GA4 at its validation endpoint /debug/mp/collect, and destinations
// without a test mode (or set to "hold", or lacking a test code) hold them. Consent and
// region rules decide which destinations get an event at all.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, type Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { allDestinations, collect, createPipeline, eventually, expectOutcome, purchase, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

describe("environment isolation", () => {
  const backend = "postgres";
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;

  async function deliveriesOf(pipeline: Pipeline, eventIds: string[]): Promise<Json[]> {
    const all = expectStatus(await pipeline.team.owner.get("/deliveries?limit=500"), 200).data as Json[];
    return all.filter((d) => eventIds.includes(d.event.eventId));
  }

  /** Waits until the given events' deliveries are all settled (not pending); answers them. */
  async function settled(pipeline: Pipeline, eventIds: string[], count: number): Promise<Json[]> {
    return eventually(async () => {
      const list = await deliveriesOf(pipeline, eventIds);
      return list.length === count && list.every((d) => d.status !== "pending") ? list : null;
    }, 20_000, `${count} settled deliveries`);
  }

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({ name: `isolation-${backend}`, backend, distDir: inject("distDir"), standIns });
    p = await createPipeline(collector.url, allDestinations(standIns));
  });

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  afterEach(() => {
    expect(standIns.violations(), "contract violations at the stand-ins").toEqual([]);
  });

  it("staging events: Meta and TikTok with the test code, GA4 at /debug/mp/collect, Google Ads and the webhook hold them", async () => {
    const fromServer = purchase();
    const fromBrowser = purchase();
    expectOutcome(await sendServerEvents(collector.url, p.staging.serverKey, [fromServer]), "accepted");
    expectOutcome(await collect(collector.url, { publicKey: p.staging.publicKey, origin: p.origin }, [fromBrowser]), "accepted");
    const ids = [fromServer.event_id, fromBrowser.event_id];
    await standIns.meta.waitForDelivered(ids);
    await standIns.tiktok.waitForDelivered(ids);
    await standIns.ga4.waitForDelivered(ids);

    for (const r of standIns.meta.received.filter((x) => x.eventIds.some((id) => ids.includes(id)))) {
      expect((r.body as Json).test_event_code, "Meta test_event_code").toBe("TEST4242");
    }
    for (const r of standIns.tiktok.received.filter((x) => x.eventIds.some((id) => ids.includes(id)))) {
      expect((r.body as Json).test_event_code, "TikTok test_event_code").toBe("TEST7777");
    }
    for (const r of standIns.ga4.received.filter((x) => x.eventIds.some((id) => ids.includes(id)))) expect(r.path).toBe("/debug/mp/collect");

    const deliveries = await settled(p, ids, 10);
    const held = deliveries.filter((d) => d.status === "held").map((d) => d.platform).sort();
    expect(held).toEqual(["google_ads", "google_ads", "webhook", "webhook"]);
    for (const d of deliveries) expect(d.target.test).toBe(true);
    const listed = expectStatus(await p.team.owner.get("/deliveries?status=held"), 200).data as Json[];
    expect(listed.filter((d) => ids.includes(d.event.eventId))).toHaveLength(4);
    // Held means never sent.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(standIns.googleAds.received.some((r) => r.eventIds.includes(fromServer.params.order_id as string))).toBe(false);
    for (const id of ids) expect(standIns.webhook.sentCounts().has(id)).toBe(false);
  });

  it("production events go to the production endpoints without a test code", async () => {
    const e = purchase();
    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [e]), "accepted");
    await standIns.meta.waitForDelivered([e.event_id]);
    await standIns.ga4.waitForDelivered([e.event_id]);
    await standIns.webhook.waitForDelivered([e.event_id]);
    await standIns.tiktok.waitForDelivered([e.event_id]);
    const meta = standIns.meta.received.find((r) => r.eventIds.includes(e.event_id))!;
    expect((meta.body as Json).test_event_code).toBeUndefined();
    expect(meta.path).toBe("/v26.0/1234567890/events");
    expect((standIns.tiktok.received.find((r) => r.eventIds.includes(e.event_id))!.body as Json).test_event_code).toBeUndefined();
    expect(standIns.ga4.received.find((r) => r.eventIds.includes(e.event_id))!.path).toBe("/mp/collect");
    const hook = standIns.webhook.deliveredEvents().find((x) => x.event_id === e.event_id) as Json;
    expect(hook.test).toBe(false);
  });

  it("a production event marked test: true is a test event", async () => {
    const e = purchase({ test: true });
    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [e]), "accepted");
    await standIns.meta.waitForDelivered([e.event_id]);
    expect((standIns.meta.received.find((r) => r.eventIds.includes(e.event_id))!.body as Json).test_event_code).toBe("TEST4242");
    const deliveries = await settled(p, [e.event_id], 5);
    expect(deliveries.filter((d) => d.status === "held").map((d) => d.platform).sort()).toEqual(["google_ads", "webhook"]);
  });

  it("a Meta destination set to hold, or with no test_event_code, holds staging events", async () => {
    const holding = await createPipeline(collector.url, [{ platform: "meta", pixelId: "1111122222", testEventCode: "TESTHOLD", nonProduction: "hold" }], { team: p.team });
    const codeless = await createPipeline(collector.url, [{ platform: "meta", pixelId: "3333344444" }, { platform: "tiktok", pixelCode: "C4NOTESTCODE01" }], { team: p.team });
    const a = purchase();
    const b = purchase();
    expectOutcome(await sendServerEvents(collector.url, holding.staging.serverKey, [a]), "accepted");
    expectOutcome(await sendServerEvents(collector.url, codeless.staging.serverKey, [b]), "accepted");
    const held = [...(await settled(holding, [a.event_id], 1)), ...(await settled(codeless, [b.event_id], 2))];
    expect(held.map((d) => d.status)).toEqual(["held", "held", "held"]);
    // In production the same destinations send normally.
    const c = purchase();
    expectOutcome(await sendServerEvents(collector.url, codeless.production.serverKey, [c]), "accepted");
    await standIns.meta.waitForDelivered([c.event_id]);
    expect(standIns.meta.received.find((r) => r.eventIds.includes(c.event_id))!.path).toBe("/v26.0/3333344444/events");
    expect(standIns.meta.sentCounts().has(a.event_id) || standIns.meta.sentCounts().has(b.event_id)).toBe(false);
  });

  it("consent denied: no advertising platform gets the event, the webhook does", async () => {
    const e = purchase({ consent: { ad_storage: "denied", analytics_storage: "denied" } });
    expectOutcome(await collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, [e]), "accepted");
    await standIns.webhook.waitForDelivered([e.event_id]);
    const deliveries = await settled(p, [e.event_id], 1);
    expect(deliveries.map((d) => d.platform)).toEqual(["webhook"]);
  });

  it("a destination limited to a region gets only that region's events", async () => {
    const regional = await createPipeline(collector.url, [{ platform: "meta", pixelId: "5555566666", regions: ["eu"] }, { platform: "webhook", url: `${standIns.webhook.url}/hooks/regional`, signingSecret: standIns.webhook.webhookSecret }], {
      team: p.team,
      regions: [{ code: "eu", name: "Europe", countries: ["DE", "FR"] }, { code: "us", name: "United States", countries: ["US"], rules: [{ pathPrefix: "/us" }] }],
    });
    const german = purchase({ user_data: { email: "de@example.com", country: "DE" } });
    const american = purchase({ user_data: { email: "us@example.com", country: "US" } });
    const byPath = purchase({ page: { url: `https://${regional.hostname}/us/checkout` } });
    const explicit = purchase({ region: "eu", user_data: { email: "x@example.com", country: "US" } });
    expectOutcome(await sendServerEvents(collector.url, regional.production.serverKey, [german, american, explicit]), "accepted");
    expectOutcome(await collect(collector.url, { publicKey: regional.production.publicKey, origin: regional.origin }, [byPath]), "accepted");
    const all = [german, american, byPath, explicit].map((e) => e.event_id);
    await standIns.webhook.waitForDelivered(all);
    const deliveries = await settled(regional, all, 6);
    const metaEvents = deliveries.filter((d) => d.platform === "meta").map((d) => d.event.eventId).sort();
    expect(metaEvents).toEqual([german.event_id, explicit.event_id].sort());
  });
});
