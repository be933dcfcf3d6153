// The collector SIGKILLed under load, and its embedded PostgreSQL SIGKILLed under load: a
// 202 means committed (and flushed), so every event that got one is in the database after
// a restart — with its outbox row, which the restarted forwarder then delivers. Requests cut off by the kill got no 202 and may or may not
// have been stored (their senders retry; dedup makes that safe).
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { startCollector, type Collector } from "../helpers/collector";
import { embeddedCluster } from "../helpers/server";
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

  /**
   * 16 senders, 5 events per request, as fast as the server answers, until `crash` has
   * been called (after at least 500 acknowledged events); then Tagpipe is started again on
   * the same data directory. Every acknowledged event must be
   * stored, with its one outbox row, and be delivered.
   */
  async function underLoad(label: string, crash: () => Promise<void>) {
    const acknowledged = new Set<string>();
    let refused = 0;
    let crashed = false;
    let stop = false;
    const url = collector.url;
    const senders = Array.from({ length: 16 }, async () => {
      while (!stop) {
        const events = Array.from({ length: 5 }, () => purchase());
        try {
          const reply = await sendServerEvents(url, p.production.serverKey, events);
          // Before the crash every request is acknowledged; from it on, a refusal (the
          // database is gone) is allowed: it acknowledges nothing, and the sender retries.
          if (!crashed) expect(reply.status, reply.text).toBe(202);
          if (reply.status !== 202) refused++;
          else for (const r of reply.body.results) if (r.status === "accepted") acknowledged.add(r.event_id);
        } catch (error) {
          // Only the crash may interrupt a request.
          if (!crashed) throw error;
          refused++;
        }
      }
    });
    const deadline = Date.now() + 15_000;
    while (acknowledged.size < 2000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(acknowledged.size).toBeGreaterThan(500);

    crashed = true;
    await crash();
    stop = true;
    await Promise.all(senders);
    // `npm start` again on the same data directory and port. How fast it comes back is a
    // benchmark figure (bench:collect's embedded_restart_*_ms); here a generous deadline.
    const restarting = Date.now();
    await collector.restart("SIGKILL", 60_000);
    const restartMs = Date.now() - restarting;
    const ids = [...acknowledged];
    console.log(`[crash ${backend}, ${label}] ${ids.length} events acknowledged before the crash; ${refused} requests cut off or refused; ready again after ${restartMs} ms`);

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
  }

  it("every event that got a 202 is stored after Tagpipe is SIGKILLed, with its delivery", { timeout: 180_000 }, async () => {
    // Mid-stream; the embedded PostgreSQL, in a session of its own, keeps running and is reused.
    await underLoad("Node SIGKILLed", () => collector.server.kill("SIGKILL"));
  });

  it("every event that got a 202 is stored after its database server is SIGKILLed", { timeout: 180_000 }, async () => {
    await underLoad("PostgreSQL SIGKILLed", async () => {
      const cluster = embeddedCluster(collector.server.dataDir)!;
      process.kill(cluster.pid!, "SIGKILL");
      // The running Tagpipe's watchdog starts it again; PostgreSQL replays its WAL.
      for (const deadline = Date.now() + 15_000; ; await new Promise((r) => setTimeout(r, 100))) {
        const now = embeddedCluster(collector.server.dataDir)!.pid;
        if (now && now !== cluster.pid) break;
        if (Date.now() > deadline) throw new Error("the embedded PostgreSQL was not started again within 15 s");
      }
    });
  });
});
