// One incoming event → what is stored and forwarded (lib/collector/prepare.ts): validation
// against the published version, region resolution, click ids, and the deliveries an
// event creates under region, consent and environment rules.
import { describe, expect, test } from "vitest";
import { sha256 } from "../../../lib/collector/hash";
import { intakeFromSnapshot, type IntakeConfig } from "../../../lib/collector/intake-config";
import { prepareEvent, resolveRegion, type RequestContext } from "../../../lib/collector/prepare";
import type { CollectedEventInput } from "../../../lib/collector/schema";
import type { Snapshot } from "../../../lib/versions/snapshot";
import { validSnapshot } from "../../fixtures/snapshot";

const NOW = Date.parse("2026-06-15T12:00:00Z");
const ctx: RequestContext = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 Test", referer: "https://shop.example.com/checkout/thanks?fbclid=FROMREFERER", now: NOW };

function snapshot(): Snapshot {
  const s = validSnapshot();
  s.site.hostnames.push("*.shop.example.org");
  s.site.regions.push({ code: "ch", name: "Switzerland", countries: ["CH"], rules: [{ hostname: "*.shop.example.org" }], currency: "CHF", consentDefault: "granted" });
  const d = (id: string, platform: string, extra: Record<string, unknown> = {}) => ({ id, name: id, description: "", ownerId: null, platform, ids: {}, events: [{ eventId: "e1" }], regions: null, nonProduction: "test", secretsSet: [], ...extra });
  s.destinations = [
    d("meta", "meta", { ids: { pixelId: "1234567890" }, testEventCode: "TEST1" }),
    d("ga4", "ga4", { events: [{ eventId: "e1", name: "purchase_server" }], regions: ["eu"] }),
    d("tiktok", "tiktok"),
    d("ads", "google_ads"),
    d("hook", "webhook"),
    d("pixel", "image_pixel"),
    d("meta-held", "meta", { testEventCode: "TEST2", nonProduction: "hold" }),
  ];
  return s;
}

const env = (kind: string) => ({ id: `env-${kind}`, name: kind, teamId: "t1", kind, siteId: "s1", hostnames: ["shop.example.com"] });
const production: IntakeConfig = intakeFromSnapshot(env("production"), { number: 3, snapshot: snapshot() });
const staging: IntakeConfig = intakeFromSnapshot(env("staging"), { number: 3, snapshot: snapshot() });
const unpublished: IntakeConfig = intakeFromSnapshot(env("development"), null);

function purchase(extra: Partial<CollectedEventInput> = {}): CollectedEventInput {
  return { event_id: "evt-1", name: "purchase", params: { value: 10, currency: "EUR", order_id: "o-1" }, consent: { ad_storage: "granted" }, ...extra };
}

const prepare = (input: CollectedEventInput, source: "browser" | "server" = "server", config = production, context = ctx) => prepareEvent(input, source, config, context, "id-1", 2000);
const fields = (input: CollectedEventInput, config = production) => prepare(input, "server", config).errors.map((e) => e.field);

describe("validation against the published version", () => {
  test("a valid purchase is accepted, keyed by event_id and order_id", () => {
    const e = prepare(purchase());
    expect(e).toMatchObject({ status: "accepted", errors: [], eventId: "evt-1", orderId: "o-1", name: "purchase", source: "server" });
    expect([e.eventKey, e.orderKey]).toEqual(["evt-1", "o-1"]);
  });

  test("each broken rule is named by its field", () => {
    expect(fields(purchase({ params: { currency: "EUR", order_id: "o" } }))).toEqual(["params.value"]);
    expect(fields(purchase({ params: { value: "10", currency: "EUR", order_id: "o" } }))).toEqual(["params.value"]);
    expect(fields(purchase({ params: { value: -1, currency: "EUR", order_id: "o" } }))).toEqual(["params.value"]);
    expect(fields(purchase({ params: { value: 1, currency: "EURO", order_id: "o" } }))).toEqual(["params.currency"]);
    expect(fields(purchase({ params: { value: 1, currency: "EUR", order_id: "" } }))).toEqual(["params.order_id"]);
    expect(fields(purchase({ params: { value: 1, currency: "EUR", order_id: "o", content_ids: [] } }))).toEqual(["params.content_ids"]);
    expect(fields(purchase({ name: "refund" }))).toEqual(["name"]);
    expect(fields(purchase({ errors: ["variable DL value: not found"] }))).toEqual(["runtime"]);
    expect(fields(purchase(), unpublished)).toContain("key");
    expect(prepare(purchase({ params: { value: 1, currency: "EUR", order_id: "o" } })).errors).toEqual([]);
  });

  test("a currency is trimmed and upper-cased before it is checked", () => {
    const e = prepare(purchase({ params: { value: 1, currency: " eur ", order_id: "o" } }));
    expect(e.status).toBe("accepted");
    expect(e.params.currency).toBe("EUR");
  });

  test("event_time: seconds, milliseconds or ISO 8601; not in the future, not older than 7 days", () => {
    const secs = Math.floor(NOW / 1000) - 60;
    expect(prepare(purchase({ event_time: secs })).eventTime.getTime()).toBe(secs * 1000);
    expect(prepare(purchase({ event_time: NOW - 1000 })).eventTime.getTime()).toBe(NOW - 1000);
    expect(prepare(purchase({ event_time: "2026-06-15T11:00:00Z" })).eventTime.toISOString()).toBe("2026-06-15T11:00:00.000Z");
    expect(prepare(purchase({ event_time: String(secs) })).eventTime.getTime()).toBe(secs * 1000);
    expect(prepare(purchase({ ts: NOW - 5 })).eventTime.getTime()).toBe(NOW - 5);
    expect(prepare(purchase()).eventTime.getTime()).toBe(NOW);
    const reasons = (t: number | string) => prepare(purchase({ event_time: t })).errors.map((e) => `${e.field}: ${e.message}`);
    expect(reasons(Math.floor(NOW / 1000) + 3600)).toEqual(["event_time: is in the future"]);
    expect(reasons(NOW - 8 * 24 * 3600 * 1000)).toEqual(["event_time: is older than 7 days"]);
    expect(reasons("yesterday")).toEqual(["event_time: is not a date (unix seconds, milliseconds or ISO 8601)"]);
  });

  test("a rejected time is stored as the time of receipt, whatever was claimed", () => {
    for (const t of [1e20, 1e15, -1e13, "+275760-09-13T00:00:00Z"]) {
      const e = prepare(purchase({ event_time: t }));
      expect(e.status).toBe("rejected");
      expect(e.eventTime.getTime(), String(t)).toBe(NOW);
    }
  });

  test("a rejected event claims no dedup keys and creates no deliveries", () => {
    const e = prepare(purchase({ params: { value: -1, currency: "EUR", order_id: "o" } }));
    expect(e).toMatchObject({ status: "rejected", eventKey: null, orderKey: null, deliveries: [] });
  });

  test("only purchases dedup by order id", () => {
    const snap = snapshot();
    snap.planEvents.push({ id: "p2", name: "lead", parameters: [], platformNames: { meta: "Lead" } });
    snap.events.push({ ...snap.events[0], id: "e2", name: "lead", planEventId: "p2", mappings: {} });
    const config = intakeFromSnapshot(env("production"), { number: 1, snapshot: snap });
    const lead = prepareEvent({ event_id: "l1", name: "lead", params: { order_id: "o-9" } }, "server", config, ctx, "id", 0);
    expect([lead.eventKey, lead.orderKey]).toEqual(["l1", null]);
  });
});

describe("regions", () => {
  test("explicit, else the site's rules (hostname, path prefix), else the trusted country", () => {
    expect(resolveRegion(production, "us", "https://shop.example.com/", "DE")).toBe("us");
    // An unknown explicit region is ignored.
    expect(resolveRegion(production, "mars", "https://shop.example.com/us/cart", undefined)).toBe("us");
    expect(resolveRegion(production, undefined, "https://shop.example.com/us/cart", "DE")).toBe("us");
    expect(resolveRegion(production, undefined, "https://fr.shop.example.org/", "DE")).toBe("ch");
    expect(resolveRegion(production, undefined, "https://shop.example.org/", undefined)).toBe("ch");
    expect(resolveRegion(production, undefined, "https://shop.example.com/de", " de ")).toBe("eu");
    expect(resolveRegion(production, undefined, "https://shop.example.com/", "JP")).toBeNull();
    expect(resolveRegion(production, undefined, "not a url", undefined)).toBeNull();
  });

  test("an event's region comes from its user_data country, else the country header", () => {
    expect(prepare(purchase({ user_data: { country: "FR" } })).region).toBe("eu");
    expect(prepare(purchase(), "server", production, { ...ctx, country: "US" }).region).toBe("us");
  });
});

describe("enrichment", () => {
  test("fbc is built from an fbclid in the page URL as Meta documents: fb.1.<ms>.<fbclid>", () => {
    const e = prepare(purchase({ page: { url: "https://shop.example.com/?fbclid=IwAR2xyz&gclid=Cj0K&ttclid=E.C.P" } }), "browser");
    expect(e.userData).toMatchObject({ fbc: `fb.1.${NOW}.IwAR2xyz`, gclid: "Cj0K", ttclid: "E.C.P" });
    // The fbc cookie, when sent, wins over one built from the URL.
    const cookie = prepare(purchase({ page: { url: "https://shop.example.com/?fbclid=IwAR2xyz" }, user_data: { fbc: "fb.1.1700000000000.OLD" } }), "browser");
    expect(cookie.userData.fbc).toBe("fb.1.1700000000000.OLD");
  });

  test("browser events take IP, user agent and, without page.url, the Referer; server events none of them", () => {
    const browser = prepare(purchase(), "browser");
    expect(browser.userData).toMatchObject({ client_ip_address: "203.0.113.7", client_user_agent: "Mozilla/5.0 Test", fbc: `fb.1.${NOW}.FROMREFERER` });
    expect(browser.context.url).toBe("https://shop.example.com/checkout/thanks?fbclid=FROMREFERER");
    const server = prepare(purchase());
    expect(server.userData).toEqual({});
    expect(server.context).toEqual({});
    // A backend may pass the visitor's IP and user agent along.
    expect(prepare(purchase({ user_data: { client_ip_address: "198.51.100.1", client_user_agent: "UA" } })).userData).toEqual({ client_ip_address: "198.51.100.1", client_user_agent: "UA" });
  });

  test("user data is hashed before anything else sees it", () => {
    const e = prepare(purchase({ user_data: { email: "Someone@Example.com", phone: "+1 555 123 4567" } }));
    expect(JSON.stringify(e)).not.toMatch(/someone|555 123|5551234567/i);
    expect(e.userData.em).toMatch(/^[a-f0-9]{64}$/);
  });

  test("raw PII outside user_data — in params, the page URL, the referrer — is hashed or redacted; region and click ids still read the URL", () => {
    const e = prepare(
      purchase({
        params: { value: 10, currency: "EUR", order_id: "o-1", customer: { email: "Someone@Example.com", phone: "+1 555 123 4567" } },
        page: {
          url: "https://shop.example.org/thanks?email=someone%40example.com&phone=%2B15551234567&first_name=Some&fbclid=IwAR9",
          referrer: "https://shop.example.com/checkout?e-mail=someone@example.com&step=2",
          title: "Thanks, someone@example.com",
        },
      }),
      "browser",
    );
    expect(e.status).toBe("accepted");
    expect(JSON.stringify(e)).not.toMatch(/someone|555 123|5551234567|first_name=Some/i);
    expect(e.params.customer).toEqual({ email: sha256("someone@example.com"), phone: sha256("15551234567") });
    expect(e.context).toEqual({
      url: "https://shop.example.org/thanks?email=redacted&phone=redacted&first_name=redacted&fbclid=IwAR9",
      referrer: "https://shop.example.com/checkout?e-mail=redacted&step=2",
      title: "Thanks, redacted",
    });
    expect(e.region).toBe("ch");
    expect(e.userData.fbc).toBe(`fb.1.${NOW}.IwAR9`);
  });

  test("without the Referer's PII too, when it stands in for the page URL", () => {
    const e = prepare(purchase(), "browser", production, { ...ctx, referer: "https://shop.example.com/thanks?mail=someone@example.com&fbclid=F" });
    expect(e.context.url).toBe("https://shop.example.com/thanks?mail=redacted&fbclid=F");
  });
});

describe("deliveries", () => {
  const by = (e: ReturnType<typeof prepare>) => Object.fromEntries(e.deliveries.map((d) => [d.destinationId, d]));

  test("production: one per server-side destination the event goes to, with the destination's event name", () => {
    const d = by(prepare(purchase()));
    expect(Object.keys(d).sort()).toEqual(["ads", "hook", "meta", "meta-held", "tiktok"]);
    expect(d.meta).toMatchObject({ platform: "meta", eventName: "Purchase", status: "pending", delayMs: 0, target: { ids: { pixelId: "1234567890" }, testEventCode: "TEST1", test: false } });
    expect(d.tiktok.eventName).toBe("CompletePayment");
    // Image pixels fire in the browser only.
    expect(d.pixel).toBeUndefined();
  });

  test("a destination limited to regions gets only their events; the destination's own event name wins", () => {
    const eu = by(prepare(purchase({ region: "eu" })));
    expect(eu.ga4).toMatchObject({ eventName: "purchase_server", status: "pending" });
    expect(by(prepare(purchase({ region: "us" }))).ga4).toBeUndefined();
    expect(by(prepare(purchase())).ga4).toBeUndefined();
  });

  test("consent: denied ad storage (explicit, or the region's default) leaves only the webhook", () => {
    expect(Object.keys(by(prepare(purchase({ consent: { ad_storage: "denied" } }))))).toEqual(["hook"]);
    // The EU region defaults to denied when the event says nothing.
    const defaulted = prepare(purchase({ consent: undefined, region: "eu" }));
    expect(defaulted.consent.ad_storage).toBe("denied");
    expect(Object.keys(by(defaulted))).toEqual(["hook"]);
    expect(prepare(purchase({ consent: undefined, region: "us" })).consent.ad_storage).toBe("granted");
  });

  test("browser events wait for a server copy (the forward delay); server events go at once", () => {
    expect(prepare(purchase(), "browser").deliveries.every((d) => d.delayMs === 2000)).toBe(true);
    expect(prepare(purchase(), "server").deliveries.every((d) => d.delayMs === 0)).toBe(true);
  });

  test("non-production: test code or debug endpoint where there is one, otherwise held", () => {
    const d = by(prepare(purchase({ region: "eu" }), "server", staging));
    expect(d.meta).toMatchObject({ status: "pending", target: { test: true, testEventCode: "TEST1" } });
    expect(d.ga4).toMatchObject({ status: "pending", target: { test: true } });
    // TikTok without a test code would count the event as real: held.
    expect(d.tiktok).toMatchObject({ status: "held", target: { test: true } });
    expect(d["meta-held"].status).toBe("held");
    expect(d.ads.status).toBe("held");
    expect(d.hook.status).toBe("held");
  });

  test("a production event marked test is a test event", () => {
    const d = by(prepare(purchase({ test: true })));
    expect(d.meta).toMatchObject({ status: "pending", target: { test: true, testEventCode: "TEST1" } });
    expect(d.ads.status).toBe("held");
  });
});
