// Forwarder processes of their own (`npm run worker`, scripts/worker.ts) beside a server
// that forwards nothing itself (TAGPIPE_WORKER=0), on PostgreSQL: two workers at once
// never send one delivery twice, and a worker SIGKILLed mid-batch loses nothing — its
// rows stay leased to it (lib/forwarder/worker.ts) until the lease ends, then another
// worker delivers them (forwarder-leases.test.ts times that). What it had in flight is sent again (at least once, as
// documented), and nothing else is. And the whole pipeline scaled out: two collector
// processes (`npm run collector`) and two workers under load, one of each SIGKILLed.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { collectorEnv, startCollector, type Collector } from "../helpers/collector";
import { createPipeline, eventually, expectOutcome, purchase, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startCollectorProcess, startWorker, type RunningWorker } from "../helpers/server";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

/** Workers decrypt destination secrets with the server's key. */
const ENCRYPTION_KEY = randomBytes(32).toString("base64");
/** A killed worker's rows are due again after this (the default is 10 s; a live round renews it while it sends, so it bounds only a dead worker's wait). */
const LEASE_MS = "20000";

describe("forwarder workers on PostgreSQL", () => {
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;
  const workers: RunningWorker[] = [];

  const worker = async (name: string) => {
    const w = await startWorker({ name, databaseUrl: collector.databaseUrl!, env: { ...standIns.env(name), TAGPIPE_ENCRYPTION_KEY: ENCRYPTION_KEY, TAGPIPE_FORWARD_LEASE_MS: LEASE_MS } });
    workers.push(w);
    return w;
  };

  /** Accepts `n` purchases through the server API, 500 per request; answers their event_ids. */
  async function accept(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 500) {
      const events = Array.from({ length: Math.min(500, n - i) }, () => purchase());
      expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, events), "accepted", events.length);
      ids.push(...events.map((e) => e.event_id));
    }
    return ids;
  }

  async function deliveryStates(ids: string[]) {
    return collector.query<{ status: string; attempts: number; eventId: string }>(
      `SELECT d.status, d.attempts, e."eventId" FROM "Delivery" d JOIN "CollectedEvent" e ON e.id = d."collectedEventId" WHERE e."eventId" = ANY($1::text[])`,
      [ids],
    );
  }

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({ name: "workers-postgres", backend: "postgres", distDir: inject("distDir"), standIns, env: { TAGPIPE_WORKER: "0", TAGPIPE_ENCRYPTION_KEY: ENCRYPTION_KEY } });
    p = await createPipeline(collector.url, [{ platform: "meta" }]);
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    expect(standIns.violations(), "contract violations at the stand-ins").toEqual([]);
    standIns.reset();
  });

  afterAll(async () => {
    await Promise.all(workers.splice(0).map((w) => w.kill()));
    await collector?.stop();
    await standIns?.close();
  });

  it("with TAGPIPE_WORKER=0 the server forwards nothing itself", async () => {
    const ids = await accept(3);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(standIns.meta.received).toEqual([]);
    expect((await deliveryStates(ids)).map((d) => d.status)).toEqual(["pending", "pending", "pending"]);
    // A worker picks them up.
    await worker("w0");
    await standIns.meta.waitForDelivered(ids);
  });

  it("a worker without the server's encryption key refuses to start, saying why", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "tagpipe-keyless-"));
    try {
      const started = startWorker({ name: "keyless", databaseUrl: collector.databaseUrl!, env: { ...standIns.env("keyless"), TAGPIPE_DATA_DIR: empty } });
      // Should it start after all, it must not go on claiming rows for the next tests.
      void started.then((w) => workers.push(w), () => undefined);
      await expect(started).rejects.toThrow(/TAGPIPE_ENCRYPTION_KEY/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it("two workers at once: every delivery sent exactly once", { timeout: 90_000 }, async () => {
    const ids = await accept(5000);
    // A slow platform keeps both workers' requests in flight at the same time.
    standIns.meta.delayMs = 150;
    await Promise.all([worker("a"), worker("b")]);
    await standIns.meta.waitForDelivered(ids, 60_000);

    const sent = standIns.meta.sentCounts();
    const delivered = standIns.meta.deliveredCounts();
    for (const id of ids) {
      expect(sent.get(id), `${id} sent`).toBe(1);
      expect(delivered.get(id), `${id} delivered`).toBe(1);
    }
    expect(sent.size).toBe(ids.length);
    const bySender = new Map<string, number>();
    for (const r of standIns.meta.received) bySender.set(r.sender!, (bySender.get(r.sender!) ?? 0) + r.eventIds.length);
    // Which worker sends how much depends on timing (one may claim every row first);
    // together they send each delivery once.
    expect([...bySender.keys()].every((k) => k === "a" || k === "b")).toBe(true);
    expect([...bySender.values()].reduce((a, b) => a + b, 0)).toBe(ids.length);

    // The outcome is recorded once the platform has answered: the stand-in sees the
    // request a moment before the record.
    const states = await eventually(async () => {
      const rows = await deliveryStates(ids);
      return rows.length === ids.length && rows.every((d) => d.status !== "pending") && rows;
    }, 20_000, "every delivery's outcome recorded");
    expect(states.every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
  });

  it("a worker SIGKILLed mid-batch: nothing lost; only its in-flight requests are sent again, once, with the same events", { timeout: 90_000 }, async () => {
    const ids = await accept(1500);
    standIns.meta.delayMs = 1000;
    const doomed = await worker("doomed");
    // Kill it while its first requests are at the platform (the answers take a second).
    await standIns.meta.waitFor(() => standIns.meta.received.some((r) => r.sender === "doomed"), 20_000, "the doomed worker's first request");
    const killedAt = Date.now();
    await doomed.kill("SIGKILL");
    expect(standIns.meta.received.some((r) => r.sender === "doomed")).toBe(true);

    // Events accepted after the kill were never claimed: the next worker sends them at once.
    const later = await accept(500);
    standIns.meta.delayMs = 0;
    await worker("rescuer");
    await standIns.meta.waitForDelivered(later, 20_000);
    ids.push(...later);
    await standIns.meta.waitForDelivered(ids, 60_000);
    const states = await eventually(
      async () => {
        const rows = await deliveryStates(ids);
        return rows.length === ids.length && rows.every((d) => d.status === "delivered") ? rows : null;
      },
      20_000,
      "every delivery recorded as delivered",
    );

    // What the killed worker had in flight, and what of it the stand-in answered before the
    // kill reached it (the worker may have read that answer, or died first).
    const fromDoomed = standIns.meta.received.filter((r) => r.sender === "doomed");
    const inFlight = new Set(fromDoomed.flatMap((r) => r.eventIds));
    const answered = new Set(fromDoomed.filter((r) => r.acknowledged).flatMap((r) => r.eventIds));
    expect(inFlight.size).toBeGreaterThan(0);
    for (const id of later) expect(inFlight.has(id), id).toBe(false);

    // Forwarding is at least once for a request in flight when its worker dies, exactly
    // once for everything else.
    const sent = standIns.meta.sentCounts();
    const delivered = standIns.meta.deliveredCounts();
    const attempts = new Map(states.map((d) => [d.eventId, d.attempts]));
    for (const id of ids) {
      if (!inFlight.has(id)) {
        expect([sent.get(id), delivered.get(id)], `${id}: sent, delivered`).toEqual([1, 1]);
      } else if (!answered.has(id)) {
        // Never answered: its claim died with the worker, and another worker sent it, once.
        expect([sent.get(id), delivered.get(id)], `${id}: sent, delivered`).toEqual([2, 1]);
      } else {
        // Answered as the kill came: if the worker died before recording it, it was sent
        // and taken a second time — the platform deduplicates by event_id.
        expect(sent.get(id), `${id} sent`).toBeLessThanOrEqual(2);
        expect(delivered.get(id), `${id} delivered`).toBe(sent.get(id));
      }
      // The killed worker recorded nothing: one recorded attempt each.
      expect(attempts.get(id), `${id} attempts`).toBe(1);
    }

    // A resend is the same event (same event_id, name, time, data), so the platform can
    // deduplicate it; and it came only after the killed worker died (its rows stayed
    // leased to it until then).
    // (Every unanswered one was resent, as checked above; answered ones may have been recorded in time.)
    const resent = standIns.meta.received.filter((r) => r.sender === "rescuer" && r.eventIds.some((id) => inFlight.has(id)));
    for (const r of resent) expect(r.at).toBeGreaterThanOrEqual(killedAt);
    const entriesOf = (list: typeof resent) => new Map(list.flatMap((r) => (r.body as { data: { event_id: string }[] }).data.map((e) => [e.event_id, e] as const)));
    const before = entriesOf(fromDoomed);
    for (const [id, entry] of entriesOf(resent)) if (before.has(id)) expect(entry, id).toEqual(before.get(id));
  });
  it("two collector processes and two workers under load, one of each SIGKILLed: every acknowledged event stored and delivered once", { timeout: 240_000 }, async () => {
    const env = collectorEnv(standIns, { TAGPIPE_ENCRYPTION_KEY: ENCRYPTION_KEY });
    const [x, y] = await Promise.all(["x", "y"].map((name) => startCollectorProcess({ name: `load-${name}`, databaseUrl: collector.databaseUrl!, env })));
    workers.push(x, y);

    // Deduplication holds across processes: each event sent to both at once is stored once.
    const twice = Array.from({ length: 40 }, () => purchase());
    const replies = await Promise.all(twice.flatMap((e) => [sendServerEvents(x.url, p.production.serverKey, [e]), sendServerEvents(y.url, p.production.serverKey, [e])]));
    for (let i = 0; i < twice.length; i++) {
      const statuses = [replies[2 * i], replies[2 * i + 1]].map((r) => (expect(r.status, r.text).toBe(202), r.body.results[0].status)).sort();
      expect(statuses, twice[i].event_id).toEqual(["accepted", "duplicate"]);
    }

    standIns.meta.delayMs = 100;
    const [doomed] = await Promise.all([worker("load-doomed"), worker("load-survivor")]);
    const acknowledged = new Set<string>(twice.map((e) => e.event_id));
    // xDown: from here x may cut requests off; xKilled: no more requests go to x.
    let xDown = false;
    let xKilled = false;
    let stop = false;
    let cutOff = 0;
    const senders = Array.from({ length: 8 }, async (_, n) => {
      for (let i = n; !stop; i++) {
        const target = i % 2 === 0 && !xKilled ? x : y;
        const events = Array.from({ length: 5 }, () => purchase());
        try {
          const reply = await sendServerEvents(target.url, p.production.serverKey, events);
          expect(reply.status, reply.text).toBe(202);
          for (const r of reply.body.results) if (r.status === "accepted") acknowledged.add(r.event_id);
        } catch (error) {
          // Only the killed collector may cut a request off; it acknowledged nothing.
          if (!(xDown && target === x)) throw error;
          cutOff++;
        }
      }
    });
    const waitFor = async (what: string, done: () => boolean) => {
      for (const deadline = Date.now() + 30_000; !done(); await new Promise((resolve) => setTimeout(resolve, 20))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      }
    };
    await waitFor("1,500 acknowledged events", () => acknowledged.size >= 1500);
    xDown = true;
    await x.kill("SIGKILL");
    xKilled = true;
    await waitFor("the doomed worker's first request", () => standIns.meta.received.some((r) => r.sender === "load-doomed"));
    await doomed.kill("SIGKILL");
    const atKill = acknowledged.size;
    await waitFor("more events after the kills", () => acknowledged.size >= atKill + 1000);
    stop = true;
    await Promise.all(senders);
    const ids = [...acknowledged];
    console.log(`[load] ${ids.length} events acknowledged by two collectors, ${cutOff} requests cut off by the collector's SIGKILL`);

    await standIns.meta.waitForDelivered(ids, 120_000);
    const states = await eventually(
      async () => {
        const rows = await deliveryStates(ids);
        return rows.length === ids.length && rows.every((d) => d.status === "delivered") && rows;
      },
      30_000,
      "every acknowledged event stored with one delivery, recorded as delivered",
    );
    // One stored event and one delivery per acknowledged event: no loss, no duplicate.
    expect(new Set(states.map((d) => d.eventId)).size).toBe(ids.length);
    expect(states.every((d) => d.attempts === 1)).toBe(true);

    // Sent once each, but for what the killed worker had in flight: sent again with the
    // same event_id (the platform deduplicates it), never more.
    const inFlight = new Set(standIns.meta.received.filter((r) => r.sender === "load-doomed").flatMap((r) => r.eventIds));
    const sent = standIns.meta.sentCounts();
    for (const id of ids) {
      if (inFlight.has(id)) expect(sent.get(id), id).toBeLessThanOrEqual(2);
      else expect(sent.get(id), id).toBe(1);
    }
    console.log(`[load] the killed worker had ${inFlight.size} events in flight; ${[...inFlight].filter((id) => sent.get(id) === 2).length} of them were sent again`);
  });
});
