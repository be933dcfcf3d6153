// GA4 and Google Ads count a conversion once (lib/platforms/delivery-mode.ts): the runtime
// reads GA's cookies and reports which Google tags ran; the collector creates a server
// copy only where the tag did not run (or waits, for a backend's event); the forwarder
// drops a waiting copy whose browser copy arrived meanwhile saying the tag ran.
import { describe, expect, test } from "vitest";
import { sha256 } from "../../../lib/collector/hash";
import { intakeFromSnapshot } from "../../../lib/collector/intake-config";
import { prepareEvent, type RequestContext } from "../../../lib/collector/prepare";
import type { CollectedEventInput } from "../../../lib/collector/schema";
import { compileConfig } from "../../../lib/compiler/compile-config";
import { featuresOf } from "../../../lib/compiler/features";
import { Platform, browserRef, type RuntimeDestination } from "../../../lib/compiler/runtime-config";
import { batches } from "../../../lib/forwarder/worker";
import { ga4 } from "../../../lib/platforms/ga4/server";
import { FILL_IN } from "../../../lib/platforms/delivery-mode";
import { gaIds } from "../../../runtime/google-ids";
import { hashUserData } from "../../../lib/collector/hash";
import { validSnapshot } from "../../fixtures/snapshot";

const GA4: RuntimeDestination = [Platform.ga4, ["purchase"], null, "G-ABC123"];

describe("GA4's cookies: read by the runtime, parsed by the collector", () => {
  const ids = (jar: string) => {
    const raw = gaIds(jar, [GA4], undefined) as { ga_client_id?: string; ga_session_id?: string };
    const parsed = hashUserData(raw);
    return { ga_client_id: parsed.ga_client_id, ga_session_id: parsed.ga_session_id };
  };

  test("the client id from _ga; the session id from _ga_<container> in the GS1 format", () => {
    const jar = "_fbp=fb.1.1.2; _ga=GA1.1.1234567890.1700000000; _ga_ABC123=GS1.1.1733390000.3.1.1733390100.0.0.0";
    expect(ids(jar)).toEqual({ ga_client_id: "1234567890.1700000000", ga_session_id: "1733390000" });
  });

  test("the GS2 format (GS2.1.s<session>$o<count>$g…$t…)", () => {
    const jar = "_ga=GA1.2.987654321.1690000000; _ga_ABC123=GS2.1.s1733391234$o5$g1$t1733391300$j0$l0$h0";
    expect(ids(jar)).toEqual({ ga_client_id: "987654321.1690000000", ga_session_id: "1733391234" });
  });

  test("another container's session cookie is not taken; no cookies, no ids; a backend's plain ids pass", () => {
    expect(ids("_ga=GA1.1.1.2; _ga_OTHER=GS1.1.55.1.1.1.0.0.0")).toEqual({ ga_client_id: "1.2", ga_session_id: undefined });
    expect(ids("")).toEqual({ ga_client_id: undefined, ga_session_id: undefined });
    expect(hashUserData({ ga_client_id: "555.666", ga_session_id: "1733390000" })).toMatchObject({ ga_client_id: "555.666", ga_session_id: "1733390000" });
  });

  test("the browser names a destination as the server does", () => {
    const ids = { conversionId: "AW-123456789", conversionLabel: "AbCdEf12", measurementId: "G-ABC123" };
    expect(browserRef(GA4)).toBe(FILL_IN.ga4!.ref(ids));
    expect(browserRef([Platform.google_ads, ["purchase"], null, "AW-123456789", "AbCdEf12"])).toBe(FILL_IN.google_ads!.ref(ids));
  });
});

const NOW = Date.parse("2026-06-15T12:00:00Z");
const ctx: RequestContext = { ip: "203.0.113.7", userAgent: "Mozilla/5.0", now: NOW };

function config(modes: { ga4?: string; ads?: string } = {}) {
  const s = validSnapshot();
  const d = (id: string, platform: string, ids: Record<string, string>, mode?: string) => ({
    id,
    name: id,
    description: "",
    ownerId: null,
    platform,
    ids,
    events: [{ eventId: "e1" }],
    regions: null,
    nonProduction: "test",
    secretsSet: [],
    ...(mode ? { deliveryMode: mode } : {}),
  });
  s.destinations = [
    d("meta", "meta", { pixelId: "1234567890" }),
    d("ga4", "ga4", { measurementId: "G-ABC123" }, modes.ga4),
    d("ads", "google_ads", { conversionId: "AW-123456789", conversionLabel: "AbCdEf12", customerId: "1234567890", conversionActionId: "42" }, modes.ads),
  ];
  return { snapshot: s, intake: intakeFromSnapshot({ id: "env", name: "production", teamId: "t", kind: "production", siteId: "s", hostnames: ["shop.example.com"] }, { number: 1, snapshot: s }) };
}

const purchase = (extra: Partial<CollectedEventInput> = {}): CollectedEventInput => ({
  event_id: "order-1",
  name: "purchase",
  params: { value: 10, currency: "EUR", order_id: "1" },
  user_data: { email: "ada@example.com" },
  consent: { ad_storage: "granted" },
  ...extra,
});
const deliveries = (input: CollectedEventInput, source: "browser" | "server", modes?: { ga4?: string; ads?: string }) =>
  Object.fromEntries(prepareEvent(input, source, config(modes).intake, ctx, "id", 2000, 60_000).deliveries.map((d) => [d.destinationId, d]));

describe("browser_fill_in (the default for GA4 and Google Ads)", () => {
  test("the tag ran: no GA4 server copy; Google Ads only enhances the order; Meta gets both copies", () => {
    const d = deliveries(purchase({ fired: ["G-ABC123", "AW-123456789/AbCdEf12"] }), "browser");
    expect(Object.keys(d).sort()).toEqual(["ads", "meta"]);
    expect(d.ads.target.fillIn).toBe("AW-123456789/AbCdEf12");
  });

  test("the tag was blocked: the browser copy goes to GA4 and Google Ads after the forward delay", () => {
    const d = deliveries(purchase(), "browser");
    expect(Object.keys(d).sort()).toEqual(["ads", "ga4", "meta"]);
    expect(d.ga4).toMatchObject({ delayMs: 2000, target: { fillIn: "G-ABC123" } });
  });

  test("a backend's event waits the fill-in time for a browser copy; Meta's does not wait", () => {
    const d = deliveries(purchase(), "server");
    expect(d.ga4.delayMs).toBe(60_000);
    expect(d.ads.delayMs).toBe(60_000);
    expect(d.meta.delayMs).toBe(0);
  });

  test("a server event cannot claim a tag ran: `fired` counts only from the browser", () => {
    expect(Object.keys(deliveries(purchase({ fired: ["G-ABC123"] }), "server")).sort()).toEqual(["ads", "ga4", "meta"]);
  });
});

describe("the other modes", () => {
  test("browser: never a server copy; server: always, and the container carries no tag for it", () => {
    expect(Object.keys(deliveries(purchase(), "browser", { ga4: "browser", ads: "browser" }))).toEqual(["meta"]);
    const d = deliveries(purchase({ fired: ["G-ABC123"] }), "server", { ga4: "server" });
    expect(d.ga4.delayMs).toBe(0);
    expect(d.ga4.target.fillIn).toBeUndefined();
    const { snapshot } = config({ ga4: "server" });
    const compiled = compileConfig(snapshot, { environment: { publicKey: "k", name: "production", kind: "production" }, collectUrl: "https://t/c", previewUrl: "https://t/p" });
    expect(compiled[9].map((x) => x[0])).toEqual([Platform.meta, Platform.google_ads]);
  });

  test("server-only GA4 and Google Ads: no tag, yet the beacon still reads GA's cookies and keeps the click ids", () => {
    const compile = (modes: { ga4?: string; ads?: string }) =>
      compileConfig(config(modes).snapshot, { environment: { publicKey: "k", name: "production", kind: "production" }, collectUrl: "https://t/c", previewUrl: "https://t/p" });
    const onlyServer = compile({ ga4: "server", ads: "server" });
    expect(onlyServer[9].map((x) => x[0])).toEqual([Platform.meta]);
    expect(onlyServer[10]).toEqual(["G-ABC123", 1]);
    expect(featuresOf(onlyServer)).toMatchObject({ GA4: false, GOOGLE_ADS: false, GA_IDS: true, GOOGLE_CLICK_IDS: true });
    // The session cookie of the server-only measurement id.
    const jar = "_ga=GA1.1.1234567890.1700000000; _ga_ABC123=GS2.1.s1733391234$o5$g1$t1733391300$j0$l0$h0";
    expect(gaIds(jar, onlyServer[9], onlyServer[10])).toEqual({ ga_client_id: "GA1.1.1234567890.1700000000", ga_session_id: "GS2.1.s1733391234$o5$g1$t1733391300$j0$l0$h0" });
    // With the tags in the browser the ids come from their destinations; nothing extra.
    const tagged = compile({});
    expect(tagged[10]).toBeUndefined();
    expect(featuresOf(tagged)).toMatchObject({ GA4: true, GA_IDS: true, GOOGLE_CLICK_IDS: true });
    const noGoogle = compile({ ga4: "browser", ads: "browser" });
    expect(noGoogle[10]).toBeUndefined();
  });
});

describe("the forwarder, when a waiting server copy comes due", () => {
  type Row = Parameters<typeof batches>[0][number];
  const row = (platform: string, fired: string[] | undefined, extra: Partial<Row> = {}): Row => ({
    id: `${platform}-${fired ? "fired" : "none"}`,
    teamId: "team",
    destinationId: platform,
    platform,
    eventName: "purchase",
    target: { ids: platform === "ga4" ? { measurementId: "G-ABC123" } : { customerId: "1234567890", conversionActionId: "42" }, test: false, fillIn: platform === "ga4" ? "G-ABC123" : "AW-1/L" },
    attempts: 1,
    firstAttemptAt: null,
    name: "purchase",
    eventId: "order-1",
    orderId: "1",
    params: { value: 1, currency: "EUR" },
    userData: { em: sha256("ada@example.com") },
    context: fired ? { fired } : {},
    eventTime: new Date(),
    source: "both",
    ...extra,
  });

  test("a browser copy merged meanwhile said the tag ran: GA4's copy is suppressed, Google Ads' enhances", () => {
    const { groups, suppressed } = batches([row("ga4", ["G-ABC123"]), row("google_ads", ["AW-1/L"]), row("ga4", undefined)]);
    expect(suppressed.map((s) => s.id)).toEqual(["ga4-fired"]);
    expect(suppressed[0].reason).toMatch(/browser's tag reported this conversion/);
    expect(groups.map((g) => [g.adapter.platform, g.jobs.map((j) => j.deliveryId)])).toEqual([
      ["google_ads", ["google_ads-fired"]],
      ["ga4", ["ga4-none"]],
    ]);
    expect(groups[0].adapter.groupKey!(groups[0].jobs[0])).toBe("enhance");
    // Without an order id there is nothing to enhance: suppressed too.
    expect(batches([row("google_ads", ["AW-1/L"], { orderId: null })]).suppressed).toHaveLength(1);
  });

  test("the Measurement Protocol copy carries the browser's client id and session id", () => {
    const job = batches([row("ga4", undefined, { userData: { ga_client_id: "1234567890.1700000000", ga_session_id: "1733390000" } })]).groups[0].jobs;
    const body = JSON.parse((ga4.build(job, { apiSecret: "s" }) as { body: string }).body);
    expect(body.client_id).toBe("1234567890.1700000000");
    expect(body.events[0].params.session_id).toBe("1733390000");
  });
});

describe("click ids the runtime keeps for the pages after the landing page", () => {
  const run = async (search: string, jar: string) => {
    const written: string[] = [];
    const g = globalThis as unknown as { location?: unknown; document?: unknown };
    const saved = { location: g.location, document: g.document };
    g.location = { search };
    g.document = {
      set cookie(v: string) {
        written.push(v);
      },
    };
    try {
      const { clickIds } = await import("../../../runtime/google-ids");
      return { ids: clickIds(jar), written };
    } finally {
      Object.assign(g, saved);
    }
  };

  test("fbclid in the URL: kept with when it was seen; the collector builds Meta's fbc of it (fb.1.<ms>.<fbclid>) unless _fbc came", async () => {
    const { ids, written } = await run("?fbclid=IwAR0abc", "");
    expect(ids.fbclid).toMatch(/^\d{13}\.IwAR0abc$/);
    expect(written[0]).toMatch(/^_tp_fbclid=\d{13}\.IwAR0abc;path=\/;SameSite=Lax;max-age=7776000$/);
    expect(hashUserData({ fbclid: "1733390000000.IwAR0abc" }).fbc).toBe("fb.1.1733390000000.IwAR0abc");
    expect(hashUserData({ fbclid: "1733390000000.IwAR0abc", fbc: "fb.1.1.own" }).fbc).toBe("fb.1.1.own");
  });

  test("gclid, gbraid or wbraid from the URL, kept for later pages; the collector sends the newest one alone", async () => {
    expect((await run("?gbraid=0AAAAA-xyz", "")).ids.gbraid).toMatch(/^\d{13}\.0AAAAA-xyz$/);
    const later = await run("", "_tp_gclid=1733390000000.Cj0KCQ; _tp_wbraid=1733390500000.Wb1");
    expect(later.ids).toMatchObject({ gclid: "1733390000000.Cj0KCQ", wbraid: "1733390500000.Wb1" });
    const sent = hashUserData(later.ids as Record<string, string>);
    expect([sent.gclid, sent.gbraid, sent.wbraid]).toEqual([undefined, undefined, "Wb1"]);
    // A backend's plain gclid is taken as it is.
    expect(hashUserData({ gclid: "Cj0K" }).gclid).toBe("Cj0K");
  });
});
