// The forwarder's pure parts (lib/forwarder/worker.ts): the retry backoff and how
// claimed outbox rows are grouped into requests.
import { describe, expect, test } from "vitest";
import { sha256 } from "../../../lib/collector/hash";
import { backoffMs, batches, perEvent } from "../../../lib/forwarder/worker";

type Row = Parameters<typeof batches>[0][number];

let n = 0;
function row(platform: string, extra: Partial<Row> = {}): Row {
  n += 1;
  return {
    id: `delivery-${n}`,
    teamId: "team-1",
    destinationId: `dest-${platform}`,
    platform,
    eventName: "Purchase",
    target: { ids: {}, test: false },
    attempts: 1,
    firstAttemptAt: null,
    name: "purchase",
    eventId: `evt-${n}`,
    orderId: `order-${n}`,
    params: { value: 1, currency: "EUR" },
    userData: { em: sha256(`buyer${n}@example.com`) },
    context: {},
    eventTime: new Date(Date.now() - 60_000),
    source: "server",
    ...extra,
  };
}

describe("backoffMs", () => {
  const range = (attempts: number, retryAfter?: string | null) => {
    const samples = Array.from({ length: 400 }, () => backoffMs(attempts, retryAfter));
    return [Math.min(...samples), Math.max(...samples)];
  };

  test("2^(n-1) seconds with ±50 % jitter", () => {
    const [min1, max1] = range(1);
    expect(min1).toBeGreaterThanOrEqual(500);
    expect(max1).toBeLessThanOrEqual(1500);
    expect(max1 - min1).toBeGreaterThan(500); // jittered, not constant
    const [min4, max4] = range(4);
    expect(min4).toBeGreaterThanOrEqual(4000);
    expect(max4).toBeLessThanOrEqual(12_000);
  });

  test("capped at one hour before jitter", () => {
    const [min, max] = range(40);
    expect(min).toBeGreaterThanOrEqual(1_800_000);
    expect(max).toBeLessThanOrEqual(5_400_000);
  });

  test("Retry-After wins when it asks for longer: seconds or an HTTP date", () => {
    expect(range(1, "30")[0]).toBeGreaterThanOrEqual(30_000);
    const date = new Date(Date.now() + 120_000).toUTCString();
    expect(range(1, date)[0]).toBeGreaterThan(110_000);
    // A shorter hint does not shorten the backoff; nonsense is ignored.
    expect(range(4, "1")[0]).toBeGreaterThanOrEqual(4000);
    expect(range(1, "soon")[1]).toBeLessThanOrEqual(1500);
    expect(range(1, null)[1]).toBeLessThanOrEqual(1500);
  });
});

describe("batches", () => {
  test("one request per destination and test flag, within the platform's limit", () => {
    const rows = [
      ...Array.from({ length: 1500 }, () => row("meta")),
      ...Array.from({ length: 3 }, () => row("meta", { target: { ids: {}, test: true, testEventCode: "T" } })),
      ...Array.from({ length: 2 }, () => row("meta", { destinationId: "dest-meta-2" })),
      ...Array.from({ length: 600 }, () => row("webhook")),
    ];
    const { groups, refused } = batches(rows);
    expect(refused).toEqual([]);
    const shape = groups.map((g) => `${g.destinationId}:${g.jobs[0].target.test}:${g.jobs.length}`).sort();
    expect(shape).toEqual(["dest-meta-2:false:2", "dest-meta:false:1000", "dest-meta:false:500", "dest-meta:true:3", "dest-webhook:false:100", "dest-webhook:false:500"].sort());
    // Every row is in exactly one request.
    const ids = groups.flatMap((g) => g.jobs.map((j) => j.deliveryId));
    expect(ids).toHaveLength(rows.length);
    expect(new Set(ids).size).toBe(rows.length);
  });

  test("GA4: at most 25 events per request, and one client per request", () => {
    const sameVisitor = { em: sha256("same@example.com") };
    // Recent events: GA4 takes none older than 72 hours.
    const recent = { eventTime: new Date(Date.now() - 60_000) };
    const rows = [...Array.from({ length: 60 }, () => row("ga4", { userData: sameVisitor, ...recent })), row("ga4", recent), row("ga4", recent)];
    const { groups } = batches(rows);
    expect(groups.map((g) => g.jobs.length).sort((a, b) => b - a)).toEqual([25, 25, 10, 1, 1]);
    for (const g of groups) expect(new Set(g.jobs.map((j) => j.event.userData.em)).size).toBe(1);
  });

  test("rows carry the event as the adapter needs it", () => {
    // The row's time comes from the database as text.
    const r = row("tiktok", { eventName: "CompletePayment", eventTime: new Date(Date.now() - 3600_000).toISOString() as unknown as Date });
    const [group] = batches([r]).groups;
    expect(group.jobs[0]).toMatchObject({ deliveryId: r.id, destinationId: r.destinationId, eventName: "CompletePayment", event: { eventId: r.eventId, orderId: r.orderId } });
    expect(group.jobs[0].event.eventTime).toBeInstanceOf(Date);
  });

  test("what no request can carry is refused with the reason, not left claimed", () => {
    const pixel = row("image_pixel");
    const anonymous = row("meta", { userData: {} });
    const noGclid = row("google_ads", { userData: { fbp: "fb.1.1.1" } });
    const fine = row("meta");
    const { groups, refused } = batches([pixel, anonymous, noGclid, fine]);
    expect(groups.flatMap((g) => g.jobs.map((j) => j.deliveryId))).toEqual([fine.id]);
    expect(refused).toEqual([
      { id: pixel.id, reason: "no server-side delivery for the platform image_pixel" },
      { id: anonymous.id, reason: expect.stringMatching(/customer information parameter/) },
      { id: noGclid.id, reason: expect.stringMatching(/gclid/) },
    ]);
  });
});

describe("perEvent (a request accepted with some events refused)", () => {
  test("the accepted events are delivered as one; the refused ones keep their reason, grouped so a retry is one batch", () => {
    const results = perEvent(
      ["a", "b", "c", "d", "e"],
      [{ outcome: "ok" }, { outcome: "fail", reason: "bad gclid" }, { outcome: "retry", reason: "transient" }, { outcome: "ok" }, { outcome: "retry", reason: "transient" }],
      200,
      '{"partialFailureError":{}}',
    );
    expect(results).toEqual([
      { ids: ["a", "d"], outcome: "ok", status: 200, response: '{"partialFailureError":{}}', retryAfter: null },
      { ids: ["b"], outcome: "fail", status: 200, response: "bad gclid", retryAfter: null },
      { ids: ["c", "e"], outcome: "retry", status: 200, response: "transient", retryAfter: null },
    ]);
  });

  test("a retry hint travels with its events; events without a verdict are never counted as delivered", () => {
    const results = perEvent(["a", "b", "c"], [{ outcome: "retry", reason: "too recent", retryAfter: "21600" }, { outcome: "ok" }], 200, "{}");
    expect(results).toContainEqual({ ids: ["a"], outcome: "retry", status: 200, response: "too recent", retryAfter: "21600" });
    expect(results).toContainEqual({ ids: ["c"], outcome: "fail", status: 200, response: "the platform's answer did not cover this event", retryAfter: null });
    expect(results.find((r) => r.outcome === "ok")!.ids).toEqual(["b"]);
  });
});
