// Every category of one order at one destination: the statement's kinds (reconcile.ts)
// turned into outcomes, and the routing of conversions that got no outbox row.
import { describe, expect, it } from "vitest";
import { classify, routed, withinTolerance, type Dest, type EventRow, type Facts, type RouteOf } from "@/lib/reconciliation/classify";

const meta: Dest = { id: "m", name: "Meta", platform: "meta", dedupBy: "event_id" };
const ads: Dest = { id: "g", name: "Ads", platform: "google_ads", dedupBy: "order_id" };
const tol = { absolute: 0.01, percent: 1 };

const facts = (kind: Facts["kind"], extra: Partial<Facts> = {}): Facts => ({ kind, error: null, duplicated: false, mismatch: null, eventIds: ["e1"], ...extra });
function ev(id: string, extra: Partial<EventRow> = {}): EventRow {
  return { id, orderId: "o1", environmentId: "prod", test: false, region: null, adConsent: "granted", versionNumber: 1, ...extra };
}

describe("classify", () => {
  it("delivered", () => expect(classify(facts("delivered"), meta)).toEqual({ outcome: "delivered", eventIds: ["e1"] }));
  it("duplicated and mismatch as the statement found them", () => {
    expect(classify(facts("delivered", { duplicated: true, eventIds: ["e1", "e2"] }), meta)).toEqual({ outcome: "delivered", duplicated: true, eventIds: ["e1", "e2"] });
    expect(classify(facts("delivered", { mismatch: { value: 101.5, currency: "EUR" } }), meta).mismatch).toEqual({ value: 101.5, currency: "EUR" });
  });
  it("a server copy withheld for the browser's tag counts as delivered", () => {
    expect(classify(facts("suppressed"), meta)).toMatchObject({ outcome: "delivered", eventIds: ["e1"] });
  });
  it("pending", () => expect(classify(facts("pending"), meta)).toMatchObject({ outcome: "pending", message: "waiting in the outbox" }));
  it("rejected with the platform's error", () => {
    expect(classify(facts("rejected", { error: "HTTP 400: Invalid parameter" }), meta)).toMatchObject({ outcome: "rejected", message: "HTTP 400: Invalid parameter" });
    expect(classify(facts("rejected"), meta)).toMatchObject({ outcome: "rejected", message: "the platform refused it" });
  });
  it("ignored: no click id at Google Ads, refused elsewhere", () => {
    expect(classify(facts("refused", { error: "Google Ads needs a gclid or a hashed email or phone" }), ads)).toMatchObject({ outcome: "ignored", reason: "no_click_id" });
    expect(classify(facts("refused", { error: "no identifier" }), meta)).toMatchObject({ outcome: "ignored", reason: "refused", message: "not sent: the platform would refuse it: no identifier" });
  });
  it("ignored: test environment (held rows, or only non-production copies)", () => {
    expect(classify(facts("held"), meta)).toMatchObject({ outcome: "ignored", reason: "test" });
    expect(classify(facts("test", { eventIds: ["t1"] }), meta)).toMatchObject({ outcome: "ignored", reason: "test", eventIds: ["t1"] });
  });
  it("missing: nothing arrived", () => expect(classify(facts("missing", { eventIds: [] }), meta)).toMatchObject({ outcome: "missing", eventIds: [] }));
  it("route is not decided here", () => expect(() => classify(facts("route"), meta)).toThrow(/routed/));
});

describe("routed", () => {
  const by = (routing: ReturnType<RouteOf>): RouteOf => () => routing;
  it("ignored: consent and region from the routing decision", () => {
    expect(routed([ev("e1")], meta, by({ send: "none", why: "consent" }))).toMatchObject({ outcome: "ignored", reason: "consent", eventIds: ["e1"] });
    expect(routed([ev("e1")], meta, by({ send: "none", why: "region" }))).toMatchObject({ outcome: "ignored", reason: "region" });
  });
  it("delivered when the browser's tag counted it", () => {
    expect(routed([ev("e1")], ads, by({ send: "none", why: "tag_fired" }))).toMatchObject({ outcome: "delivered" });
    expect(routed([ev("e1")], ads, by({ send: "none", why: "browser_mode" }))).toMatchObject({ outcome: "delivered" });
  });
  it("the first conversion with a decision counts", () => {
    const route: RouteOf = (e) => (e.id === "e2" ? { send: "none", why: "region" } : null);
    expect(routed([ev("e1"), ev("e2")], meta, route)).toMatchObject({ outcome: "ignored", reason: "region", eventIds: ["e1", "e2"] });
  });
  it("missing: the version live then did not send it there", () => {
    expect(routed([ev("e1")], meta, by(null))).toMatchObject({ outcome: "missing", eventIds: ["e1"] });
    expect(routed([ev("e1")], meta, by({ send: "pending" }))).toMatchObject({ outcome: "missing" });
  });
});

describe("withinTolerance", () => {
  it("the larger of ±0.01 and ±1 %", () => {
    expect(withinTolerance({ value: 0.5, currency: "EUR" }, { value: 0.51, currency: "EUR" }, tol)).toBe(true);
    expect(withinTolerance({ value: 0.5, currency: "EUR" }, { value: 0.52, currency: "EUR" }, tol)).toBe(false);
    expect(withinTolerance({ value: 1000, currency: "EUR" }, { value: 1010, currency: "eur" }, tol)).toBe(true);
    expect(withinTolerance({ value: 1000, currency: "EUR" }, { value: 1010.5, currency: "EUR" }, tol)).toBe(false);
    expect(withinTolerance({ value: 1000, currency: "EUR" }, { value: null, currency: "EUR" }, tol)).toBe(false);
  });
});
