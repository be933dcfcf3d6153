// The engineer's view of the signal, over real HTTP against a real PostgreSQL: the live
// event stream (newest first, keyset pages that stay put while events arrive, filters,
// search), each destination's badge and why nothing was sent, an event's detail with every
// attempt and the exact request body, the delivery log and replay, the test event, and
// what a viewer or another team may not do. Destinations point at the local stand-ins.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { Client, createToken, expectStatus, newTeam, type Json, type Role } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { collect, createPipeline, eventually, expectOutcome, purchase, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

const REGIONS = [
  { code: "eu", name: "Europe", countries: ["DE", "FR"] },
  { code: "us", name: "United States", countries: ["US"] },
];

describe("event stream, delivery log and test events on postgres", () => {
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;
  const clients: Partial<Record<Role, Client>> = {};

  const stream = async (env: { id: string }, query = "", pipeline = p) => expectStatus(await pipeline.team.owner.get(`/environments/${env.id}/events${query}`), 200);
  const as = async (role: Role) => (clients[role] ??= new Client(collector.url, (await createToken(p.team.session, role)).secret));

  /** The stream's row of an event_id, once `ready` says it is complete. */
  async function rowOf(eventId: string, ready: (row: Json) => boolean = () => true, env = p.production, pipeline = p): Promise<Json> {
    return eventually(async () => {
      const page = await stream(env, `?q=${encodeURIComponent(eventId)}`, pipeline);
      const row = page.data.find((e: Json) => e.eventId === eventId);
      return row && ready(row) ? row : null;
    }, 25_000, `the stream row of ${eventId}`);
  }
  const badge = (row: Json, platform: string) => row.deliveries.find((d: Json) => d.platform === platform);

  beforeAll(async () => {
    standIns = await startStandIns();
    // One forwarding round at a time: the scripted failures answer requests, not events.
    collector = await startCollector({ name: "stream", backend: "postgres", distDir: inject("distDir"), standIns, env: { TAGPIPE_FORWARD_CONCURRENCY: "1" } });
    p = await createPipeline(
      collector.url,
      [
        { platform: "meta", testEventCode: "TEST4242" },
        // No test code: test events are held, which the stream shows as "not sent".
        { platform: "tiktok" },
        { platform: "ga4", nonProduction: "hold" },
        { platform: "webhook", url: `${standIns.webhook.url}/hooks/stream`, signingSecret: "whsec-stream-secret", regions: ["us"] },
      ],
      { regions: REGIONS },
    );
    standIns.webhook.webhookSecret = "whsec-stream-secret";
  });

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  afterEach(() => {
    expect(standIns.violations(), "contract violations at the stand-ins").toEqual([]);
    standIns.reset();
  });

  it("lists newest first in keyset pages that stay put while new events arrive", async () => {
    // An environment of its own, so the list holds exactly these events.
    const own = await createPipeline(collector.url, [{ platform: "meta" }], { team: p.team });
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      const e = purchase();
      expectOutcome(await sendServerEvents(collector.url, own.production.serverKey, [e]), "accepted");
      sent.push(e.event_id);
    }
    // Four in one request share one receivedAt: the id breaks the tie.
    const batch = Array.from({ length: 4 }, () => purchase());
    expectOutcome(await sendServerEvents(collector.url, own.production.serverKey, batch), "accepted", 4);
    const last = purchase();
    expectOutcome(await sendServerEvents(collector.url, own.production.serverKey, [last]), "accepted");

    const all = (await stream(own.production, "?limit=200", own)).data as Json[];
    expect(all).toHaveLength(8);
    const order = all.map((e) => e.eventId);
    expect(order[0]).toBe(last.event_id);
    expect(new Set(order.slice(1, 5))).toEqual(new Set(batch.map((e) => e.event_id)));
    expect(order.slice(5)).toEqual([...sent].reverse());
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1], all[i]];
      expect(a.receivedAt > b.receivedAt || (a.receivedAt === b.receivedAt && a.id > b.id), `${a.id} before ${b.id}`).toBe(true);
    }

    // Pages of three: together the same list, each row once.
    const first = await stream(own.production, "?limit=3", own);
    expect(first.data.map((e: Json) => e.eventId)).toEqual(order.slice(0, 3));
    // Events arriving meanwhile do not shift the pages after the first.
    const newer = purchase();
    expectOutcome(await sendServerEvents(collector.url, own.production.serverKey, [newer]), "accepted");
    const second = await stream(own.production, `?limit=3&cursor=${first.nextCursor}`, own);
    const third = await stream(own.production, `?limit=3&cursor=${second.nextCursor}`, own);
    expect([...second.data, ...third.data].map((e: Json) => e.eventId)).toEqual(order.slice(3, 8));
    expect(third.nextCursor).toBeNull();
    expect((await stream(own.production, "?limit=1", own)).data[0].eventId).toBe(newer.event_id);
  });

  it("filters by event, status, source, destination and delivery status, and finds an event by event_id or order_id", async () => {
    const server = purchase({ region: "eu" });
    const signUp = { event_id: `su-${server.event_id}`, name: "sign_up", params: {}, region: "eu" };
    const rejected = purchase({ params: { currency: "XX" } });
    const denied = purchase({ region: "eu", consent: { ad_storage: "denied" } });
    const merged = purchase({ region: "eu" });
    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [server, signUp, merged]), "accepted", 3);
    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [rejected]), "rejected");
    const browser = { publicKey: p.production.publicKey, origin: p.origin };
    expectOutcome(await collect(collector.url, browser, [denied]), "accepted");
    // The browser's copy of an event the server sent merges into it.
    expectOutcome(await collect(collector.url, browser, [merged]), "duplicate");
    const ids = new Set([server, signUp, rejected, denied, merged].map((e) => e.event_id));
    const mine = (page: Json) => (page.data as Json[]).filter((e) => ids.has(e.eventId));
    const names = (page: Json) => mine(page).map((e) => e.eventId).sort();

    expect(names(await stream(p.production, "?name=sign_up"))).toEqual([signUp.event_id]);
    const rejectedPage = await stream(p.production, "?status=rejected");
    expect(names(rejectedPage)).toEqual([rejected.event_id]);
    expect(mine(rejectedPage)[0].errors).toEqual([{ field: "params.currency", message: "must be an ISO 4217 code such as EUR" }]);
    expect(names(await stream(p.production, "?source=browser"))).toEqual([denied.event_id]);
    expect(names(await stream(p.production, "?source=both"))).toEqual([merged.event_id]);
    expect(names(await stream(p.production, "?source=server&status=accepted")).sort()).toEqual([server.event_id, signUp.event_id].sort());

    // Search: by event_id, by order_id, and a rejected event (which has no dedup key).
    expect((await stream(p.production, `?q=${server.event_id}`)).data.map((e: Json) => e.eventId)).toEqual([server.event_id]);
    expect((await stream(p.production, `?q=${merged.params.order_id}`)).data.map((e: Json) => e.eventId)).toEqual([merged.event_id]);
    expect((await stream(p.production, `?q=${rejected.event_id}`)).data.map((e: Json) => e.eventId)).toEqual([rejected.event_id]);
    expect((await stream(p.production, `?q=nothing-${server.event_id}`)).data).toEqual([]);

    // Delivery filters: the consent-denied event reached no ad platform.
    await standIns.meta.waitForDelivered([server.event_id, merged.event_id]);
    expect(names(await stream(p.production, "?delivery=not_sent"))).toEqual([denied.event_id]);
    const delivered = await eventually(async () => {
      const page = await stream(p.production, `?destinationId=${p.destinations.meta.id}&delivery=delivered`);
      const found = names(page);
      return found.includes(server.event_id) && found.includes(merged.event_id) ? found : null;
    });
    expect(delivered).not.toContain(denied.event_id);
    expect(delivered).not.toContain(rejected.event_id);
  });

  it("answers 422 naming the field for a bad query", async () => {
    const cases: [string, string][] = [
      ["?status=bogus", "status"],
      ["?source=fax", "source"],
      ["?delivery=lost", "delivery"],
      ["?limit=0", "limit"],
      ["?limit=abc", "limit"],
      ["?cursor=not-a-cursor", "cursor"],
    ];
    for (const [query, field] of cases) {
      const reply = await p.team.owner.get(`/environments/${p.production.id}/events${query}`);
      const body = expectStatus(reply, 422);
      expect(body.error.fields.map((f: Json) => f.path), query).toContain(field);
    }
    const unknown = expectStatus(await p.team.owner.get(`/environments/${p.production.id}/events?colour=red`), 422);
    expect(unknown.error.message).toContain("colour");
    expect(expectStatus(await p.team.owner.get("/deliveries?status=lost"), 422).error.fields[0].path).toBe("status");
  });

  it("gives each destination a badge, and says why a destination got nothing", async () => {
    // Production, region eu: Meta, TikTok and GA4 send; the webhook serves us only.
    const eu = purchase({ region: "eu" });
    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [eu]), "accepted");
    const row = await rowOf(eu.event_id, (r) => ["meta", "tiktok", "ga4"].every((x) => badge(r, x)?.badge === "delivered"));
    expect(badge(row, "webhook")).toMatchObject({ badge: "not_sent", reason: "region" });
    expect(row).toMatchObject({ status: "accepted", source: "server", region: "eu", test: false, consent: { ad_storage: "granted" } });

    // Consent denied: no advertising platform; the webhook is not an ad platform, but serves us only.
    const denied = purchase({ region: "eu", consent: { ad_storage: "denied" } });
    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [denied]), "accepted");
    const deniedRow = await rowOf(denied.event_id);
    for (const platform of ["meta", "tiktok", "ga4"]) expect(badge(deniedRow, platform), platform).toMatchObject({ badge: "not_sent", reason: "consent" });

    // Staging: Meta in test mode; TikTok has no test code and a webhook no test mode; GA4 holds non-production events.
    const staged = purchase({ region: "us" });
    expectOutcome(await sendServerEvents(collector.url, p.staging.serverKey, [staged]), "accepted");
    const stagedRow = await rowOf(staged.event_id, (r) => badge(r, "meta")?.badge === "delivered", p.staging);
    expect(stagedRow.test).toBe(true);
    expect(badge(stagedRow, "tiktok")).toMatchObject({ badge: "not_sent", reason: "test_without_code" });
    expect(badge(stagedRow, "webhook")).toMatchObject({ badge: "not_sent", reason: "test_without_code" });
    expect(badge(stagedRow, "ga4")).toMatchObject({ badge: "held" });
    const atMeta = standIns.meta.received.find((r) => r.eventIds.includes(staged.event_id));
    expect((atMeta?.body as Json).test_event_code).toBe("TEST4242");
  });

  it("shows an event as stored, hashed, with every attempt, the exact request body and the platform's answer", async () => {
    standIns.meta.fail({ status: 500, message: "Meta is having a moment" }, 1);
    const e = purchase({ region: "eu" });
    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [e]), "accepted");
    const retrying = await rowOf(e.event_id, (r) => badge(r, "meta")?.badge !== "pending");
    // Between the failed attempt and the next one the badge says retrying; once through, delivered.
    expect(["retrying", "delivered"]).toContain(badge(retrying, "meta").badge);
    const row = await rowOf(e.event_id, (r) => badge(r, "meta")?.badge === "delivered");

    const detail = expectStatus(await p.team.owner.get(`/collected-events/${row.id}`), 200);
    expect(detail.event).toMatchObject({ eventId: e.event_id, name: "purchase", status: "accepted", source: "server" });
    expect(detail.event.userData.em).toMatch(/^[0-9a-f]{64}$/);
    const text = JSON.stringify(detail);
    expect(text).not.toContain(String((e.user_data as Json).email));
    expect(text).not.toContain("eventKey");

    const meta = detail.deliveries.find((d: Json) => d.platform === "meta");
    expect(meta.attemptLog.map((a: Json) => [a.n, a.outcome, a.status])).toEqual([
      [1, "retry", 500],
      [2, "ok", 200],
    ]);
    const sentBodies = standIns.meta.received.filter((r) => r.eventIds.includes(e.event_id)).map((r) => r.raw);
    expect(sentBodies).toHaveLength(2);
    // The exact body, but for the access token Meta takes in it.
    expect(text).not.toContain("EAAB-meta-token");
    meta.attemptLog.forEach((a: Json, i: number) => {
      expect(sentBodies[i]).toContain('"access_token":"EAAB-meta-token"');
      expect(a.request.body, `attempt ${a.n}`).toBe(sentBodies[i].replace('"access_token":"EAAB-meta-token"', '"access_token":"[secret]"'));
      expect(a.request.url).toMatch(/\/1234567890\/events$/);
      expect(a.request.eventPart.event_id).toBe(e.event_id);
    });
    expect(meta.attemptLog[0].request.response).toContain("Meta is having a moment");
    expect(meta.attemptLog[1].request.response).toContain("events_received");
    // Secrets never reach the log: Meta's token rides in the body, GA4's in the URL's query.
    const ga4 = detail.deliveries.find((d: Json) => d.platform === "ga4");
    expect(ga4.attemptLog[0].request.url).not.toContain("api_secret");
    expect(detail.badges.find((b: Json) => b.platform === "webhook")).toMatchObject({ badge: "not_sent", reason: "region" });
  });

  it("lists a destination's failures with the platform's message; publishers replay them, viewers cannot, and the result shows", async () => {
    standIns.meta.fail({ status: 400, message: "Invalid parameter: pixel blocked", metaCode: 100 });
    const e = purchase({ region: "eu" });
    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [e]), "accepted");
    const row = await rowOf(e.event_id, (r) => badge(r, "meta")?.badge === "dead");
    const deliveryId = badge(row, "meta").deliveryId;

    const log = expectStatus(await p.team.owner.get(`/deliveries?destinationId=${p.destinations.meta.id}&status=failed`), 200);
    const dead = log.data.find((d: Json) => d.id === deliveryId);
    expect(dead).toMatchObject({ status: "dead", lastStatus: 400, event: { eventId: e.event_id } });
    expect(dead.lastError).toContain("Invalid parameter: pixel blocked");
    expect(dead.lastAttempt).toMatchObject({ outcome: "fail", status: 400 });
    expect(log.data.every((d: Json) => d.destinationId === p.destinations.meta.id && (d.status === "dead" || (d.status === "pending" && d.attempts > 0)))).toBe(true);

    const viewer = await as("viewer");
    const refused = expectStatus(await viewer.post("/deliveries/replay", { ids: [deliveryId] }), 403);
    expect(refused.error.message).toContain("delivery:replay");
    expect(expectStatus(await viewer.get(`/deliveries?ids=${deliveryId}`), 200).data[0].status).toBe("dead");

    standIns.meta.recover();
    const publisher = await as("publisher");
    expect(expectStatus(await publisher.post("/deliveries/replay", { ids: [deliveryId] }), 201)).toEqual({ replayed: 1, ids: [deliveryId] });
    const after = await eventually(async () => {
      const [d] = expectStatus(await publisher.get(`/deliveries?ids=${deliveryId}`), 200).data;
      return d.status === "delivered" ? d : null;
    });
    expect(after.lastAttempt).toMatchObject({ outcome: "ok", status: 200 });
    const detail = expectStatus(await p.team.owner.get(`/collected-events/${row.id}`), 200);
    const meta = detail.deliveries.find((d: Json) => d.platform === "meta");
    expect(meta.attemptLog.map((a: Json) => a.outcome)).toEqual(["fail", "replayed", "ok"]);
    expect(standIns.meta.deliveredCounts().get(e.event_id)).toBe(1);
  });

  it("pages the delivery log newest first without repeating a row", async () => {
    standIns.tiktok.fail({ status: 400, message: "bad" });
    const events = Array.from({ length: 5 }, () => purchase({ region: "eu" }));
    for (const e of events) expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [e]), "accepted");
    await eventually(async () => {
      const all = expectStatus(await p.team.owner.get(`/deliveries?destinationId=${p.destinations.tiktok.id}&status=dead&limit=500`), 200).data as Json[];
      return events.every((e) => all.some((d) => d.event?.eventId === e.event_id)) ? all : null;
    });
    const seen: string[] = [];
    let cursor = "";
    for (let i = 0; i < 50; i++) {
      const page = expectStatus(await p.team.owner.get(`/deliveries?destinationId=${p.destinations.tiktok.id}&status=dead&limit=2${cursor ? `&cursor=${cursor}` : ""}`), 200);
      seen.push(...page.data.map((d: Json) => d.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const full = expectStatus(await p.team.owner.get(`/deliveries?destinationId=${p.destinations.tiktok.id}&status=dead&limit=500`), 200).data.map((d: Json) => d.id);
    expect(seen).toEqual(full);
  });

  it("sends a test event through the collector that shows in the stream with its deliveries", async () => {
    const sent = expectStatus(await p.team.session.post(`/environments/${p.production.id}/test-event`, {}), 201);
    expect(sent).toMatchObject({ name: "purchase", result: { status: "accepted" } });
    expect(sent.eventId).toMatch(/^tagpipe_test_/);
    const row = await rowOf(sent.eventId, (r) => badge(r, "meta")?.badge === "delivered");
    expect(row).toMatchObject({ test: true, source: "server", status: "accepted" });
    expect(badge(row, "tiktok")).toMatchObject({ badge: "not_sent", reason: "test_without_code" });
    const atMeta = standIns.meta.received.find((r) => r.eventIds.includes(sent.eventId));
    expect((atMeta?.body as Json).test_event_code).toBe("TEST4242");
    const audit = expectStatus(await p.team.owner.get(`/audit?entityType=environment&entityId=${p.production.id}`), 200);
    expect(audit.data[0]).toMatchObject({ action: "send_test_event", after: { eventId: sent.eventId } });

    const viewer = await as("viewer");
    expectStatus(await viewer.post(`/environments/${p.production.id}/test-event`, {}), 403);
    const unknown = expectStatus(await p.team.owner.post(`/environments/${p.production.id}/test-event`, { name: "refund" }), 422);
    expect(unknown.error.fields[0].path).toBe("name");
  });

  it("answers another team's ids like unknown ones: 404, and replays none of its deliveries", async () => {
    const e = purchase({ region: "eu" });
    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [e]), "accepted");
    const row = await rowOf(e.event_id, (r) => badge(r, "meta")?.badge === "delivered");
    const other = await newTeam(collector.url);
    for (const path of [`/environments/${p.production.id}/events`, `/collected-events/${row.id}`, "/environments/nope/events", "/collected-events/nope"]) {
      expect(expectStatus(await other.owner.get(path), 404).error.code, path).toBe("not_found");
    }
    expectStatus(await other.owner.post(`/environments/${p.production.id}/test-event`, {}), 404);
    const deliveryId = badge(row, "meta").deliveryId;
    expect(expectStatus(await other.owner.get(`/deliveries?ids=${deliveryId}`), 200).data).toEqual([]);
    expect(expectStatus(await other.owner.post("/deliveries/replay", { ids: [deliveryId] }), 201)).toEqual({ replayed: 0, ids: [] });
  });
});
