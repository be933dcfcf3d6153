// The order_accuracy rule on crafted figures: below the threshold with enough orders it
// fires once per destination; at the threshold, with too few orders, or switched off, never.
import { describe, expect, it } from "vitest";
import { findings, type SiteCounts } from "@/lib/health/alerts/checks";
import { ruleSet } from "@/lib/health/alerts/rules";

const NOW = Date.UTC(2026, 11, 5, 12, 30);
const counts = (orderAccuracy: SiteCounts["orderAccuracy"]): SiteCounts => ({
  now: NOW,
  firstSeen: null,
  events: [],
  deliveries: [],
  waiting: [],
  silentReasons: new Map(),
  destinations: new Map([
    ["m", "Meta"],
    ["t", "TikTok"],
  ]),
  orderAccuracy,
});

describe("order_accuracy", () => {
  const rules = ruleSet([]);
  it("fires for a destination below 90 % of at least 10 orders, counting deliberate skips as accurate", () => {
    const found = findings(
      counts([
        { destinationId: "m", orders: 20, delivered: 15, ignored: 2 },
        { destinationId: "t", orders: 20, delivered: 10, ignored: 8 },
      ]),
      rules,
      new Set(),
    );
    expect(found).toEqual([
      expect.objectContaining({ kind: "order_accuracy", subject: "destination:m", label: "Meta", details: expect.objectContaining({ value: 85, threshold: 90, orders: 20 }) }),
    ]);
    expect(found[0].message).toBe("Meta: 85% of the 20 orders of the last 2 hours reached it or were deliberately not sent (threshold 90%)");
  });
  it("stays quiet with too few orders, and when switched off", () => {
    expect(findings(counts([{ destinationId: "m", orders: 9, delivered: 0, ignored: 0 }]), rules, new Set())).toEqual([]);
    const off = ruleSet([{ kind: "order_accuracy", enabled: false, settings: {} }]);
    expect(findings(counts([{ destinationId: "m", orders: 50, delivered: 0, ignored: 0 }]), off, new Set())).toEqual([]);
  });
  it("takes a site's own threshold and window", () => {
    const strict = ruleSet([{ kind: "order_accuracy", enabled: true, settings: { percent: 99, minOrders: 5, hours: 6 } }]);
    const found = findings(counts([{ destinationId: "t", orders: 100, delivered: 98, ignored: 0 }]), strict, new Set());
    expect(found.map((f) => f.message)).toEqual(["TikTok: 98% of the 100 orders of the last 6 hours reached it or were deliberately not sent (threshold 99%)"]);
  });
});
