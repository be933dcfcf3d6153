// The destination adapters (lib/platforms/*/server.ts): the request each builds for a
// batch, checked against the platform's documented contract, and how each reads the
// platform's answer.
import crypto from "node:crypto";
import { describe, expect, test } from "vitest";
import { sha256 } from "../../../lib/collector/hash";
import { ga4 } from "../../../lib/platforms/ga4/server";
import { googleAds } from "../../../lib/platforms/google-ads/server";
import { meta } from "../../../lib/platforms/meta/server";
import { tiktok } from "../../../lib/platforms/tiktok/server";
import { signWebhook, webhook } from "../../../lib/platforms/webhook/server";
import { pinterest } from "../../../lib/platforms/pinterest/server";
import { snapchat } from "../../../lib/platforms/snapchat/server";
import { ageProblem, type HttpRequest, type Job } from "../../../lib/forwarder/types";

const TIME = new Date("2026-06-15T12:00:00.000Z");
const EM = sha256("test@example.com");
const PH = sha256("15551234567");
const PH_E164 = sha256("+15551234567");

/** `tagRan`: the destination is in browser_fill_in mode and the browser reported its tag ran for the event. */
function job(extra: { ids?: Record<string, string>; test?: boolean; testEventCode?: string; eventName?: string; event?: Partial<Job["event"]>; tagRan?: boolean } = {}): Job {
  const fillIn = extra.tagRan ? { fillIn: "AW-123456789/AbC-d_12" } : {};
  return {
    deliveryId: `d-${Math.random()}`,
    destinationId: "dest-1",
    eventName: extra.eventName ?? "Purchase",
    target: { ids: extra.ids ?? {}, test: extra.test ?? false, ...(extra.testEventCode ? { testEventCode: extra.testEventCode } : {}), ...fillIn },
    event: {
      name: "purchase",
      eventId: "evt-1",
      orderId: "order-1",
      params: { value: 49.9, currency: "EUR", order_id: "order-1", content_ids: ["sku-1", "sku-2"], contents: [{ id: "sku-1", quantity: 2, price: 9.95 }, { id: "sku-2", quantity: 1, price: 30 }], num_items: 3 },
      userData: { em: EM, ph: PH, ph_e164: PH_E164, fn: sha256("mary"), ln: sha256("obrien"), external_id: sha256("c-1"), client_ip_address: "203.0.113.7", client_user_agent: "Mozilla/5.0", fbp: "fb.1.1700000000000.1", fbc: "fb.1.1700000000000.IwAR", ttclid: "E.C.P", gclid: "Cj0K" },
      context: { url: "https://shop.example.com/thanks", referrer: "https://shop.example.com/cart", ...(extra.tagRan ? { fired: ["G-OTHER", "AW-123456789/AbC-d_12"] } : {}) },
      eventTime: TIME,
      source: "both",
      ...extra.event,
    },
  };
}

function request(r: HttpRequest | { error: string }): HttpRequest & { json: Record<string, unknown> & { [k: string]: unknown } } {
  if ("error" in r) throw new Error(r.error);
  return { ...r, json: JSON.parse(r.body) };
}

describe("Meta Conversions API", () => {
  const ids = { pixelId: "1234567890" };

  test("custom properties the mapping adds pass through in custom_data; standard ones are mapped as Meta names them", () => {
    const r = request(meta.build([job({ ids, event: { params: { value: 5, currency: "EUR", membership: "gold", coupon: { code: "X1" }, items: [{ item_id: "a" }], client_id: "1.2" } } })], { accessToken: "t" }));
    const custom = (r.json.data as { custom_data: Record<string, unknown> }[])[0].custom_data;
    expect(custom).toEqual({ membership: "gold", coupon: { code: "X1" }, value: 5, currency: "EUR", content_ids: ["a"], content_type: "product", contents: [{ id: "a", quantity: 1 }], order_id: "order-1" });
  });

  test("action_source: website for browser and merged events; a backend's event takes the destination's setting", () => {
    const source = (event: Partial<Job["event"]>, extra: Record<string, string> = {}) =>
      (request(meta.build([job({ ids: { ...ids, ...extra }, event })], { accessToken: "t" })).json.data as { action_source: string }[])[0].action_source;
    expect(source({ source: "browser" }, { actionSource: "physical_store" })).toBe("website");
    expect(source({ source: "both" }, { actionSource: "physical_store" })).toBe("website");
    expect(source({ source: "server" }, { actionSource: "physical_store" })).toBe("physical_store");
    expect(source({ source: "server" })).toBe("website");
  });

  test("POST /{version}/{pixel_id}/events with data[] of the documented fields and the access token", () => {
    const r = request(meta.build([job({ ids })], { accessToken: "EAAB" }));
    expect(r.url).toBe("https://graph.facebook.com/v26.0/1234567890/events");
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.json.access_token).toBe("EAAB");
    expect(r.json.test_event_code).toBeUndefined();
    expect(r.json.data).toEqual([
      {
        event_name: "Purchase",
        event_time: Math.floor(TIME.getTime() / 1000),
        event_id: "evt-1",
        action_source: "website",
        event_source_url: "https://shop.example.com/thanks",
        user_data: { em: [EM], ph: [PH], fn: [sha256("mary")], ln: [sha256("obrien")], external_id: [sha256("c-1")], client_ip_address: "203.0.113.7", client_user_agent: "Mozilla/5.0", fbp: "fb.1.1700000000000.1", fbc: "fb.1.1700000000000.IwAR" },
        custom_data: {
          value: 49.9,
          currency: "EUR",
          content_ids: ["sku-1", "sku-2"],
          content_type: "product",
          contents: [{ id: "sku-1", quantity: 2, item_price: 9.95 }, { id: "sku-2", quantity: 1, item_price: 30 }],
          order_id: "order-1",
          num_items: 3,
        },
      },
    ]);
  });

  test("date of birth and gender go hashed as db and ge, and count as customer information", () => {
    const u = { db: sha256("19970216"), ge: sha256("f") };
    const r = request(meta.build([job({ ids, event: { userData: u } })], { accessToken: "t" }));
    expect((r.json.data as { user_data: unknown }[])[0].user_data).toEqual({ db: [u.db], ge: [u.ge] });
    expect(meta.refuse!(job({ ids, event: { userData: { ge: u.ge } } }))).toBeNull();
  });

  test("test events carry the destination's test_event_code; production ones never do", () => {
    expect(request(meta.build([job({ ids, test: true, testEventCode: "TEST42" })], { accessToken: "t" })).json.test_event_code).toBe("TEST42");
    expect(request(meta.build([job({ ids, test: false, testEventCode: "TEST42" })], { accessToken: "t" })).json.test_event_code).toBeUndefined();
  });

  test("the base URL comes from TAGPIPE_META_BASE_URL; a batch keeps its order", () => {
    process.env.TAGPIPE_META_BASE_URL = "http://127.0.0.1:9/";
    try {
      const jobs = [1, 2, 3].map((i) => job({ ids, event: { eventId: `e${i}` } }));
      const r = request(meta.build(jobs, { accessToken: "t" }));
      expect(r.url).toBe("http://127.0.0.1:9/v26.0/1234567890/events");
      expect((r.json.data as { event_id: string }[]).map((d) => d.event_id)).toEqual(["e1", "e2", "e3"]);
    } finally {
      delete process.env.TAGPIPE_META_BASE_URL;
    }
  });

  test("without a pixel id or an access token there is nothing to send, and it says why", () => {
    expect(meta.build([job()], { accessToken: "t" })).toEqual({ error: "the destination has no pixel id" });
    expect(meta.build([job({ ids })], {})).toEqual({ error: "no Conversions API access token is set for this destination" });
  });

  test("an event without any customer information parameter is refused before batching", () => {
    expect(meta.refuse!(job({ event: { userData: {} } }))).toMatch(/customer information parameter/);
    expect(meta.refuse!(job({ event: { userData: { fbp: "fb.1.1.1" } } }))).toBeNull();
  });

  test("answers: 2xx ok; 429 and 5xx retry; throttling and transient errors retry even as 400; other 4xx fail", () => {
    const graph = (code: number, transient?: boolean) => JSON.stringify({ error: { message: "m", type: "OAuthException", code, ...(transient !== undefined ? { is_transient: transient } : {}), fbtrace_id: "x" } });
    expect(meta.outcome!(200, '{"events_received":1}')).toBe("ok");
    // A 2xx that carries an error object took nothing (the forwarder flags it as a silent drop).
    expect(meta.outcome!(200, graph(100))).toBe("fail");
    expect(meta.outcome!(200, graph(2))).toBe("retry");
    expect(meta.outcome!(204, "")).toBe("ok");
    expect(meta.outcome!(500, graph(2))).toBe("retry");
    expect(meta.outcome!(429, "")).toBe("retry");
    for (const code of [1, 2, 4, 17, 32, 341, 613]) expect(meta.outcome!(400, graph(code)), String(code)).toBe("retry");
    expect(meta.outcome!(400, graph(100, true))).toBe("retry");
    expect(meta.outcome!(400, graph(100))).toBe("fail");
    expect(meta.outcome!(400, graph(190, false))).toBe("fail");
    expect(meta.outcome!(403, "<html>Forbidden</html>")).toBe("fail");
  });
});

describe("TikTok Events API", () => {
  const ids = { pixelCode: "C4PIXEL0001" };

  test("POST /open_api/v1.3/event/track/ with the Access-Token header and data[] of event, event_time, event_id, user, page, properties", () => {
    const r = request(tiktok.build([job({ ids, eventName: "CompletePayment" })], { accessToken: "tt" }));
    expect(r.url).toBe("https://business-api.tiktok.com/open_api/v1.3/event/track/");
    expect(r.headers).toEqual({ "content-type": "application/json", "Access-Token": "tt" });
    expect(r.json).toEqual({
      event_source: "web",
      event_source_id: "C4PIXEL0001",
      data: [
        {
          event: "CompletePayment",
          event_time: Math.floor(TIME.getTime() / 1000),
          event_id: "evt-1",
          user: { email: EM, phone: PH_E164, external_id: sha256("c-1"), ip: "203.0.113.7", user_agent: "Mozilla/5.0", ttclid: "E.C.P" },
          page: { url: "https://shop.example.com/thanks", referrer: "https://shop.example.com/cart" },
          properties: {
            value: 49.9,
            currency: "EUR",
            content_ids: ["sku-1", "sku-2"],
            contents: [{ content_id: "sku-1", quantity: 2, price: 9.95 }, { content_id: "sku-2", quantity: 1, price: 30 }],
            content_type: "product",
            order_id: "order-1",
          },
        },
      ],
    });
    expect(request(tiktok.build([job({ ids, test: true, testEventCode: "TEST9" })], { accessToken: "tt" })).json.test_event_code).toBe("TEST9");
  });

  test("errors come inside a 200: code 0 ok, rate limits and internal errors retry, the rest fail", () => {
    expect(tiktok.outcome!(200, '{"code":0,"message":"OK"}')).toBe("ok");
    expect(tiktok.outcome!(200, '{"code":40100,"message":"Too many requests"}')).toBe("retry");
    expect(tiktok.outcome!(200, '{"code":50002,"message":"Internal"}')).toBe("retry");
    expect(tiktok.outcome!(200, '{"code":40002,"message":"Invalid"}')).toBe("fail");
    expect(tiktok.outcome!(200, "<html>gateway</html>")).toBe("retry");
    expect(tiktok.outcome!(503, "")).toBe("retry");
    expect(tiktok.outcome!(401, "")).toBe("fail");
  });
});

describe("GA4 Measurement Protocol", () => {
  const ids = { measurementId: "G-ABC123" };

  test("POST /mp/collect?measurement_id&api_secret with a client id, hashed user data and the events", () => {
    const r = request(ga4.build([job({ ids, eventName: "purchase" })], { apiSecret: "s3cret" }));
    const url = new URL(r.url);
    expect(url.origin + url.pathname).toBe("https://www.google-analytics.com/mp/collect");
    expect(Object.fromEntries(url.searchParams)).toEqual({ measurement_id: "G-ABC123", api_secret: "s3cret" });
    expect(r.json.client_id).toMatch(/^\d+\.\d+$/);
    expect(r.json.user_data).toEqual({ sha256_email_address: [EM], sha256_phone_number: [PH_E164], address: [{ sha256_first_name: sha256("mary"), sha256_last_name: sha256("obrien") }] });
    expect(r.json.events).toEqual([
      {
        name: "purchase",
        timestamp_micros: TIME.getTime() * 1000,
        params: {
          value: 49.9,
          currency: "EUR",
          transaction_id: "order-1",
          items: [{ item_id: "sku-1", quantity: 2, price: 9.95 }, { item_id: "sku-2", quantity: 1, price: 30 }],
          event_id: "evt-1",
          page_location: "https://shop.example.com/thanks",
          engagement_time_msec: 1,
        },
      },
    ]);
  });

  test("never an empty transaction_id: without an order id the parameter is absent", () => {
    for (const orderId of [null, ""]) {
      const r = request(ga4.build([job({ ids, event: { orderId } })], { apiSecret: "s" }));
      expect((r.json.events as { params: object }[])[0].params).not.toHaveProperty("transaction_id");
    }
  });

  test("test events go to the validation endpoint /debug/mp/collect", () => {
    expect(new URL(request(ga4.build([job({ ids, test: true })], { apiSecret: "s" })).url).pathname).toBe("/debug/mp/collect");
  });

  test("each event of a batch keeps its own time (timestamp_micros per event)", () => {
    const later = new Date(TIME.getTime() + 90_000);
    const r = request(ga4.build([job({ ids }), job({ ids, event: { eventId: "evt-2", eventTime: later } })], { apiSecret: "s" }));
    expect(r.json).not.toHaveProperty("timestamp_micros");
    expect((r.json.events as { timestamp_micros: number }[]).map((e) => e.timestamp_micros)).toEqual([TIME.getTime() * 1000, later.getTime() * 1000]);
  });

  test("string values are cut to GA4's lengths: 100 characters, page_location 1000", () => {
    const long = (n: number) => "x".repeat(n);
    const r = request(
      ga4.build([job({ ids, event: { orderId: long(150), eventId: long(120), params: { search_string: long(300), contents: [{ id: long(200), quantity: 1 }] }, context: { url: `https://shop.example.com/?q=${long(2000)}` } } })], { apiSecret: "s" }),
    );
    const params = (r.json.events as { params: Record<string, unknown> }[])[0].params as { transaction_id: string; event_id: string; search_term: string; page_location: string; items: { item_id: string }[] };
    expect([params.transaction_id.length, params.event_id.length, params.search_term.length, params.items[0].item_id.length, params.page_location.length]).toEqual([100, 100, 100, 100, 1000]);
  });

  test("what GA4 would drop silently is refused with the reason: a bad or reserved name, an event over 72 hours old", () => {
    const recent = { eventTime: new Date(Date.now() - 3600_000) };
    expect(ga4.refuse!(job({ ids, eventName: "purchase", event: recent }))).toBeNull();
    expect(ga4.refuse!(job({ ids, eventName: "Purchase Complete", event: recent }))).toMatch(/is not a GA4 event name/);
    expect(ga4.refuse!(job({ ids, eventName: "a".repeat(41), event: recent }))).toMatch(/is not a GA4 event name/);
    expect(ga4.refuse!(job({ ids, eventName: "_private", event: recent }))).toMatch(/is not a GA4 event name/);
    for (const name of ["session_start", "first_visit", "user_engagement", "google_purchase", "ga_x", "firebase_x"]) {
      expect(ga4.refuse!(job({ ids, eventName: name, event: recent })), name).toMatch(/reserves/);
    }
    expect(ageProblem(ga4, job({ ids, eventName: "purchase", event: { eventTime: new Date(Date.now() - 73 * 3600_000) } }))).toBe("GA4 takes events up to 72 hours old, and this one is 73 hours old: it would be refused");
    expect(ageProblem(ga4, job({ ids, eventName: "purchase", event: recent }))).toBeNull();
  });

  test("answers: 2xx ok, 429/5xx retry, other 4xx fail; the validation endpoint's messages fail the test batch with them", () => {
    expect(ga4.outcome!(204, "")).toBe("ok");
    expect(ga4.outcome!(200, JSON.stringify({ validationMessages: [] }))).toBe("ok");
    const messages = { validationMessages: [{ fieldPath: "events", description: "Event at index: [0] has invalid name [purchase!].", validationCode: "NAME_INVALID" }] };
    expect(ga4.outcome!(200, JSON.stringify(messages))).toBe("fail");
    expect(ga4.outcome!(503, "")).toBe("retry");
    expect(ga4.outcome!(429, "")).toBe("retry");
    expect(ga4.outcome!(400, "")).toBe("fail");
  });

  test("Google's email hash (no dots in a Gmail local part) is preferred when there is one", () => {
    const r = request(ga4.build([job({ ids, event: { userData: { em: "a".repeat(64), em_google: "b".repeat(64) } } })], { apiSecret: "s" }));
    expect((r.json.user_data as Record<string, unknown>).sha256_email_address).toEqual(["b".repeat(64)]);
  });

  test("at most 25 events per request; one client per request", () => {
    expect(ga4.maxBatch).toBe(25);
    const a = job({ ids, event: { userData: { em: EM } } });
    const b = job({ ids, event: { userData: { em: PH } } });
    expect(ga4.groupKey!(a)).not.toBe(ga4.groupKey!(b));
    expect(ga4.groupKey!(a)).toBe(ga4.groupKey!(job({ ids, event: { eventId: "other", userData: { em: EM } } })));
  });

  test("without a measurement id or API secret it says why", () => {
    expect(ga4.build([job()], { apiSecret: "s" })).toEqual({ error: "the destination has no measurement id" });
    expect(ga4.build([job({ ids })], {})).toEqual({ error: "no Measurement Protocol API secret is set for this destination" });
  });
});

describe("Google Ads enhanced conversions", () => {
  const ids = { conversionId: "AW-123456789", conversionLabel: "AbC-d_12", customerId: "123-456-7890", conversionActionId: "987654321" };
  const secrets = { developerToken: "dev", accessToken: "ya29" };
  const headers = { "content-type": "application/json", "developer-token": "dev", authorization: "Bearer ya29" };

  test("a backend's conversion: POST /{version}/customers/{customer id}:uploadClickConversions with the developer token, bearer and partial failure", () => {
    const r = request(googleAds.build([job({ ids, event: { source: "server" } })], secrets));
    // The account's customer ID (dashes dropped), not the tag's AW- conversion ID; a version not sunset.
    expect(r.url).toBe("https://googleads.googleapis.com/v26/customers/1234567890:uploadClickConversions");
    expect(r.headers).toEqual(headers);
    expect(r.json).toEqual({
      conversions: [
        {
          // The conversion action's numeric ID, not the tag's label.
          conversionAction: "customers/1234567890/conversionActions/987654321",
          conversionDateTime: "2026-06-15 12:00:00+00:00",
          conversionValue: 49.9,
          currencyCode: "EUR",
          orderId: "order-1",
          gclid: "Cj0K",
          userIdentifiers: [{ hashedEmail: EM }, { hashedPhoneNumber: PH_E164 }],
        },
      ],
      partialFailure: true,
    });
  });

  test("a conversion the browser's tag reported (the beacon said the tag ran, with an order id) is enhanced by uploadConversionAdjustments, never uploaded again", () => {
    for (const source of ["browser", "both"]) {
      const r = request(googleAds.build([job({ ids, tagRan: true, event: { source } })], secrets));
      expect(r.url).toBe("https://googleads.googleapis.com/v26/customers/1234567890:uploadConversionAdjustments");
      expect(r.headers).toEqual(headers);
      expect(r.json).toEqual({
        conversionAdjustments: [
          {
            conversionAction: "customers/1234567890/conversionActions/987654321",
            adjustmentType: "ENHANCEMENT",
            // The tag sent the order id as its transaction_id: it finds the conversion to enhance.
            orderId: "order-1",
            gclidDateTimePair: { gclid: "Cj0K", conversionDateTime: "2026-06-15 12:00:00+00:00" },
            userIdentifiers: [
              { hashedEmail: EM, userIdentifierSource: "FIRST_PARTY" },
              { hashedPhoneNumber: PH_E164, userIdentifierSource: "FIRST_PARTY" },
            ],
            userAgent: "Mozilla/5.0",
          },
        ],
        partialFailure: true,
      });
    }
    // A browser copy whose tag did not run (blocked) is the only report: uploaded.
    expect(request(googleAds.build([job({ ids, event: { source: "browser" } })], secrets)).url).toMatch(/:uploadClickConversions$/);
    // The two never share a request.
    expect(googleAds.groupKey!(job({ tagRan: true }))).not.toBe(googleAds.groupKey!(job({ event: { source: "server" } })));
  });

  test("a conversion without gclid or user identifiers is refused, and an enhancement without identifiers; missing settings say why", () => {
    expect(googleAds.refuse!(job({ event: { source: "server", userData: { fbp: "x" } } }))).toMatch(/gclid/);
    expect(googleAds.refuse!(job({ event: { source: "server", userData: { gclid: "Cj0K" } } }))).toBeNull();
    expect(googleAds.refuse!(job({ event: { userData: { em: EM } } }))).toBeNull();
    // The tag already carried the gclid: with no email or phone there is nothing to add.
    expect(googleAds.refuse!(job({ tagRan: true, event: { source: "browser", userData: { gclid: "Cj0K" } } }))).toMatch(/enhancing it needs a hashed email or phone/);
    const missing = { error: "the destination needs its Google Ads customer ID and conversion action ID for uploads" };
    expect(googleAds.build([job()], { developerToken: "d", accessToken: "o" })).toEqual(missing);
    // The tag's ids alone do not name an account or a conversion action in the API.
    expect(googleAds.build([job({ ids: { conversionId: "AW-123456789", conversionLabel: "AbC-d_12" } })], { developerToken: "d", accessToken: "o" })).toEqual(missing);
    expect(googleAds.build([job({ ids })], { developerToken: "d" })).toEqual({ error: "no OAuth access token could be obtained for this destination" });
    expect(googleAds.build([job({ ids })], { accessToken: "ya29" })).toEqual({ error: "no developer token is set for this destination" });
    // A manager account's id goes as login-customer-id, digits only.
    expect(request(googleAds.build([job({ ids: { ...ids, loginCustomerId: "111-222-3333" }, event: { source: "server" } })], secrets)).headers["login-customer-id"]).toBe("1112223333");
  });
});

describe("Google Ads partial failure (a 200 that refuses some conversions)", () => {
  /** An error as Google lists it in partialFailureError.details[].errors[]. */
  const adsError = (index: number, errorCode: Record<string, string>, message: string, field?: string) => ({
    errorCode,
    message,
    trigger: { stringValue: "x" },
    location: { fieldPathElements: [{ fieldName: "conversions", index }, ...(field ? [{ fieldName: field }] : [])] },
  });
  const answer = (errors: object[], results?: object[]) =>
    JSON.stringify({
      partialFailureError: {
        code: 3,
        message: "Multiple errors in ‘details’. First error: The imported gclid could not be decoded., at conversions[0].gclid",
        details: [{ "@type": "type.googleapis.com/google.ads.googleads.v21.errors.GoogleAdsFailure", errors, requestId: "r-1" }],
      },
      ...(results ? { results } : {}),
      jobId: "42",
    });
  const taken = { gclid: "Cj0K", conversionAction: "customers/1/conversionActions/2", conversionDateTime: "2026-06-15 12:00:00+00:00" };

  test("without partialFailureError every conversion was taken", () => {
    expect(googleAds.outcome!(200, JSON.stringify({ results: [taken, taken], jobId: "1" }), 2)).toBe("ok");
  });

  test("the conversions named by index fail with Google's reason, transient ones retry, the others are delivered", () => {
    const body = answer(
      [
        adsError(0, { conversionUploadError: "UNPARSEABLE_GCLID" }, "The imported gclid could not be decoded.", "gclid"),
        adsError(2, { conversionUploadError: "TOO_RECENT_EVENT" }, "The click associated with the given identifier occurred less than 6 hours ago."),
        adsError(3, { internalError: "TRANSIENT_ERROR" }, "Google Ads API encountered an unexpected transient error."),
      ],
      [{}, taken, {}, {}, taken],
    );
    expect(googleAds.outcome!(200, body, 5)).toEqual([
      { outcome: "fail", reason: "Google Ads refused the conversion: UNPARSEABLE_GCLID at gclid: The imported gclid could not be decoded." },
      { outcome: "ok" },
      // Google asks to retry after 6 hours.
      { outcome: "retry", reason: "Google Ads refused the conversion: TOO_RECENT_EVENT: The click associated with the given identifier occurred less than 6 hours ago.", retryAfter: "21600" },
      { outcome: "retry", reason: "Google Ads refused the conversion: TRANSIENT_ERROR: Google Ads API encountered an unexpected transient error." },
      { outcome: "ok" },
    ]);
  });

  test("a permanent error wins over a transient one for the same conversion", () => {
    const body = answer([adsError(1, { internalError: "TRANSIENT_ERROR" }, "retry"), adsError(1, { conversionUploadError: "EXPIRED_EVENT" }, "too old"), adsError(1, { internalError: "TRANSIENT_ERROR" }, "retry")]);
    expect(googleAds.outcome!(200, body, 2)).toEqual([{ outcome: "ok" }, { outcome: "fail", reason: "Google Ads refused the conversion: EXPIRED_EVENT: too old" }]);
  });

  test("an empty result marks a refused conversion even without a located error; nothing attributable fails the batch", () => {
    const unlocated = { errorCode: { conversionUploadError: "CLICK_NOT_FOUND" }, message: "not found" };
    expect(googleAds.outcome!(200, answer([unlocated], [taken, {}]), 2)).toEqual([{ outcome: "ok" }, { outcome: "fail", reason: expect.stringMatching(/^Google Ads refused the conversion: Multiple errors/) }]);
    expect(googleAds.outcome!(200, answer([unlocated]), 2)).toBe("fail");
    // An index outside the batch attributes nothing.
    expect(googleAds.outcome!(200, answer([adsError(7, { conversionUploadError: "EXPIRED_EVENT" }, "x")]), 2)).toBe("fail");
  });

  test("request-level answers: 429 and 5xx retry, other 4xx fail, a 200 that is not JSON counts as taken", () => {
    expect(googleAds.outcome!(429, JSON.stringify({ error: { code: 429, status: "RESOURCE_EXHAUSTED" } }), 1)).toBe("retry");
  });

  test("an enhancement's failure points into conversion_adjustments; a conversion not processed yet is retried", () => {
    const at = (index: number, errorCode: Record<string, string>, message: string) => ({ errorCode, message, location: { fieldPathElements: [{ fieldName: "conversion_adjustments", index }] } });
    const body = JSON.stringify({
      partialFailureError: {
        code: 3,
        message: "Multiple errors in ‘details’.",
        details: [{ errors: [at(0, { conversionAdjustmentUploadError: "CONVERSION_NOT_FOUND" }, "The conversion for this conversion action and conversion identifier can't be found."), at(2, { conversionAdjustmentUploadError: "INVALID_USER_IDENTIFIER" }, "bad identifier")] }],
      },
      results: [{}, { orderId: "o-2", adjustmentType: "ENHANCEMENT" }, {}],
    });
    expect(googleAds.outcome!(200, body, 3)).toEqual([
      { outcome: "retry", reason: "Google Ads refused the conversion: CONVERSION_NOT_FOUND: The conversion for this conversion action and conversion identifier can't be found." },
      { outcome: "ok" },
      { outcome: "fail", reason: "Google Ads refused the conversion: INVALID_USER_IDENTIFIER: bad identifier" },
    ]);
    expect(googleAds.outcome!(503, "", 1)).toBe("retry");
    expect(googleAds.outcome!(400, JSON.stringify({ error: { code: 400, status: "INVALID_ARGUMENT" } }), 1)).toBe("fail");
    expect(googleAds.outcome!(401, "", 1)).toBe("fail");
    expect(googleAds.outcome!(200, "", 1)).toBe("ok");
  });
});

describe("webhook", () => {
  test("JSON events with hashed user data, signed with HMAC-SHA256 over '<timestamp>.<body>'", () => {
    const r = request(webhook.build([job({ ids: { url: "https://hooks.example.com/in" }, test: true })], { signingSecret: "whsec" }));
    expect(r.url).toBe("https://hooks.example.com/in");
    const timestamp = r.headers["x-tagpipe-timestamp"];
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    const expected = `sha256=${crypto.createHmac("sha256", "whsec").update(`${timestamp}.${r.body}`).digest("hex")}`;
    expect(r.headers["x-tagpipe-signature"]).toBe(expected);
    expect(signWebhook("whsec", timestamp, r.body)).toBe(expected);
    // A receiver checking against a tampered body or another secret fails.
    expect(signWebhook("whsec", timestamp, r.body.replace("49.9", "4990"))).not.toBe(expected);
    expect(signWebhook("other", timestamp, r.body)).not.toBe(expected);
    const [event] = (r.json as { events: Record<string, unknown>[] }).events;
    expect(event).toMatchObject({ event_id: "evt-1", name: "Purchase", order_id: "order-1", source: "both", test: true, user_data: { em: EM } });
    expect(event.event_time).toBe(Math.floor(TIME.getTime() / 1000));
  });

  test("without a URL there is nothing to send; without a signing secret nothing is sent unsigned", () => {
    expect(webhook.build([job()], { signingSecret: "whsec" })).toEqual({ error: "the destination has no URL" });
    const ids = { url: "https://hooks.example.com/in" };
    for (const secrets of [{}, { signingSecret: "" }] as Record<string, string>[]) {
      expect(webhook.build([job({ ids })], secrets)).toEqual({ error: "no HMAC signing secret is set for this destination: webhooks are only sent signed" });
    }
  });

  test("a receiver verifies the signature as docs/collector.md shows", () => {
    const r = request(webhook.build([job({ ids: { url: "https://hooks.example.com/in" } })], { signingSecret: "whsec" }));
    // The receiver docs/collector.md shows: recompute over the raw body, compare in constant time, refuse stale timestamps.
    const verify = (secret: string, headers: Record<string, string>, rawBody: string, nowSeconds = Math.floor(Date.now() / 1000)) => {
      const timestamp = headers["x-tagpipe-timestamp"];
      const signature = headers["x-tagpipe-signature"] ?? "";
      if (!/^\d+$/.test(timestamp ?? "") || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
      const expected = `sha256=${crypto.createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
      return signature.length === expected.length && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
    };
    expect(verify("whsec", r.headers, r.body)).toBe(true);
    expect(verify("whsec", r.headers, r.body.replace("evt-1", "evt-2"))).toBe(false);
    expect(verify("whsec", r.headers, r.body, Math.floor(Date.now() / 1000) + 600)).toBe(false);
    expect(verify("wrong", r.headers, r.body)).toBe(false);
  });
});

describe("Pinterest Conversions API", () => {
  const ids = { tagId: "2612345678901", adAccountId: "549755885175" };

  test("POST /v5/ad_accounts/{ad_account_id}/events with a bearer token and data[] of the documented fields; test events with ?test=true", () => {
    const r = request(pinterest.build([job({ ids, eventName: "checkout" })], { accessToken: "pina" }));
    expect(r.url).toBe("https://api.pinterest.com/v5/ad_accounts/549755885175/events");
    expect(r.headers).toEqual({ "content-type": "application/json", authorization: "Bearer pina" });
    expect(r.json).toEqual({
      data: [
        {
          event_name: "checkout",
          action_source: "web",
          event_time: TIME.getTime() / 1000,
          event_id: "evt-1",
          event_source_url: "https://shop.example.com/thanks",
          user_data: { em: [EM], ph: [PH], fn: [sha256("mary")], ln: [sha256("obrien")], external_id: [sha256("c-1")], client_ip_address: "203.0.113.7", client_user_agent: "Mozilla/5.0" },
          custom_data: { currency: "EUR", value: "49.9", content_ids: ["sku-1", "sku-2"], contents: [{ id: "sku-1", quantity: 2, item_price: "9.95" }, { id: "sku-2", quantity: 1, item_price: "30" }], num_items: 3, order_id: "order-1" },
        },
      ],
    });
    expect(request(pinterest.build([job({ ids, test: true })], { accessToken: "pina" })).url).toMatch(/\/events\?test=true$/);
    expect(pinterest.build([job({ ids })], {})).toEqual({ error: "no Conversions API access token is set for this destination" });
  });

  test("each event's verdict comes inside the 200: a failed one is dead-lettered with Pinterest's message, the others delivered", () => {
    const body = JSON.stringify({ num_events_received: 2, num_events_processed: 1, events: [{ status: "processed" }, { status: "failed", error_message: "event_time is too old" }] });
    expect(pinterest.outcome!(200, body, 2)).toEqual([{ outcome: "ok" }, { outcome: "fail", reason: "Pinterest refused the event: event_time is too old" }]);
    expect(pinterest.outcome!(200, JSON.stringify({ events: [{ status: "processed" }] }), 1)).toBe("ok");
    expect(pinterest.outcome!(429, "", 1)).toBe("retry");
    expect(pinterest.outcome!(401, "", 1)).toBe("fail");
  });
});

describe("Snapchat Conversions API v3", () => {
  const ids = { pixelId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b" };

  test("POST /v3/{pixel_id}/events?access_token=… with data[] in Meta's shape, action_source WEB, event_time in seconds", () => {
    const r = request(snapchat.build([job({ ids, eventName: "PURCHASE" })], { accessToken: "snap tok" }));
    expect(r.url).toBe("https://tr.snapchat.com/v3/4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b/events?access_token=snap%20tok");
    const [e] = r.json.data as Record<string, unknown>[];
    expect(e).toMatchObject({ event_name: "PURCHASE", event_time: TIME.getTime() / 1000, event_id: "evt-1", action_source: "WEB", user_data: { em: [EM], ph: [PH] }, custom_data: { value: 49.9, currency: "EUR", order_id: "order-1" } });
    expect(snapchat.outcome!(200, JSON.stringify({ status: "SUCCESS" }))).toBe("ok");
    expect(snapchat.outcome!(200, JSON.stringify({ status: "FAILED", reason: "bad" }))).toBe("fail");
    expect(snapchat.outcome!(503, "")).toBe("retry");
  });
});
