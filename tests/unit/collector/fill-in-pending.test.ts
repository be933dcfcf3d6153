// Fill-in (GA4, Google Ads): a browser event whose Google tag was still loading when its
// batch left says so (`pending`); its server copy waits for the runtime's follow-up report
// (TAGPIPE_FILL_IN_PENDING_MS) instead of the short forward delay. The follow-up's shape,
// and the union of two copies' `fired` lists (a later copy adds, never replaces).
import { describe, expect, test } from "vitest";
import { intakeFromSnapshot } from "../../../lib/collector/intake-config";
import { prepareEvent, type RequestContext } from "../../../lib/collector/prepare";
import { browserBatch, unchecked, type CollectedEventInput } from "../../../lib/collector/schema";
import { unionFired } from "../../../lib/collector/writer";
import { validSnapshot } from "../../fixtures/snapshot";

const NOW = Date.parse("2026-06-15T12:00:00Z");
const ctx: RequestContext = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 Test", now: NOW };
const env = { id: "env-p", name: "production", teamId: "t1", kind: "production", siteId: "s1", hostnames: ["shop.example.com"] };
const config = intakeFromSnapshot(env, { number: 3, snapshot: validSnapshot() });
// The fixture's GA4 destination (G-ABC123, EU only) and Meta (which merges copies itself).
const purchase = (extra: Partial<CollectedEventInput> = {}): CollectedEventInput => ({
  event_id: "evt-1",
  name: "purchase",
  params: { value: 10, currency: "EUR", order_id: "o-1" },
  consent: { ad_storage: "granted" },
  region: "eu",
  ...extra,
});
const delays = (input: CollectedEventInput, source: "browser" | "server" = "browser") =>
  Object.fromEntries(prepareEvent(input, source, config, ctx, "id-1", 2_000, 300_000, 30_000).deliveries.map((d) => [d.platform, d.delayMs]));

describe("a pending Google tag", () => {
  test("its fill-in server copy waits the pending wait; other platforms keep the forward delay", () => {
    expect(delays(purchase())).toEqual({ meta: 2_000, ga4: 2_000 });
    expect(delays(purchase({ pending: ["G-ABC123"] }))).toEqual({ meta: 2_000, ga4: 30_000 });
    // Another tag's pending does not hold this destination.
    expect(delays(purchase({ pending: ["G-OTHER"] }))).toEqual({ meta: 2_000, ga4: 2_000 });
    // A server event is not the browser's report: the fill-in wait as before.
    expect(delays(purchase({ pending: ["G-ABC123"] }), "server")).toEqual({ meta: 0, ga4: 300_000 });
  });

  test("the prepared event carries the pending wait for a merge into a stored server copy", () => {
    expect(prepareEvent(purchase({ pending: ["G-ABC123"] }), "browser", config, ctx, "id-1", 2_000, 300_000, 30_000).pendingMs).toBe(30_000);
    expect(prepareEvent(purchase(), "browser", config, ctx, "id-1", 2_000, 300_000, 30_000).pendingMs).toBe(0);
    expect(prepareEvent(purchase({ pending: ["G-ABC123"] }), "server", config, ctx, "id-1", 2_000, 300_000, 30_000).pendingMs).toBe(0);
  });

  test("a tag reported as fired still has no server copy at all", () => {
    expect(delays(purchase({ fired: ["G-ABC123"] }))).toEqual({ meta: 2_000 });
  });
});

describe("the follow-up report's shape", () => {
  const judge = (body: unknown) => {
    for (const schema of [browserBatch, unchecked.browserBatch]) {
      const r = schema.safeParse(body);
      if (!r.success) return r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    }
    return "ok";
  };

  test("reports alone, or with events; fired defaults to none", () => {
    expect(judge({ key: "k", reports: [{ event_id: "e1", name: "purchase", fired: ["G-1"] }] })).toBe("ok");
    expect(judge({ key: "k", events: [purchase()], reports: [{ event_id: "e1", name: "purchase" }] })).toBe("ok");
    expect(browserBatch.parse({ key: "k", reports: [{ event_id: "e1", name: "purchase" }] })).toMatchObject({ events: [], reports: [{ fired: [] }] });
  });

  test("bad reports are refused, naming the field", () => {
    expect(judge({ key: "k", reports: [{ event_id: "", name: "purchase" }] })).toBe("reports.0.event_id: is required");
    expect(judge({ key: "k", reports: [{ event_id: "e1", name: "Purchase!" }] })).toMatch(/^reports\.0\.name: /);
    expect(judge({ key: "k", reports: [{ event_id: "e1", name: "purchase", fired: "G-1" }] })).toMatch(/^reports\.0\.fired: /);
    // A report carries nothing else: no user data, no parameters.
    expect(judge({ key: "k", reports: [{ event_id: "e1", name: "purchase", user_data: { email: "a@b.c" } }] })).toMatch(/^reports\.0: /);
    expect(judge({ key: "k", reports: Array.from({ length: 101 }, (_, i) => ({ event_id: `e${i}`, name: "purchase" })) })).toBe("reports: at most 100 reports per request");
    expect(judge({ key: "k", events: [purchase({ pending: "G-1" as unknown as string[] })] })).toMatch(/^events\.0\.pending: /);
  });
});

test("two copies' fired lists are joined, the stored one's order first", () => {
  expect(unionFired(["G-1"], ["AW-1/x", "G-1"])).toEqual(["G-1", "AW-1/x"]);
  expect(unionFired(undefined, ["G-1"])).toEqual(["G-1"]);
  expect(unionFired(["G-1"], [])).toEqual(["G-1"]);
  expect(unionFired(undefined, undefined)).toBeUndefined();
});
