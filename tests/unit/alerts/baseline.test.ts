// The arithmetic of the volume alerts: rolling windows from hour buckets, the two kinds of
// baseline and when each applies, the drop threshold with its recovery level, and the
// rules applied to crafted counts.
import { describe, expect, it } from "vitest";
import { HOUR, WEEK, baseline, floorHour, isDrop, windowCount, windowsNeeded, type Hours } from "@/lib/health/alerts/baseline";
import { findings, type SiteCounts } from "@/lib/health/alerts/checks";
import { ruleSet } from "@/lib/health/alerts/rules";

// 2026-12-05 14:15 UTC: a quarter of the current hour has passed.
const H = Date.UTC(2026, 11, 5, 14);
const NOW = H + 15 * 60_000;

/** `perHour` events in every hour from `fromHour` (inclusive) to `toHour` (exclusive), hours relative to H. */
function steady(perHour: number, fromHour: number, toHour: number, into: Hours = new Map()): Hours {
  for (let h = fromHour; h < toHour; h++) into.set(H + h * HOUR, (into.get(H + h * HOUR) ?? 0) + perHour);
  return into;
}

describe("windowCount", () => {
  it("takes the current hour whole (it holds only what has happened) and the previous hour in proportion", () => {
    const hours: Hours = new Map([
      [H, 30],
      [H - HOUR, 100],
    ]);
    // The last hour is [13:15, 14:15): all 30 of the current bucket, 45/60 of the previous one.
    expect(windowCount(hours, NOW, NOW)).toBeCloseTo(30 + 75);
  });

  it("cuts past hours by their overlap with the window", () => {
    const hours = steady(60, -30, 0);
    // A window ending a week back at :15 covers 45 min of one hour and 15 of the next.
    expect(windowCount(hours, NOW - 10 * HOUR, NOW)).toBeCloseTo(60);
    expect(windowCount(hours, NOW - 10 * HOUR, NOW, 3 * HOUR)).toBeCloseTo(180);
    // Nothing outside the window counts.
    expect(windowCount(new Map([[H - 3 * HOUR, 500]]), NOW, NOW)).toBe(0);
  });

  it("is exact on hour boundaries", () => {
    expect(windowCount(steady(7, -5, 0), H, NOW, 5 * HOUR)).toBe(35);
    expect(floorHour(NOW)).toBe(H);
  });
});

describe("baseline", () => {
  it("without history there is none; under six hours of it, none either", () => {
    expect(baseline(new Map(), NOW, null)).toBeNull();
    expect(baseline(steady(50, -5, 1), NOW, NOW - 5 * HOUR)).toBeNull();
  });

  it("with less than two weeks of history: the mean per hour of the 24 hours before the current hour-long window", () => {
    const hours = steady(40, -30, 1);
    const b = baseline(hours, NOW, NOW - 3 * 24 * HOUR);
    expect(b).toEqual({ kind: "trailing", perHour: 40, hours: 24 });
  });

  it("a short history counts the hours it has, not 24", () => {
    const b = baseline(steady(40, -10, 1), NOW, NOW - 10 * HOUR);
    expect(b?.kind).toBe("trailing");
    // Narrowed for the compiler (next build type-checks the tests too).
    if (b?.kind !== "trailing") return;
    expect(b.hours).toBeCloseTo(9);
    expect(b?.perHour).toBeCloseTo(40);
  });

  it("with two weeks or more: the same hour of the week, median over up to four weeks", () => {
    const hours: Hours = new Map();
    // Mondays busier than the trailing day: 200 at this hour of the week, 10 otherwise.
    steady(10, -24 * 35, 1, hours);
    for (const week of [1, 2, 3]) steady(190, -week * 168 - 1, -week * 168 + 1, hours);
    // A holiday four weeks back.
    steady(-10, -4 * 168 - 1, -4 * 168 + 1, hours);
    const b = baseline(hours, NOW, NOW - 35 * 24 * HOUR);
    expect(b).toMatchObject({ kind: "weekly", weeks: 4 });
    expect(b!.perHour).toBeCloseTo(200);
  });

  it("two weeks exactly is enough for the weekly baseline; a day less is not", () => {
    const hours = steady(30, -24 * 15, 1);
    expect(baseline(hours, NOW, NOW - 2 * WEEK)).toMatchObject({ kind: "weekly", weeks: 2, perHour: 30 });
    expect(baseline(hours, NOW, NOW - 2 * WEEK + 24 * HOUR)?.kind).toBe("trailing");
  });

  it("reads only the windows it needs: the last 25 hours, plus one per week back", () => {
    expect(windowsNeeded(NOW, NOW - 3 * 24 * HOUR)).toEqual([{ from: H - 25 * HOUR, to: H + HOUR }]);
    const weekly = windowsNeeded(NOW, NOW - 30 * 24 * HOUR);
    expect(weekly).toHaveLength(5);
    expect(weekly[1]).toEqual({ from: H - WEEK - HOUR, to: H - WEEK + HOUR });
  });
});

describe("isDrop", () => {
  const settings = { dropPercent: 50, minVolume: 20 };
  const base = { kind: "trailing" as const, perHour: 100, hours: 24 };

  it("fires below the threshold, not at it", () => {
    expect(isDrop(49, base, settings, false)).toEqual({ firing: true, threshold: 50 });
    expect(isDrop(50, base, settings, false)).toEqual({ firing: false, threshold: 50 });
  });

  it("closes only once halfway back to the baseline", () => {
    expect(isDrop(60, base, settings, true)?.firing).toBe(true);
    expect(isDrop(75, base, settings, true)?.firing).toBe(false);
  });

  it("a baseline under the minimum volume never alerts", () => {
    expect(isDrop(0, { ...base, perHour: 19 }, settings, false)).toBeNull();
    expect(isDrop(0, null, settings, false)).toBeNull();
  });
});

describe("findings", () => {
  const rules = ruleSet([]);
  const counts = (events: SiteCounts["events"], extra: Partial<SiteCounts> = {}): SiteCounts => ({
    now: NOW,
    firstSeen: NOW - 3 * 24 * HOUR,
    events,
    deliveries: [],
    waiting: [],
    silentReasons: new Map(),
    destinations: new Map([["d1", "Meta"]]),
    ...extra,
  });
  const hourly = (event: string, perHour: number, fromHour: number, toHour: number, source: "browser" | "server" | "both" = "browser", rejected = 0) =>
    Array.from({ length: toHour - fromHour }, (_, i) => ({
      hour: H + (fromHour + i) * HOUR,
      event,
      received: perHour + rejected,
      accepted: perHour,
      rejected,
      browser: source === "browser" ? perHour : 0,
      server: source === "server" ? perHour : 0,
      both: source === "both" ? perHour : 0,
    }));

  it("an event that stopped while others go on is one volume drop; a quiet one is none", () => {
    const events = [...hourly("purchase", 60, -30, -1), ...hourly("sign_up", 60, -30, 1), ...hourly("lead", 3, -30, -1)];
    const found = findings(counts(events), rules, new Set());
    expect(found.filter((f) => f.kind === "volume_drop").map((f) => f.subject)).toEqual(["event:purchase"]);
    const drop = found.find((f) => f.kind === "volume_drop")!;
    // The trailing day [12:15 yesterday, 13:15) holds 23¾ hours of 60 (purchases stopped at 13:00): 59.4 per hour.
    expect(drop.details).toMatchObject({ value: 0, baseline: 59.4, threshold: 29.7, baselineKind: "trailing" });
    expect(drop.message).toBe("purchase: 0 accepted in the last hour against a usual 59.4 (the last 24 hours); the alert is below 29.7");
  });

  it("went silent: active in the 24 hours before, nothing in the hours the last `minutes` touch", () => {
    const found = findings(counts([...hourly("purchase", 10, -30, -1), ...hourly("lead", 2, -30, -1)]), rules, new Set());
    expect(found.filter((f) => f.kind === "event_silent").map((f) => f.subject)).toEqual(["event:purchase"]);
  });

  it("rejection rate over the last hour, above the minimum volume only", () => {
    const found = findings(counts([...hourly("purchase", 80, -30, 1, "browser", 20), ...hourly("lead", 5, -30, 1, "browser", 5)]), rules, new Set());
    const rejection = found.filter((f) => f.kind === "rejection_rate");
    expect(rejection.map((f) => f.subject)).toEqual(["event:purchase"]);
    expect(rejection[0].details.value).toBe(20);
  });

  it("deduplication coverage: only for events a backend sends too, with hysteresis while open", () => {
    const mixed = [...hourly("purchase", 4, -24, 1, "both"), ...hourly("purchase", 6, -24, 1, "browser"), ...hourly("view", 50, -24, 1, "browser")];
    const found = findings(counts(mixed), rules, new Set());
    expect(found.filter((f) => f.kind === "dedup_coverage").map((f) => [f.subject, f.details.value])).toEqual([["event:purchase", 40]]);
    // 52% is above the 50% threshold, but an open incident closes only at 55%.
    const better = [...hourly("purchase", 13, -24, 1, "both"), ...hourly("purchase", 12, -24, 1, "browser")];
    expect(findings(counts(better), rules, new Set()).some((f) => f.kind === "dedup_coverage")).toBe(false);
    expect(findings(counts(better), rules, new Set(["dedup_coverage|event:purchase"])).some((f) => f.kind === "dedup_coverage")).toBe(true);
  });

  it("failure rate, silent drops and test-only production traffic per destination", () => {
    const deliveries = [
      { hour: H, event: "purchase", destinationId: "d1", delivered: 10, failed: 10, silent: 2, production: 20, productionTest: 0 },
      { hour: H, event: "purchase", destinationId: "d2", delivered: 30, failed: 0, silent: 0, production: 30, productionTest: 30 },
    ];
    const found = findings(counts([], { deliveries, silentReasons: new Map([["d1", "code 40002: invalid"]]) }), rules, new Set());
    expect(found.map((f) => `${f.kind} ${f.subject}`).sort()).toEqual(["failure_rate destination:d1", "silent_drop destination:d1", "test_only destination:d2"]);
    expect(found.find((f) => f.kind === "silent_drop")!.message).toBe("Meta: the platform answered 2xx but dropped 2 events in the last hour: code 40002: invalid");
  });

  it("a disabled rule finds nothing", () => {
    const off = ruleSet([{ kind: "volume_drop", enabled: false, settings: {} }, { kind: "event_silent", enabled: false, settings: {} }]);
    expect(findings(counts(hourly("purchase", 60, -30, -1)), off, new Set())).toEqual([]);
  });

  it("a site's thresholds override the defaults; a stored value that no longer validates falls back", () => {
    const set = ruleSet([{ kind: "volume_drop", enabled: true, settings: { minVolume: 100, dropPercent: 500 } }]);
    expect(set.volume_drop.settings).toEqual({ dropPercent: 50, minVolume: 20 });
    expect(ruleSet([{ kind: "volume_drop", enabled: true, settings: { minVolume: 100 } }]).volume_drop.settings).toEqual({ dropPercent: 50, minVolume: 100 });
    expect(set.backlog).toEqual({ kind: "backlog", enabled: true, settings: { minutes: 15 }, custom: false });
  });
});
