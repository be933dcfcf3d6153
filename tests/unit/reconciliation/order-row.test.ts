// The one rule for an incoming order (CSV row or API item): dates, numbers, statuses,
// currencies, and the hashing of email and phone with the collector's normalization.
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { normalizeOrder, parseOrderDate } from "@/lib/reconciliation/order-row";

const sha = (v: string) => createHash("sha256").update(v).digest("hex");

describe("parseOrderDate", () => {
  it.each([
    ["2026-12-05", "2026-12-05T00:00:00.000Z"],
    ["2026-12-05T14:30:00Z", "2026-12-05T14:30:00.000Z"],
    ["2026-12-05 14:30", "2026-12-05T14:30:00.000Z"],
    ["2026-12-05T14:30:00.250+02:00", "2026-12-05T12:30:00.250Z"],
    ["2026-12-05T01:00:00-0130", "2026-12-05T02:30:00.000Z"],
  ])("%s → %s", (text, iso) => expect(parseOrderDate(text)?.toISOString()).toBe(iso));
  it.each(["05/12/2026", "2026-02-30", "2026-13-01", "yesterday", "2026-12-05T25:00:00Z", ""])("refuses %s", (text) => expect(parseOrderDate(text)).toBeNull());
});

describe("normalizeOrder", () => {
  it("normalizes and hashes, never keeping the raw email or phone", () => {
    const r = normalizeOrder({ order_id: " 1001 ", created_at: "2026-12-05", value: "49.9", currency: "eur", status: "Completed", email: " Ada@Example.COM ", phone: "+44 20 7946 0958", channel: "web" }, "USD");
    expect(r).toEqual({
      ok: true,
      order: { orderId: "1001", placedAt: new Date("2026-12-05T00:00:00Z"), value: "49.9", currency: "EUR", status: "paid", emailHash: sha("ada@example.com"), phoneHash: sha("442079460958"), channel: "web" },
    });
  });
  it("takes the site's currency and paid when the row has none", () => {
    const r = normalizeOrder({ order_id: 7, created_at: "2026-12-05", value: 3 }, "SEK");
    expect(r.ok && r.order).toMatchObject({ orderId: "7", currency: "SEK", status: "paid", value: "3", emailHash: null });
  });
  it.each([
    ["canceled", "cancelled"],
    ["Partially refunded", "refunded"],
    ["voided", "cancelled"],
  ])("status %s → %s", (status, expected) => {
    const r = normalizeOrder({ order_id: "x", created_at: "2026-12-05", value: "1", status }, "EUR");
    expect(r.ok && r.order.status).toBe(expected);
  });
  it("names every problem by column", () => {
    const r = normalizeOrder({ order_id: "", created_at: "12/05/2026", value: "1,5", currency: "XX", status: "lost" }, "EUR");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.column)).toEqual(["order_id", "created_at", "value", "currency", "status"]);
  });
  it("refuses negative values and overlong ids", () => {
    expect(normalizeOrder({ order_id: "a".repeat(201), created_at: "2026-12-05", value: "-2" }, "EUR")).toMatchObject({ ok: false, problems: [{ column: "order_id" }, { column: "value" }] });
  });
});
