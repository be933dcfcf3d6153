// No poison pills in the outbox: a destination whose secrets cannot be decrypted
// dead-letters only its own deliveries, with a reason that says what to do, while the
// others deliver; an event a platform would refuse for its age is dead-lettered alone
// and the rest of its batch is sent; the 24 hours before giving up count from the first
// attempt, and a replay starts them again; an answer PostgreSQL cannot store as it is (NUL
// bytes) does not stop its attempt from being recorded.
import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, type Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { createPipeline, eventually, expectOutcome, purchase, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

describe("poison pills", () => {
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;
  const send = (events: unknown[]) => sendServerEvents(collector.url, p.production.serverKey, events);

  async function deliveries(eventIds: string[], platform: string): Promise<Json[]> {
    const all = expectStatus(await p.team.owner.get("/deliveries?limit=500"), 200).data as Json[];
    return all.filter((d) => d.platform === platform && eventIds.includes(d.event?.eventId));
  }
  const settledAs = (eventIds: string[], platform: string, status: string) =>
    eventually(async () => {
      const list = await deliveries(eventIds, platform);
      return list.length === eventIds.length && list.every((d) => d.status === status) ? list : null;
    }, 30_000, `${eventIds.length} ${platform} deliveries to be ${status}`);

  beforeAll(async () => {
    const [server] = inject("servers");
    expect(server.name).toBe("postgres");
    standIns = await startStandIns();
    collector = await startCollector({ name: "poison", backend: "postgres", distDir: inject("distDir"), standIns });
    p = await createPipeline(collector.url, [{ platform: "meta", testEventCode: "TEST4242" }, { platform: "tiktok", testEventCode: "TEST7777" }, { platform: "ga4" }]);
  });

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  afterEach(() => {
    expect(standIns.violations(), "contract violations at the stand-ins").toEqual([]);
    standIns.reset();
  });

  it("secrets that cannot be decrypted dead-letter that destination's deliveries once, with the reason; the other two deliver", async () => {
    const meta = p.destinations.meta.id;
    // Sealed under another key, as after TAGPIPE_ENCRYPTION_KEY changed.
    const foreign = `v1:${crypto.randomBytes(80).toString("base64")}`;
    const [before] = await collector.query<{ secrets: string }>(`SELECT secrets FROM "Destination" WHERE id = $1`, [meta]);
    await collector.query(`UPDATE "Destination" SET secrets = $2 WHERE id = $1`, [meta, foreign]);
    try {
      const events = Array.from({ length: 3 }, () => purchase());
      const ids = events.map((e) => e.event_id);
      expectOutcome(await send(events), "accepted", 3);
      await standIns.tiktok.waitForDelivered(ids);
      await standIns.ga4.waitForDelivered(ids);
      const dead = await settledAs(ids, "meta", "dead");
      for (const d of dead) {
        expect(d.lastError).toMatch(/secrets cannot be decrypted: this process's TAGPIPE_ENCRYPTION_KEY is not the one they were stored with/);
        // Dead-lettered on its first claim, not claimed again and again.
        expect(d.attempts).toBe(1);
      }
      expect(standIns.meta.sentCounts().size).toBe(0);
      for (const id of ids) expect(standIns.tiktok.deliveredCounts().get(id)).toBe(1);
    } finally {
      await collector.query(`UPDATE "Destination" SET secrets = $2 WHERE id = $1`, [meta, before.secrets]);
    }
  });

  it("an event older than GA4 takes is dead-lettered alone; the rest of its batch is delivered", async () => {
    const old = purchase({ event_time: Math.floor(Date.now() / 1000) - 4 * 24 * 3600 });
    const fresh = Array.from({ length: 3 }, () => purchase());
    const ids = fresh.map((e) => e.event_id);
    // One request: the four events come due together and share a claim.
    expectOutcome(await send([...fresh.slice(0, 2), old, fresh[2]]), "accepted", 4);
    await standIns.ga4.waitForDelivered(ids);
    const [dead] = await settledAs([old.event_id], "ga4", "dead");
    expect(dead.lastError).toBe("GA4 takes events up to 72 hours old, and this one is 96 hours old: it would be refused");
    expect(standIns.ga4.sentCounts().has(old.event_id)).toBe(false);
    // Meta takes 7 days: all four.
    await standIns.meta.waitForDelivered([...ids, old.event_id]);
  });

  it("an answer with NUL bytes (a proxy's error page) is recorded with U+FFFD in their place: retried once, then delivered, not sent again and again", async () => {
    standIns.meta.fail({ status: 502, rawBody: "<html>bad\u0000gateway</html>" }, 1);
    const event = purchase();
    expectOutcome(await send([event]), "accepted");
    await standIns.meta.waitForDelivered([event.event_id], 30_000);
    const [delivered] = await settledAs([event.event_id], "meta", "delivered");
    expect(delivered.attempts).toBe(2);
    expect(standIns.meta.sentCounts().get(event.event_id)).toBe(2);
    const [logged] = await collector.query<{ response: string }>(
      `SELECT r.response FROM "DeliveryRequest" r WHERE r."destinationId" = $1 AND r."httpStatus" = 502 ORDER BY r."sentAt" DESC LIMIT 1`,
      [p.destinations.meta.id],
    );
    expect(logged.response).toBe("<html>bad\uFFFDgateway</html>");
  });

  it("24 hours of failure count from the first attempt; a replay starts a new window", async () => {
    standIns.tiktok.fail({ status: 500 });
    const event = purchase();
    expectOutcome(await send([event]), "accepted");
    const [failing] = await eventually(async () => {
      const list = await deliveries([event.event_id], "tiktok");
      return list.length && list[0].attempts >= 1 && list[0].status === "pending" ? list : null;
    }, 30_000, "a failed TikTok attempt");
    // Its first attempt was 25 hours ago: the next failure gives up.
    await collector.query(`UPDATE "Delivery" SET "firstAttemptAt" = now() - interval '25 hours', "nextAttemptAt" = now() WHERE id = $1`, [failing.id]);
    const [dead] = await settledAs([event.event_id], "tiktok", "dead");
    expect(dead.lastStatus).toBe(500);

    // Replayed, it fails once more and is retried, not given up: the window began again.
    standIns.tiktok.recover().fail({ status: 500 }, 1);
    expectStatus(await p.team.owner.post("/deliveries/replay", { ids: [failing.id] }), 201);
    await standIns.tiktok.waitForDelivered([event.event_id], 30_000);
    const [delivered] = await settledAs([event.event_id], "tiktok", "delivered");
    expect(delivered.attempts).toBe(2);
  });
});
