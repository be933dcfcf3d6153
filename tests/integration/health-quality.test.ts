// Quality and coverage figures on a crafted set of purchases sent through the real
// collector (browser beacons and server events: both copies, one copy, a repeated copy,
// with and without each match key, some invalid), read back from the API once folded,
// and checked against values this test computes on its own: from what it sent, from the
// collector's answers (statuses and validation errors), and from what the Meta stand-in
// received (the keys a destination got).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, type Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { collect, createPipeline, eventually, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

type Sent = { eventId: string; status: string; errors: { field: string; message: string }[] };

function order(eventId: string, params: Record<string, unknown> = {}, userData?: Record<string, unknown>) {
  return {
    event_id: eventId,
    name: "purchase",
    params: { value: 20, currency: "EUR", order_id: `o-${eventId}`, content_ids: ["sku-1"], ...params },
    ...(userData ? { user_data: userData } : {}),
  };
}

describe("quality and coverage on a crafted set", () => {
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;
  const outcomes: Sent[] = [];
  const browser = async (events: Json[]) => {
    const r = await collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, events);
    expect(r.status, r.text).toBe(202);
    outcomes.push(...r.body.results.map((x: Json) => ({ eventId: x.event_id, status: x.status, errors: x.errors ?? [] })));
  };
  const server = async (events: Json[]) => {
    const r = await sendServerEvents(collector.url, p.production.serverKey, events);
    expect(r.status, r.text).toBe(202);
    outcomes.push(...r.body.results.map((x: Json) => ({ eventId: x.event_id, status: x.status, errors: x.errors ?? [] })));
  };
  const api = (path: string) => p.team.owner.get(`/sites/${p.siteId}/${path}`).then((r) => expectStatus(r, 200));

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({
      name: "health-quality",
      backend: "postgres",
      distDir: inject("distDir"),
      standIns,
      env: { TAGPIPE_FORWARD_DELAY_MS: "300", TAGPIPE_HEALTH_FOLD_MS: "200" },
    });
    p = await createPipeline(collector.url, [{ platform: "meta" }]);
  }, 60_000);

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  it("counts validity, match keys, the score and coverage as computed independently", { timeout: 90_000 }, async () => {
    const fbp = "fb.1.1700000000000.123456789";
    // Both sources, browser first and already counted as browser-only when the server copy
    // comes (the fold must move it to "both").
    const late = [randomUUID(), randomUUID()];
    await browser(late.map((id) => ({ ...order(id), user_data: { fbp } })));
    await eventually(async () => {
      const c = await api("coverage?period=24h");
      return c.events.find((e: Json) => e.name === "purchase")?.browserOnly === 2;
    }, 20_000, "the browser copies to be folded");
    await server(late.map((id) => order(id, {}, { email: `late-${id}@example.com`, phone: "+33 6 12 34 56 78" })));
    // Both sources, server first, the browser copy right after.
    const racing = [randomUUID(), randomUUID()];
    await server(racing.map((id) => order(id, {}, { email: `race-${id}@example.com`, phone: "+33 6 98 76 54 32" })));
    await browser(racing.map((id) => ({ ...order(id), user_data: { fbp } })));
    // Browser only, one of them sent twice (a duplicate of the same source).
    const browserOnly = [randomUUID(), randomUUID()];
    await browser(browserOnly.map((id) => order(id, {}, { email: `b-${id}@example.com` })));
    await browser([order(browserOnly[0], {}, { email: `b-${browserOnly[0]}@example.com` })]);
    // Server only: an external id, one with a gclid; no email, no IP.
    const serverOnly = [randomUUID(), randomUUID()];
    await server([order(serverOnly[0], {}, { external_id: "crm-1" }), order(serverOnly[1], {}, { external_id: "crm-2", gclid: "Cj0KCQ-gclid" })]);
    // Invalid: a currency that is not ISO 4217, no order_id, an empty content_ids.
    const badCurrency = randomUUID();
    const invalid = [order(badCurrency, { currency: "EURO" }, { email: "x@example.com" }), order(randomUUID(), { order_id: undefined }, { email: "y@example.com" }), order(randomUUID(), { content_ids: [] }, { email: "z@example.com" })];
    await server(invalid);

    // Independently: what the collector said.
    const stored = outcomes.filter((o) => o.status !== "duplicate").length;
    const duplicates = outcomes.filter((o) => o.status === "duplicate").length;
    const rejected = outcomes.filter((o) => o.status === "rejected");
    const accepted = stored - rejected.length;
    expect({ stored, duplicates, rejected: rejected.length, accepted }).toEqual({ stored: 11, duplicates: 5, rejected: 3, accepted: 8 });
    const failing = {
      value: rejected.filter((o) => o.errors.some((e) => e.field === "params.value")).length,
      currency: rejected.filter((o) => o.errors.some((e) => e.field === "params.currency")).length,
      content_ids: rejected.filter((o) => o.errors.some((e) => e.field === "params.content_ids")).length,
      order_id: rejected.filter((o) => o.errors.some((e) => e.field === "params.order_id")).length,
      required: rejected.filter((o) => o.errors.some((e) => e.message === "is required")).length,
    };
    expect(failing).toEqual({ value: 0, currency: 1, content_ids: 1, order_id: 1, required: 2 });

    // Every accepted purchase reaches Meta once; then every figure is folded.
    const acceptedIds = [...late, ...racing, ...browserOnly, ...serverOnly];
    await standIns.meta.waitForDelivered(acceptedIds);
    const quality = await eventually(async () => {
      const q = await api("quality?period=24h");
      const e = q.events.find((x: Json) => x.name === "purchase");
      return e?.stored === stored && q.destinations[0]?.delivered === acceptedIds.length ? q : null;
    }, 30_000, "the quality figures to include every event and delivery");
    const health = await api("health?period=24h&by=event");
    expect(health.totals.current).toMatchObject({ received: stored + duplicates, accepted, rejected: rejected.length, duplicates, delivered: acceptedIds.length, failed: 0, dead: 0 });

    // Parameter validity: 1 − failing / stored, with the offending events as examples.
    const purchase = quality.events.find((x: Json) => x.name === "purchase");
    expect(purchase.accepted).toBe(accepted);
    for (const check of purchase.checks) {
      expect(check.failing, check.key).toBe(failing[check.key as keyof typeof failing]);
      expect(check.validShare, check.key).toBeCloseTo(1 - failing[check.key as keyof typeof failing] / stored, 10);
    }
    const currency = purchase.checks.find((c: Json) => c.key === "currency");
    expect(currency.examples).toEqual([expect.objectContaining({ eventId: badCurrency, problem: expect.stringContaining("params.currency") })]);
    expect(purchase.link).toMatch(new RegExp(`^/containers/${p.containerId}/events\\?edit=`));

    // Match keys of accepted events, as sent (a merged event carries both copies' keys).
    const expectedKeys: Record<string, number> = {
      email: late.length + racing.length + browserOnly.length,
      phone: late.length + racing.length,
      external_id: serverOnly.length,
      fbp: late.length + racing.length,
      fbc: 0,
      ip_ua: late.length + racing.length + browserOnly.length, // browser copies carry the request's IP and user agent
      gclid: 1,
      ttclid: 0,
    };
    for (const k of purchase.keys) {
      expect(k.count, k.key).toBe(expectedKeys[k.key]);
      expect(k.share, k.key).toBeCloseTo(expectedKeys[k.key] / accepted, 10);
    }

    // The destination's keys: what the Meta stand-in received, and the weighted score.
    const received = standIns.meta.deliveredEvents();
    expect(received).toHaveLength(acceptedIds.length);
    const has = (u: Json, key: string) => (key === "ip_ua" ? u.client_ip_address !== undefined && u.client_user_agent !== undefined : u[{ email: "em", phone: "ph" }[key] ?? key] !== undefined);
    const metaWeights: Record<string, number> = { email: 3, phone: 2, fbc: 1.5, fbp: 1, external_id: 1, ip_ua: 1.5 };
    const meta = quality.destinations[0];
    let score = 0;
    for (const [key, weight] of Object.entries(metaWeights)) {
      const share = received.filter((e) => has(e.user_data as Json, key)).length / received.length;
      expect(meta.keys.find((k: Json) => k.key === key).share, key).toBeCloseTo(share, 10);
      score += weight * share;
    }
    expect(meta.score).toBeCloseTo(Math.round(score * 10) / 10, 10);

    // Coverage: both sources for 4 of the 8 accepted purchases; below the 75 % target.
    const coverage = await api("coverage?period=24h");
    const c = coverage.events.find((x: Json) => x.name === "purchase");
    expect(c).toMatchObject({
      conversions: accepted,
      both: late.length + racing.length,
      browserOnly: browserOnly.length,
      serverOnly: serverOnly.length,
      target: 0.75,
      meetsTarget: false,
    });
    expect(c.bothShare).toBeCloseTo(4 / 8, 10);
    expect(c.browserOnlyShare).toBeCloseTo(2 / 8, 10);
    expect(c.serverOnlyShare).toBeCloseTo(2 / 8, 10);
    expect(c.examples.length).toBeGreaterThan(0);
    for (const x of c.examples) expect([...browserOnly, ...serverOnly]).toContain(x.eventId);

    // Grouped by source, the rollups moved the late pair from browser to both.
    const bySource = await api("health?period=24h&by=source");
    const accepted_ = (s: string) => bySource.groups.find((g: Json) => g.group === s)?.current.accepted ?? 0;
    expect({ both: accepted_("both"), browser: accepted_("browser"), server: accepted_("server") }).toEqual({ both: 4, browser: 2, server: 2 });
  });

  it("answers 404 for another team's site and 422 naming a bad period", async () => {
    const other = await createPipeline(collector.url, [{ platform: "meta" }]);
    expect((await other.team.owner.get(`/sites/${p.siteId}/quality`)).status).toBe(404);
    const bad = await p.team.owner.get(`/sites/${p.siteId}/health?period=1y`);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("period");
  }, 60_000);
});
