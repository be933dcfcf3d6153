// The collector SIGKILLed under load: a 202 means committed, so every event that got one
// is in the database after a restart — with its outbox row, which the restarted
// forwarder then delivers. Requests cut off by the kill got no 202 and may or may not
// have been stored (their senders retry; dedup makes that safe).
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { startCollector, type Collector } from "../helpers/collector";
import { createPipeline, purchase, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

describe("the collector SIGKILLed under load", () => {
  const backend = "embedded";
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({ name: `crash-${backend}`, backend, distDir: inject("distDir"), standIns });
    p = await createPipeline(collector.url, [{ platform: "meta" }]);
  });

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  afterEach(() => {
    expect(standIns.violations(), "contract violations at the stand-ins").toEqual([]);
  });

  it("every event that got a 202 is stored after the restart, with its delivery", { timeout: 120_000 }, async () => {
    const acknowledged = new Set<string>();
    let cutOff = 0;
    let stop = false;
    const url = collector.url;
    // 16 senders, 5 events per request, as fast as the server answers.
    const senders = Array.from({ length: 16 }, async () => {
      while (!stop) {
        const events = Array.from({ length: 5 }, () => purchase());
        try {
          const reply = await sendServerEvents(url, p.production.serverKey, events);
          expect(reply.status, reply.text).toBe(202);
          for (const r of reply.body.results) if (r.status === "accepted") acknowledged.add(r.event_id);
        } catch (error) {
          // Only the kill may interrupt a request.
          if (!stop) throw error;
          cutOff++;
        }
      }
    });
    const deadline = Date.now() + 15_000;
    while (acknowledged.size < 2000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(acknowledged.size).toBeGreaterThan(500);

    // Pull the plug mid-stream, then start again on the same database and port.
    stop = true;
    const restarting = collector.restart("SIGKILL");
    await Promise.all(senders);
    await restarting;
    const ids = [...acknowledged];
    console.log(`[crash ${backend}] ${ids.length} events acknowledged before the kill; ${cutOff} requests cut off`);

    // The restarted forwarder delivers every acknowledged event.
    await standIns.meta.waitForDelivered(ids, 60_000);

    const stored = await collector.query<{ eventId: string; deliveries: number }>(
      `SELECT e."eventId", count(d.id)::int AS deliveries FROM "CollectedEvent" e LEFT JOIN "Delivery" d ON d."collectedEventId" = e.id
       WHERE e."eventId" = ANY($1::text[]) GROUP BY e."eventId"`,
      [ids],
    );
    const found = new Map(stored.map((r) => [r.eventId, r.deliveries]));
    const missing = ids.filter((id) => !found.has(id));
    expect(missing, "acknowledged events missing after the restart").toEqual([]);
    for (const [id, deliveries] of found) expect(deliveries, `outbox rows of ${id}`).toBe(1);
  });
});
