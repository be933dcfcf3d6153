// The event stream's pure parts: badges and the reasons for "not sent", the outbox id range
// of a millisecond, an event's part of a batch body, secrets kept out of the request log,
// and the Install page's data-layer examples.
import { describe, expect, test } from "vitest";
import { badgesFor, type DeliveryRow, type VersionView } from "../../lib/stream/badges";
import { deliveryIdRange, eventPart } from "../../lib/stream/events";
import { withoutSecrets } from "../../lib/forwarder/worker";
import { eventExamples, setPath } from "../../lib/stream/install";
import { uuidv7 } from "../../lib/collector/ids";
import type { IntakeDestination } from "../../lib/collector/intake-config";
import type { Snapshot } from "../../lib/versions/snapshot";

const destination = (id: string, platform: string, extra: Partial<IntakeDestination> = {}): IntakeDestination => ({
  id,
  platform,
  eventIds: new Set(["ev-purchase"]),
  eventNames: new Map(),
  ids: {},
  regions: null,
  nonProduction: "test",
  mode: "both",
  ...extra,
});

const version = (...destinations: IntakeDestination[]): VersionView => ({
  config: {
    environmentId: "env",
    environmentName: "production",
    teamId: "team",
    siteId: "site",
    kind: "production",
    production: true,
    versionNumber: 1,
    hostnames: [],
    regions: [],
    events: new Map([["purchase", { id: "ev-purchase", required: [], types: {} }]]),
    destinations,
  },
  names: new Map(destinations.map((d) => [d.id, d.platform.toUpperCase()])),
});

const row = (destinationId: string, platform: string, status: string, extra: Partial<DeliveryRow> = {}): DeliveryRow => ({ id: `d-${destinationId}`, destinationId, platform, status, attempts: 0, lastError: null, last: null, ...extra });
const event = { status: "accepted", name: "purchase", region: "eu", consent: { ad_storage: "granted" }, test: false };

describe("badges", () => {
  test("a row's status, with retrying for a pending row that failed before", () => {
    const v = version(destination("m", "meta"), destination("t", "tiktok"), destination("g", "ga4"), destination("w", "webhook"));
    const badges = badgesFor(event, v, [row("m", "meta", "delivered"), row("t", "tiktok", "pending", { attempts: 2, lastError: "HTTP 503" }), row("g", "ga4", "pending"), row("w", "webhook", "dead", { lastError: "HTTP 400: bad" })]);
    expect(badges.map((b) => [b.platform, b.badge, b.message])).toEqual([
      ["ga4", "pending", undefined],
      ["meta", "delivered", undefined],
      ["tiktok", "retrying", "HTTP 503"],
      ["webhook", "dead", "HTTP 400: bad"],
    ]);
  });

  test("no row: the reason the collector had (consent, region, browser only)", () => {
    const v = version(destination("m", "meta"), destination("w", "webhook", { regions: ["us"] }), destination("p", "image_pixel"));
    const denied = badgesFor({ ...event, consent: { ad_storage: "denied" } }, v, []);
    expect(denied.map((b) => [b.platform, b.badge, b.reason])).toEqual([
      ["image_pixel", "not_sent", "browser_only"],
      ["meta", "not_sent", "consent"],
      ["webhook", "not_sent", "region"],
    ]);
    // A destination that does not take the event gets no badge at all.
    expect(badgesFor({ ...event, name: "sign_up" }, v, [])).toEqual([]);
    // Rejected events are never forwarded: no reasons to give.
    expect(badgesFor({ ...event, status: "rejected" }, v, [])).toEqual([]);
  });

  test("held rows: held by the destination's choice, or not sent for want of a test code", () => {
    const v = version(destination("m", "meta"), destination("g", "ga4", { nonProduction: "hold" }), destination("t", "tiktok", { testEventCode: "T1" }));
    const badges = badgesFor({ ...event, test: true }, v, [row("m", "meta", "held"), row("g", "ga4", "held"), row("t", "tiktok", "pending")]);
    expect(badges.map((b) => [b.platform, b.badge, b.reason])).toEqual([
      ["ga4", "held", undefined],
      ["meta", "not_sent", "test_without_code"],
      ["tiktok", "pending", undefined],
    ]);
  });

  test("a dead letter the platform would have refused says so", () => {
    const v = version(destination("m", "meta"));
    const [b] = badgesFor(event, v, [row("m", "meta", "dead", { last: { outcome: "refused" }, lastError: "no identifier" })]);
    expect(b).toMatchObject({ badge: "not_sent", reason: "refused" });
    expect(b.message).toContain("no identifier");
  });
});

test("the outbox ids of a millisecond fall in its range, and no other millisecond's do", () => {
  const ms = Date.UTC(2026, 11, 5, 12, 0, 0, 123);
  const [lo, hi] = deliveryIdRange(ms);
  for (let i = 0; i < 200; i++) {
    const id = uuidv7(ms);
    expect(id >= lo && id < hi, id).toBe(true);
  }
  for (const other of [ms - 1, ms + 1]) {
    const id = uuidv7(other);
    expect(id >= lo && id < hi, id).toBe(false);
  }
});

test("an event's part of a batch body is the element at its index of the batch's list", () => {
  const body = JSON.stringify({ data: [{ event_id: "a" }, { event_id: "b" }], access_token: "x", partner: ["p"] });
  expect(eventPart(body, 1, 2)).toEqual({ event_id: "b" });
  expect(eventPart(body, 0, 1)).toEqual("p");
  expect(eventPart("not json", 0, 1)).toBeNull();
  expect(eventPart(body, undefined, 2)).toBeNull();
});

test("the request log keeps no secret, as is or JSON-escaped", () => {
  const secrets = { accessToken: 'EAAB"tok\\en', apiSecret: "ga4-secret", short: "ab" };
  const body = JSON.stringify({ access_token: secrets.accessToken, note: "ga4-secret twice: ga4-secret", ab: "ab" });
  const logged = withoutSecrets(body, secrets);
  expect(logged).not.toContain("EAAB");
  expect(logged).not.toContain("ga4-secret");
  expect(JSON.parse(logged)).toEqual({ access_token: "[secret]", note: "[secret] twice: [secret]", ab: "ab" });
});

describe("install examples", () => {
  test("setPath builds objects and one-element lists", () => {
    const target: Record<string, unknown> = {};
    setPath(target, "ecommerce.value", 5);
    setPath(target, "ecommerce.items[].item_id", "sku-1");
    setPath(target, "ecommerce.items[].price", 2);
    setPath(target, "ecommerce.ids[]", "x");
    expect(target).toEqual({ ecommerce: { value: 5, items: [{ item_id: "sku-1", price: 2 }], ids: ["x"] } });
  });

  test("each enabled event: the data-layer push its trigger waits for, with its mapped paths; else tagpipe('track')", () => {
    const snapshot = {
      site: { defaultCurrency: "SEK" },
      planEvents: [
        { id: "p1", name: "purchase", parameters: [{ name: "value", type: "number", required: true }], platformNames: {} },
        { id: "p2", name: "sign_up", parameters: [{ name: "method", type: "string", required: false }], platformNames: {} },
      ],
      events: [
        { id: "e1", name: "purchase", planEventId: "p1", triggerIds: ["t1"], mappings: { value: "v1", currency: "v2", order_id: "v3", method: "v4" }, enabled: true },
        { id: "e2", name: "sign_up", planEventId: "p2", triggerIds: [], mappings: { method: "v4" }, enabled: true },
        { id: "e3", name: "lead", planEventId: "p2", triggerIds: [], mappings: {}, enabled: false },
      ],
      triggers: [{ id: "t1", type: "data_layer_event", eventName: "checkout_done", conditions: [], blockingTriggerIds: [] }],
      variables: [
        { id: "v1", kind: "data_layer", path: "ecommerce.value" },
        { id: "v2", kind: "data_layer", path: "ecommerce.currency" },
        { id: "v3", kind: "data_layer", path: "ecommerce.transaction_id" },
        { id: "v4", kind: "cookie", name: "m" },
      ],
      destinations: [],
    } as unknown as Snapshot;
    const [purchase, signUp] = eventExamples(snapshot);
    expect(purchase.how).toBe("data_layer");
    expect(JSON.parse(purchase.code.replace(/^dataLayer\.push\(/, "").replace(/\);$/, ""))).toEqual({ event: "checkout_done", ecommerce: { value: 59.9, currency: "SEK", transaction_id: "1001" } });
    expect(purchase.unmapped).toEqual(["method"]);
    expect(signUp).toMatchObject({ event: "sign_up", how: "track" });
    expect(signUp.code).toContain('tagpipe("track", "sign_up"');
    expect(eventExamples(snapshot)).toHaveLength(2);
  });
});
