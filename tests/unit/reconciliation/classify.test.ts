// Every category of one order at one destination, on crafted rows.
import { describe, expect, it } from "vitest";
import { classify, withinTolerance, type DeliveryRow, type Dest, type EventRow, type OrderRow, type RouteOf } from "@/lib/reconciliation/classify";

const order: OrderRow = { orderId: "o1", placedMs: 0, value: 100, currency: "EUR", status: "paid", channel: null };
const meta: Dest = { id: "m", name: "Meta", platform: "meta", dedupBy: "event_id" };
const ads: Dest = { id: "g", name: "Ads", platform: "google_ads", dedupBy: "order_id" };
const tol = { absolute: 0.01, percent: 1 };
const sendAll: RouteOf = () => ({ send: "pending" });

function ev(id: string, extra: Partial<EventRow> = {}): EventRow {
  return { id, orderId: "o1", environmentId: "prod", production: true, test: false, region: null, adConsent: "granted", versionNumber: 1, value: 100, currency: "EUR", receivedMs: 1, ...extra };
}
function dl(eventId: string, destinationId: string, status: string, extra: Partial<DeliveryRow> = {}): DeliveryRow {
  return { eventId, destinationId, status, lastError: null, lastOutcome: null, ...extra };
}
const map = (...rows: DeliveryRow[]) => {
  const m = new Map<string, DeliveryRow[]>();
  for (const r of rows) m.set(r.eventId, [...(m.get(r.eventId) ?? []), r]);
  return m;
};

describe("classify", () => {
  it("delivered", () => expect(classify(order, [ev("e1")], map(dl("e1", "m", "delivered")), meta, sendAll, tol)).toEqual({ outcome: "delivered", eventIds: ["e1"] }));
  it("duplicated where the platform merges by event_id, not where it merges by order id", () => {
    const rows = map(dl("e1", "m", "delivered"), dl("e2", "m", "delivered"), dl("e1", "g", "delivered"), dl("e2", "g", "delivered"));
    expect(classify(order, [ev("e1"), ev("e2")], rows, meta, sendAll, tol).duplicated).toBe(true);
    expect(classify(order, [ev("e1"), ev("e2")], rows, ads, sendAll, tol).duplicated).toBeUndefined();
  });
  it("value and currency mismatch beyond the tolerance", () => {
    expect(classify(order, [ev("e1", { value: 100.99 })], map(dl("e1", "m", "delivered")), meta, sendAll, tol).mismatch).toBeUndefined();
    expect(classify(order, [ev("e1", { value: 101.5 })], map(dl("e1", "m", "delivered")), meta, sendAll, tol).mismatch).toEqual({ value: 101.5, currency: "EUR" });
    expect(classify(order, [ev("e1", { currency: "USD" })], map(dl("e1", "m", "delivered")), meta, sendAll, tol).mismatch).toEqual({ value: 100, currency: "USD" });
  });
  it("tolerance: the larger of ±0.01 and ±1 %", () => {
    expect(withinTolerance({ value: 0.5, currency: "EUR" }, { value: 0.51, currency: "EUR" }, tol)).toBe(true);
    expect(withinTolerance({ value: 0.5, currency: "EUR" }, { value: 0.52, currency: "EUR" }, tol)).toBe(false);
    expect(withinTolerance({ value: 1000, currency: "EUR" }, { value: 1010, currency: "eur" }, tol)).toBe(true);
    expect(withinTolerance({ value: 1000, currency: "EUR" }, { value: 1010.5, currency: "EUR" }, tol)).toBe(false);
    expect(withinTolerance({ value: 1000, currency: "EUR" }, { value: null, currency: "EUR" }, tol)).toBe(false);
  });
  it("pending beats rejected", () => {
    expect(classify(order, [ev("e1"), ev("e2")], map(dl("e1", "m", "dead", { lastError: "400" }), dl("e2", "m", "pending")), meta, sendAll, tol).outcome).toBe("pending");
  });
  it("rejected with the platform's error", () => {
    expect(classify(order, [ev("e1")], map(dl("e1", "m", "dead", { lastError: "HTTP 400: Invalid parameter", lastOutcome: "fail" })), meta, sendAll, tol)).toMatchObject({ outcome: "rejected", message: "HTTP 400: Invalid parameter" });
  });
  it("ignored: no click id at Google Ads, refused elsewhere", () => {
    const refused = (msg: string) => map(dl("e1", "g", "dead", { lastError: msg, lastOutcome: "refused" }), dl("e1", "m", "dead", { lastError: msg, lastOutcome: "refused" }));
    expect(classify(order, [ev("e1")], refused("Google Ads needs a gclid or a hashed email or phone"), ads, sendAll, tol)).toMatchObject({ outcome: "ignored", reason: "no_click_id" });
    expect(classify(order, [ev("e1")], refused("no identifier"), meta, sendAll, tol)).toMatchObject({ outcome: "ignored", reason: "refused" });
  });
  it("ignored: consent and region from the routing decision", () => {
    expect(classify(order, [ev("e1")], map(), meta, () => ({ send: "none", why: "consent" }), tol)).toMatchObject({ outcome: "ignored", reason: "consent" });
    expect(classify(order, [ev("e1")], map(), meta, () => ({ send: "none", why: "region" }), tol)).toMatchObject({ outcome: "ignored", reason: "region" });
  });
  it("ignored: test environment (held rows, or only non-production copies)", () => {
    expect(classify(order, [ev("e1")], map(dl("e1", "m", "held")), meta, sendAll, tol)).toMatchObject({ outcome: "ignored", reason: "test" });
    expect(classify(order, [ev("t1", { production: false, test: true })], map(), meta, sendAll, tol)).toMatchObject({ outcome: "ignored", reason: "test", eventIds: ["t1"] });
  });
  it("missing: nothing arrived, or the version did not send it there", () => {
    expect(classify(order, [], map(), meta, sendAll, tol)).toMatchObject({ outcome: "missing", eventIds: [] });
    expect(classify(order, [ev("e1")], map(), meta, () => null, tol)).toMatchObject({ outcome: "missing", eventIds: ["e1"] });
  });
});
