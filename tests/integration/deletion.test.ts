// Deleting an environment, a container, a site or a whole team leaves nothing of it
// behind: not its configuration (foreign-key cascades) and not what it collected, which has
// no foreign keys (lib/config/purge.ts) — events, deliveries and their outcomes, the
// request log, merges, rollups, orders. Each deletion runs after real traffic (browser
// events and their server copies, forwarded to a webhook, folded into the rollups), and
// every table is counted afterwards; for the team, every table of the schema that has a
// teamId column, so a table added later is checked too. Other teams' rows stay.
//
// A site or team is gone at once (API, scripts, intake) while its data is purged in the
// background (lib/config/purge-jobs.ts): the DELETE answers before a large site's purge has
// finished, and a purge whose process is SIGKILLed midway is taken up again after restart.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { addMember, expectStatus, type Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { collect, createPipeline, eventually, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

describe("deleting leaves nothing behind", () => {
  let standIns: StandIns;
  let collector: Collector;
  const q = <R extends Record<string, unknown> = Json>(sql: string, values?: unknown[]) => collector.query<R>(sql, values);
  const count = async (sql: string, values?: unknown[]) => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, values))[0].n;

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({
      name: "deletion",
      backend: "postgres",
      distDir: inject("distDir"),
      standIns,
      // A pause of 150 ms between the purge's batches keeps a large site's purge running for
      // seconds, long enough to look at it midway and to kill it there.
      env: { TAGPIPE_RETENTION: "0", TAGPIPE_HEALTH_FOLD_MS: "100", TAGPIPE_FORWARD_DELAY_MS: "50", TAGPIPE_RETENTION_PAUSE_MS: "150" },
    });
  }, 120_000);

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  const pipeline = async (team?: Pipeline["team"]) =>
    createPipeline(collector.url, [{ platform: "webhook", url: `${standIns.webhook.url}/hooks/${randomUUID()}`, signingSecret: "whsec-deletion" }], team ? { team } : {});

  /** Browser events and server copies of half of them (merges) to both environments; waits until forwarded and folded. */
  async function traffic(p: Pipeline) {
    for (const env of [p.production, p.staging]) {
      const ids = Array.from({ length: 6 }, () => randomUUID());
      const event = (id: string) => ({ event_id: id, name: "purchase", params: { value: 10, currency: "EUR", order_id: `o-${id}`, content_ids: ["a"] } });
      expect((await collect(collector.url, { publicKey: env.publicKey, origin: p.origin }, ids.map(event))).status).toBe(202);
      expect((await sendServerEvents(collector.url, env.serverKey, ids.slice(0, 3).map(event))).status).toBe(202);
    }
    expectStatus(await p.team.owner.post(`/sites/${p.siteId}/orders`, { orders: [{ order_id: `o-${randomUUID()}`, created_at: "2026-12-01T10:00:00Z", value: "10" }] }), 201);
    await eventually(
      async () => {
        const [state] = await q<{ idle: boolean }>(
          `SELECT NOT EXISTS (SELECT 1 FROM "Delivery" WHERE "teamId" = $1 AND status = 'pending')
              AND (SELECT count(*) FROM "EventMerge") = 0 AND (SELECT count(*) FROM "DeliveryOutcome") = 0
              AND (SELECT watermark FROM "HealthFold" WHERE id = 'events') > (SELECT max("receivedAt") FROM "CollectedEvent" WHERE "teamId" = $1)
              AND EXISTS (SELECT 1 FROM "HealthRollup" WHERE "siteId" = $2) AS idle`,
          [p.team.teamId, p.siteId],
        );
        return state?.idle;
      },
      60_000,
      "the traffic forwarded and folded",
    );
  }

  /** Rows collected for these environments: events, their deliveries (by event id), merges and rollups. */
  async function collected(siteId: string, environmentIds: string[]) {
    return {
      events: await count(`"CollectedEvent" WHERE "environmentId" = ANY($1)`, [environmentIds]),
      deliveries: await count(`"Delivery" d WHERE d."collectedEventId" IN (SELECT id FROM "CollectedEvent" WHERE "environmentId" = ANY($1))`, [environmentIds]),
      merges: await count(`"EventMerge" WHERE "environmentId" = ANY($1)`, [environmentIds]),
      rollups: await count(`"HealthRollup" WHERE "siteId" = $1 AND "environmentId" = ANY($2)`, [siteId, environmentIds]),
    };
  }
  const none = { events: 0, deliveries: 0, merges: 0, rollups: 0 };

  /** Waits until the background purge of what `teamId` deleted has finished (its records are removed then). */
  const purgeFinished = (teamId: string, timeoutMs = 60_000) =>
    eventually(async () => (await count(`"PurgeJob" WHERE "teamId" = $1`, [teamId])) === 0, timeoutMs, "the background purge finished");

  /** `n` more events in the production environment (one a millisecond, before the traffic's) and `n` more (finished) deliveries, copies of the traffic's, straight into the tables. */
  async function bulk(p: Pipeline, n: number) {
    const columns = async (table: string, skip: string[]) =>
      (await q<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, [table]))
        .map((r) => `"${r.c}"`)
        .filter((c) => !skip.includes(c));
    const events = await columns("CollectedEvent", ['"id"', '"eventId"', '"eventKey"', '"orderKey"']);
    await q(
      `INSERT INTO "CollectedEvent" (id, "eventId", ${events.join(", ")})
       SELECT gen_random_uuid()::text, 'bulk-' || g, ${events.map((c) => (c === '"receivedAt"' ? `c.${c} - g * interval '1 millisecond'` : `c.${c}`)).join(", ")}
       FROM (SELECT * FROM "CollectedEvent" WHERE "environmentId" = $1 LIMIT 1) c, generate_series(1, $2) g`,
      [p.production.id, n],
    );
    const deliveries = await columns("Delivery", ['"id"']);
    await q(
      `INSERT INTO "Delivery" (id, ${deliveries.join(", ")})
       SELECT gen_random_uuid()::text, ${deliveries.map((c) => `d.${c}`).join(", ")}
       FROM (SELECT * FROM "Delivery" WHERE "destinationId" = $1 AND status <> 'pending' LIMIT 1) d, generate_series(1, $2) g`,
      [p.destinations.webhook.id, n],
    );
  }

  /** Everything of the site's production environment and destination: events, deliveries (all of the destination's), requests. */
  const siteRows = async (p: Pipeline) => ({
    events: await count(`"CollectedEvent" WHERE "environmentId" = $1`, [p.production.id]),
    deliveries: await count(`"Delivery" WHERE "destinationId" = $1`, [p.destinations.webhook.id]),
  });

  it("an environment: its events with their deliveries and its rollups; the production environment's stay", { timeout: 120_000 }, async () => {
    const p = await pipeline();
    await traffic(p);
    const deliveryIds = (await q<{ id: string }>(`SELECT d.id FROM "Delivery" d JOIN "CollectedEvent" c ON c.id = d."collectedEventId" WHERE c."environmentId" = $1`, [p.staging.id])).map((r) => r.id);
    expect(deliveryIds.length).toBeGreaterThan(0);
    const production = await collected(p.siteId, [p.production.id]);
    expect(production.events).toBe(6);

    expectStatus(await p.team.owner.delete(`/environments/${p.staging.id}`), 204);
    expect(await collected(p.siteId, [p.staging.id])).toEqual(none);
    expect(await count(`"Delivery" WHERE id = ANY($1)`, [deliveryIds])).toBe(0);
    expect(await collected(p.siteId, [p.production.id])).toEqual(production);
  });

  it("a container: its environments' events, its destinations' deliveries and requests, its rollups; the site and its orders stay", { timeout: 120_000 }, async () => {
    const p = await pipeline();
    await traffic(p);
    const environments = [p.production.id, p.staging.id];
    const destination = p.destinations.webhook.id;
    expect(await count(`"DeliveryRequest" WHERE "destinationId" = $1`, [destination])).toBeGreaterThan(0);

    expectStatus(await p.team.owner.delete(`/containers/${p.containerId}`), 204);
    expect(await collected(p.siteId, environments)).toEqual(none);
    expect(await count(`"Delivery" WHERE "destinationId" = $1`, [destination])).toBe(0);
    expect(await count(`"DeliveryRequest" WHERE "destinationId" = $1`, [destination])).toBe(0);
    expect(await count(`"Order" WHERE "siteId" = $1`, [p.siteId])).toBe(1);
  });

  it("a site: everything keyed by it", { timeout: 120_000 }, async () => {
    const p = await pipeline();
    await traffic(p);
    expect((await fetch(new URL(`/c/${p.production.publicKey}.js`, collector.url))).status).toBe(200);
    expectStatus(await p.team.owner.delete(`/sites/${p.siteId}`), 204);
    // Gone at once: from the API, its script (cached a moment ago) and its intake.
    expectStatus(await p.team.owner.get(`/sites/${p.siteId}`), 404);
    expect(expectStatus(await p.team.owner.get("/sites"), 200).data.map((s: Json) => s.id)).not.toContain(p.siteId);
    expect((await fetch(new URL(`/c/${p.production.publicKey}.js`, collector.url))).status).toBe(404);
    const refused = await collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, [{ event_id: randomUUID(), name: "page_view" }]);
    expect([refused.status, refused.body.error?.code]).toEqual([404, "unknown_key"]);
    // Its data goes in the background.
    await purgeFinished(p.team.teamId);
    expect(await collected(p.siteId, [p.production.id, p.staging.id])).toEqual(none);
    for (const table of ["EventMerge", "HealthRollup", "Order", "OrderImport", "CollectedEvent"]) expect(await count(`"${table}" WHERE "siteId" = $1`, [p.siteId]), table).toBe(0);
    expect(await count(`"Delivery" WHERE "destinationId" = $1`, [p.destinations.webhook.id])).toBe(0);
  });

  it("a team: confirmed by its name; every row of every table with a teamId, the outcomes, the members' sessions and accounts; other teams untouched", { timeout: 180_000 }, async () => {
    const doomed = await pipeline();
    const second = await pipeline(doomed.team);
    const other = await pipeline();
    await Promise.all([traffic(doomed), traffic(second), traffic(other)]);
    const member = await addMember(doomed.team, "editor");
    expectStatus(await doomed.team.session.post("/invites", { email: `pending-${randomUUID()}@example.test`, role: "viewer" }), 201);
    const otherMember = await addMember(other.team, "viewer");

    const tables = (await q<{ table: string }>(`SELECT table_name AS table FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'teamId' ORDER BY 1`)).map((r) => r.table);
    expect(tables).toEqual(expect.arrayContaining(["CollectedEvent", "Delivery", "DeliveryRequest", "EventMerge", "HealthRollup", "Order", "Site", "Member", "AuditEntry"]));
    const rows = async (teamId: string) => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(`"${t}" WHERE "teamId" = $1`, [teamId])] as const)));
    const before = await rows(doomed.team.teamId);
    expect(before.CollectedEvent).toBe(24);
    expect(before.DeliveryRequest).toBeGreaterThan(0);
    const otherBefore = await rows(other.team.teamId);
    const deliveryIds = (await q<{ id: string }>(`SELECT id FROM "Delivery" WHERE "teamId" = $1`, [doomed.team.teamId])).map((r) => r.id);

    // The name must be typed again.
    const refused = expectStatus(await doomed.team.owner.call("DELETE", "/team", { name: "not the name" }), 422);
    expect(refused.error.fields.map((f: Json) => f.path)).toEqual(["name"]);
    expect(await rows(doomed.team.teamId)).toEqual(before);

    const name = expectStatus(await doomed.team.owner.get("/team"), 200).name;
    expectStatus(await doomed.team.session.call("DELETE", "/team", { name }), 204);
    expect((await doomed.team.owner.get("/team")).status).toBe(401);
    expect((await fetch(new URL(`/c/${doomed.production.publicKey}.js`, collector.url))).status).toBe(404);
    await purgeFinished(doomed.team.teamId);

    const after = await rows(doomed.team.teamId);
    expect(after).toEqual(Object.fromEntries(tables.map((t) => [t, 0])));
    expect(await count(`"DeliveryOutcome" WHERE "deliveryId" = ANY($1)`, [deliveryIds])).toBe(0);
    expect(await rows(other.team.teamId)).toEqual(otherBefore);
    // Signed out of it: the owner's session and token, the member's account (no team left).
    expect((await doomed.team.session.get("/team")).status).toBe(401);
    expect((await doomed.team.owner.get("/team")).status).toBe(401);
    expect(await count(`"User" WHERE email = ANY($1)`, [[doomed.team.email, member.email]])).toBe(0);
    expect(await count(`"User" WHERE email = $1`, [otherMember.email])).toBe(1);
    // Audited in the server log (the team's own audit log went with it).
    const line = collector.logs().split("\n").find((l) => l.includes('"entityType":"team"') && l.includes(doomed.team.teamId));
    expect(line).toContain('"action":"delete"');
  });

  it("a large site: the DELETE answers before its purge has finished, the site gone at once and its data once the purge is done; other sites untouched", { timeout: 900_000 }, async () => {
    const events = Number(process.env.DELETION_EVENTS ?? 100_000);
    const p = await pipeline();
    const other = await pipeline();
    await Promise.all([traffic(p), traffic(other)]);
    await bulk(p, events);
    const before = await siteRows(p);
    expect(before.events).toBe(events + 6);
    const otherBefore = await siteRows(other);
    const name = expectStatus(await p.team.owner.get(`/sites/${p.siteId}`), 200).name as string;
    const allEvents = await count(`"CollectedEvent" WHERE "environmentId" = ANY($1)`, [[p.production.id, p.staging.id]]);

    const started = Date.now();
    expectStatus(await p.team.owner.delete(`/sites/${p.siteId}`), 204);
    const deleteMs = Date.now() - started;
    expectStatus(await p.team.owner.get(`/sites/${p.siteId}`), 404);
    // The purge is still under way: its record is there and so is most of the data.
    const [job] = await q<{ label: string }>(`SELECT label FROM "PurgeJob" WHERE "siteId" = $1`, [p.siteId]);
    expect(job?.label).toMatch(/^site "/);
    expect((await siteRows(p)).events).toBeGreaterThan(events / 2);
    const sitesPage = async () => {
      const page = await p.team.session.fetch("/sites");
      expect(page.status).toBe(200);
      return page.text();
    };
    expect(await sitesPage()).toContain("is being removed");

    await purgeFinished(p.team.teamId, 600_000);
    const doneMs = Date.now() - started;
    expect(await siteRows(p)).toEqual({ events: 0, deliveries: 0 });
    expect(await collected(p.siteId, [p.production.id, p.staging.id])).toEqual(none);
    expect(await siteRows(other)).toEqual(otherBefore);
    expect(await sitesPage()).not.toContain("is being removed");
    const line = collector.logs().split("\n").find((l) => l.startsWith(`[purge] site ${JSON.stringify(name)}:`));
    expect(line).toContain(`deleted ${before.deliveries} Delivery`);
    expect(line).toContain(`${allEvents} CollectedEvent`);
    console.log(`deletion events=${events} delete_ms=${deleteMs} purge_done_ms=${doneMs} ${line}`);
  });

  it("a purge killed midway (SIGKILL) is taken up again after the restart and finishes", { timeout: 300_000 }, async () => {
    const events = 60_000;
    const p = await pipeline();
    const other = await pipeline();
    await Promise.all([traffic(p), traffic(other)]);
    await bulk(p, events);
    const otherBefore = await siteRows(other);

    const name = expectStatus(await p.team.owner.get(`/sites/${p.siteId}`), 200).name as string;
    expectStatus(await p.team.owner.delete(`/sites/${p.siteId}`), 204);
    // Midway: some batches gone, most left. The job cannot finish before its second sweep,
    // PURGE_GRACE_MS (5 s) after the deletion, so the kill lands before it is done.
    await eventually(async () => {
      const rows = await siteRows(p);
      return rows.events + rows.deliveries < 2 * events && rows.events + rows.deliveries > events / 2;
    }, 60_000, "the purge under way");
    const purgeLines = () => collector.logs().split("\n").filter((l) => l.startsWith(`[purge] site ${JSON.stringify(name)}:`));
    expect(purgeLines()).toEqual([]);
    await collector.restart("SIGKILL");

    // The restarted process finds the record (nothing else names the deleted environments) and finishes.
    await purgeFinished(p.team.teamId, 120_000);
    expect(purgeLines()).toHaveLength(1);
    expect(await siteRows(p)).toEqual({ events: 0, deliveries: 0 });
    expect(await collected(p.siteId, [p.production.id, p.staging.id])).toEqual(none);
    expect(await siteRows(other)).toEqual(otherBefore);
  });
});
