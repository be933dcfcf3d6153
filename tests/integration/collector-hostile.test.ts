// Hostile input at the collector's two doors: a corpus of malformed bodies, wrong content
// types, unknown keys, foreign origins and bad keys. Each answers a clear 4xx whose
// message names the field, the server stays up, and nothing is stored. Events that are
// well-formed but break the tracking plan are a different case: stored as rejected with
// their reasons, never forwarded.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startCollector, type Collector } from "../helpers/collector";
import { createPipeline, expectOutcome, purchase, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";
import type { Json } from "../helpers/api";

type Door = "browser" | "server";
type Case = {
  name: string;
  door?: Door;
  /** The raw body, built from the pipeline (its keys). */
  body: (p: Pipeline) => string | Buffer;
  headers?: (p: Pipeline) => Record<string, string>;
  status: number;
  code: string;
  /** A field path the answer must name, in the message and in error.fields. */
  field?: string;
  /** Text the message must contain, when there is no field to name. */
  says?: RegExp;
};

const KB = 1024;
const ok = () => purchase();
/** A browser batch of the given events for the production key. */
const batch = (p: Pipeline, events: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ key: p.production.publicKey, events, ...extra });
const withEvent = (patch: Record<string, unknown>) => (p: Pipeline) => batch(p, [{ ...ok(), ...patch }]);
const nested = (depth: number) => "[".repeat(depth) + "1" + "]".repeat(depth);

const CORPUS: Case[] = [
  // Not JSON at all.
  { name: "bad JSON", body: () => '{"key": "tp_x", "events": [', status: 400, code: "invalid_json", says: /Malformed JSON/ },
  { name: "an empty body", body: () => "", status: 400, code: "invalid_json", says: /empty/ },
  { name: "a bare string", body: () => '"purchase"', status: 422, code: "validation_failed", says: /body: .*object/ },
  { name: "a top-level array", body: (p) => JSON.stringify([{ key: p.production.publicKey }]), status: 422, code: "validation_failed", says: /body: .*object/ },
  { name: "binary garbage", body: () => Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b, 0x80]), status: 400, code: "invalid_json", says: /Malformed JSON/ },
  // Wrong types.
  { name: "events as a string", body: (p) => JSON.stringify({ key: p.production.publicKey, events: "purchase" }), status: 422, code: "validation_failed", field: "events" },
  { name: "event_id as a number", body: withEvent({ event_id: 12345 }), status: 422, code: "validation_failed", field: "events.0.event_id" },
  { name: "params as a list", body: withEvent({ params: [1, 2] }), status: 422, code: "validation_failed", field: "events.0.params" },
  { name: "an email as a number", body: withEvent({ user_data: { email: 5 } }), status: 422, code: "validation_failed", field: "events.0.user_data.email" },
  { name: "consent outside its values", body: withEvent({ consent: { ad_storage: "maybe" } }), status: 422, code: "validation_failed", field: "events.0.consent.ad_storage" },
  { name: "an event name that is not snake_case", body: withEvent({ name: "Purchase!" }), status: 422, code: "validation_failed", field: "events.0.name" },
  { name: "a parameter holding an object of objects", body: withEvent({ params: { value: 1, deep: { a: { b: 1 } } } }), status: 422, code: "validation_failed", field: "events.0.params.deep" },
  // Huge strings and lists.
  { name: "an event_id of 129 characters", body: withEvent({ event_id: "e".repeat(129) }), status: 422, code: "validation_failed", field: "events.0.event_id" },
  { name: "a parameter value of 1001 characters", body: withEvent({ params: { ...ok().params, note: "x".repeat(1001) } }), status: 422, code: "validation_failed", field: "events.0.params.note" },
  { name: "an email of 400 characters", body: withEvent({ user_data: { email: `${"a".repeat(390)}@example.com` } }), status: 422, code: "validation_failed", field: "events.0.user_data.email" },
  { name: "a page URL of 2001 characters", body: withEvent({ page: { url: `https://x.example/${"p".repeat(1990)}` } }), status: 422, code: "validation_failed", field: "events.0.page.url" },
  { name: "a list of 201 content ids", body: withEvent({ params: { ...ok().params, content_ids: Array.from({ length: 201 }, (_, i) => `sku-${i}`) } }), status: 422, code: "validation_failed", field: "events.0.params.content_ids" },
  { name: "51 parameters", body: withEvent({ params: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i])) }), status: 422, code: "validation_failed", field: "events.0.params" },
  { name: "101 events in one request", body: (p) => batch(p, Array.from({ length: 101 }, ok)), status: 422, code: "validation_failed", field: "events" },
  { name: "no events", body: (p) => batch(p, []), status: 422, code: "validation_failed", field: "events" },
  // Strings the database cannot hold.
  { name: "a NUL character in the event_id", body: withEvent({ event_id: "abc\u0000def" }), status: 422, code: "validation_failed", field: "events.0.event_id" },
  { name: "a NUL character in a parameter name", body: withEvent({ params: { ...ok().params, "note\u0000": 1 } }), status: 422, code: "validation_failed", field: "events.0.params.note" },
  { name: "an unpaired surrogate in a parameter", body: (p) => batch(p, [ok()]).replace('"currency":"EUR"', '"currency":"EUR","note":"\\ud800"'), status: 422, code: "validation_failed", field: "events.0.params.note" },
  // Deep nesting.
  { name: "nesting 9 levels deep", body: withEvent({ params: { value: 1, deep: JSON.parse(nested(6)) } }), status: 400, code: "invalid_json", says: /deeper than 8 levels/ },
  { name: "nesting 10 000 levels deep", body: (p) => `{"key":"${p.production.publicKey}","events":${nested(10_000)}}`, status: 400, code: "invalid_json", says: /deeper than 8 levels/ },
  // Unknown keys.
  { name: "an unknown top-level key", body: (p) => batch(p, [ok()], { admin: true }), status: 422, code: "validation_failed", field: "admin" },
  { name: "an unknown event key", body: withEvent({ revenue: 10 }), status: 422, code: "validation_failed", field: "events.0.revenue" },
  { name: "an unknown user_data key", body: withEvent({ user_data: { ssn: "078-05-1120" } }), status: 422, code: "validation_failed", field: "events.0.user_data.ssn" },
  { name: "a __proto__ key", body: (p) => batch(p, [ok()]).replace('{"event_id"', '{"__proto__":{"polluted":true},"event_id"'), status: 422, code: "validation_failed", field: "events.0.__proto__" },
  // Content types.
  { name: "form-encoded", body: (p) => batch(p, [ok()]), headers: () => ({ "content-type": "application/x-www-form-urlencoded" }), status: 415, code: "unsupported_media_type", says: /text\/plain or application\/json/ },
  { name: "multipart", body: () => "--b\r\n\r\n{}\r\n--b--", headers: () => ({ "content-type": "multipart/form-data; boundary=b" }), status: 415, code: "unsupported_media_type", says: /text\/plain/ },
  { name: "no content type", body: (p) => batch(p, [ok()]), headers: () => ({ "content-type": "" }), status: 415, code: "unsupported_media_type", says: /text\/plain/ },
  { name: "a type that only starts like text/plain", body: (p) => batch(p, [ok()]), headers: () => ({ "content-type": "text/plainfoo" }), status: 415, code: "unsupported_media_type", says: /text\/plain/ },
  { name: "text/plain with a parameter other than charset", body: (p) => batch(p, [ok()]), headers: () => ({ "content-type": "text/plain; boundary=x" }), status: 415, code: "unsupported_media_type", says: /text\/plain/ },
  { name: "server: a type that only starts like application/json", door: "server", body: () => JSON.stringify({ events: [ok()] }), headers: () => ({ "content-type": "application/jsonp" }), status: 415, code: "unsupported_media_type", says: /application\/json/ },
  // Origins.
  { name: "a foreign origin", body: (p) => batch(p, [ok()]), headers: () => ({ origin: "https://evil.example" }), status: 403, code: "origin_not_allowed", says: /evil\.example/ },
  { name: "no Origin header", body: (p) => batch(p, [ok()]), headers: () => ({ origin: "" }), status: 403, code: "origin_not_allowed", says: /\(none\)/ },
  { name: "a file:// origin naming the site's host", body: (p) => batch(p, [ok()]), headers: (p) => ({ origin: `file://${p.hostname}` }), status: 403, code: "origin_not_allowed", says: /file:/ },
  { name: "a chrome-extension origin naming the site's host", body: (p) => batch(p, [ok()]), headers: (p) => ({ origin: `chrome-extension://${p.hostname}` }), status: 403, code: "origin_not_allowed", says: /chrome-extension/ },
  { name: "the opaque origin null", body: (p) => batch(p, [ok()]), headers: () => ({ origin: "null" }), status: 403, code: "origin_not_allowed", says: /null/ },
  { name: "the site's hostname as a prefix of another domain", body: (p) => batch(p, [ok()]), headers: (p) => ({ origin: `https://${p.hostname}.evil.example` }), status: 403, code: "origin_not_allowed", says: /evil\.example/ },
  { name: "a subdomain of the site's hostname", body: (p) => batch(p, [ok()]), headers: (p) => ({ origin: `https://attacker.${p.hostname}` }), status: 403, code: "origin_not_allowed", says: /attacker/ },
  // Keys.
  { name: "an unknown key", body: () => JSON.stringify({ key: "tp_AAAAAAAAAAAAAAAAAAAAAAAA", events: [ok()] }), status: 404, code: "unknown_key", field: "key" },
  { name: "an empty key", body: () => JSON.stringify({ key: "", events: [ok()] }), status: 422, code: "validation_failed", field: "key" },
  { name: "a key of 65 characters", body: () => JSON.stringify({ key: "k".repeat(65), events: [ok()] }), status: 422, code: "validation_failed", field: "key" },
  { name: "the server key in the browser body", body: (p) => JSON.stringify({ key: p.production.serverKey, events: [ok()] }), status: 404, code: "unknown_key", field: "key" },
  // Sizes.
  { name: "a body over 64 KB", body: (p) => batch(p, [{ ...ok(), params: { ...ok().params, pad: "x".repeat(1000) } }]).replace('"events"', `"pad":"${"y".repeat(65 * KB)}","events"`), status: 413, code: "payload_too_large", says: /64 KB/ },
  // The server door.
  { name: "server: no Authorization", door: "server", body: () => JSON.stringify({ events: [ok()] }), headers: () => ({ authorization: "" }), status: 401, code: "unauthorized", says: /Authorization: Bearer/ },
  { name: "server: a wrong key", door: "server", body: () => JSON.stringify({ events: [ok()] }), headers: () => ({ authorization: "Bearer tps_wrongwrongwrongwrongwrongwrongwrongwrong" }), status: 401, code: "unauthorized", says: /invalid or was rotated/ },
  { name: "server: the public key as a bearer", door: "server", body: () => JSON.stringify({ events: [ok()] }), headers: (p) => ({ authorization: `Bearer ${p.production.publicKey}` }), status: 401, code: "unauthorized", says: /invalid/ },
  { name: "server: text/plain", door: "server", body: () => JSON.stringify({ events: [ok()] }), headers: () => ({ "content-type": "text/plain" }), status: 415, code: "unsupported_media_type", says: /application\/json/ },
  { name: "server: bad JSON", door: "server", body: () => '{"events":[{', status: 400, code: "invalid_json", says: /Malformed JSON/ },
  { name: "server: a browser body (key, events)", door: "server", body: (p) => batch(p, [ok()]), status: 422, code: "validation_failed", field: "key" },
  { name: "server: 1001 events", door: "server", body: () => JSON.stringify({ events: Array.from({ length: 1001 }, () => ({ event_id: "x", name: "purchase" })) }), status: 422, code: "validation_failed", field: "events" },
  { name: "server: a body over 1 MB", door: "server", body: () => JSON.stringify({ events: [ok()], pad: "z".repeat(1024 * KB) }), status: 413, code: "payload_too_large", says: /1024 KB/ },
];

/** A POST over node:http, so that headers (even an empty Origin) go exactly as given. */
function post(url: string, body: string | Buffer, headers: Record<string, string>, chunked = false): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const h = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ""));
    if (!chunked) h["content-length"] = String(Buffer.byteLength(body));
    const req = http.request(url, { method: "POST", headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    if (chunked) {
      // No Content-Length: the server must count while reading.
      const buffer = Buffer.from(body);
      for (let i = 0; i < buffer.length; i += 8 * KB) req.write(buffer.subarray(i, i + 8 * KB));
      req.end();
    } else req.end(body);
  });
}

describe("hostile input", () => {
  const backend = "postgres";
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;
  const rejectedIds: string[] = [];

  function headersFor(door: Door): Record<string, string> {
    return door === "browser"
      ? { "content-type": "text/plain;charset=UTF-8", origin: p.origin, "user-agent": "Mozilla/5.0 Chrome/130.0" }
      : { "content-type": "application/json", authorization: `Bearer ${p.production.serverKey}` };
  }

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({ name: `hostile-${backend}`, backend, distDir: inject("distDir"), standIns });
    standIns.webhook.webhookSecret = "whsec-hostile";
    p = await createPipeline(collector.url, [{ platform: "meta" }, { platform: "webhook", url: `${standIns.webhook.url}/hooks/hostile`, signingSecret: standIns.webhook.webhookSecret }]);
  });

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  it.each(CORPUS)("$name → $status", async (c) => {
    const door = c.door ?? "browser";
    const path = door === "browser" ? "/api/collect" : "/api/v1/events";
    const reply = await post(`${collector.url}${path}`, c.body(p), { ...headersFor(door), ...c.headers?.(p) });
    expect(reply.status, reply.text.slice(0, 300)).toBe(c.status);
    const body = JSON.parse(reply.text) as Json;
    expect(body.error.code).toBe(c.code);
    expect(body.error.message.length).toBeLessThan(2000);
    if (c.field) {
      expect(body.error.message, "the message names the field").toContain(c.field);
      if (c.code === "validation_failed") expect(body.error.fields.map((f: Json) => f.path).some((path: string) => path.startsWith(c.field!)), JSON.stringify(body.error.fields)).toBe(true);
    }
    if (c.says) expect(body.error.message).toMatch(c.says);
  });

  it("a chunked body over 64 KB with no Content-Length is cut off at the cap", async () => {
    const body = JSON.stringify({ key: p.production.publicKey, events: [ok()], pad: "q".repeat(200 * KB) });
    const reply = await post(`${collector.url}/api/collect`, body, headersFor("browser"), true);
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text).error.code).toBe("payload_too_large");
  });

  it("a body declared far too large is answered 413 at once, before it is sent", async () => {
    // 9 MB declared, 1 KB sent: past the discard limit the server does not wait for the rest.
    const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(`${collector.url}/api/v1/events`, { method: "POST", headers: { ...headersFor("server"), "content-length": String(9 * 1024 * KB) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
        });
      });
      req.on("error", reject);
      req.write("z".repeat(KB));
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text).error.code).toBe("payload_too_large");
  });

  it("other methods answer 405; a preflight answers 204", async () => {
    const get = await fetch(`${collector.url}/api/collect`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const put = await fetch(`${collector.url}/api/v1/events`, { method: "PUT", body: "{}" });
    expect(put.status).toBe(405);
    const preflight = await fetch(`${collector.url}/api/collect`, { method: "OPTIONS", headers: { origin: p.origin, "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
  });

  it("events that break the tracking plan are accepted as rejected, with reasons, and never forwarded", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ params: { ...ok().params, value: -5 } }, "params.value"],
      [{ params: { ...ok().params, currency: "EURO" } }, "params.currency"],
      [{ params: { value: 10, currency: "EUR", content_ids: ["a"] } }, "params.order_id"],
      [{ params: { ...ok().params, value: "ten" } }, "params.value"],
      [{ event_time: Math.floor(Date.now() / 1000) + 3600 }, "event_time"],
      [{ event_time: "2001-01-01T00:00:00Z" }, "event_time"],
      [{ event_time: 1e20 }, "event_time"],
      [{ event_time: "not a date" }, "event_time"],
      [{ name: "refund" }, "name"],
    ];
    const events = cases.map(([patch]) => ({ ...ok(), ...patch }));
    const reply = await sendServerEvents(collector.url, p.production.serverKey, events);
    const body = expectOutcome(reply, "rejected", cases.length);
    body.results.forEach((r: Json, i: number) => {
      expect(r.errors.map((e: Json) => e.field), JSON.stringify(r)).toContain(cases[i][1]);
      for (const e of r.errors) expect(e.message.length).toBeGreaterThan(0);
    });
    rejectedIds.push(...events.map((e) => e.event_id));
    // One rejected event does not affect a valid one beside it in the same request.
    const good = ok();
    const mixed = await sendServerEvents(collector.url, p.production.serverKey, [{ ...ok(), params: { value: -1 } }, good]);
    expect(mixed.body.results.map((r: Json) => r.status)).toEqual(["rejected", "accepted"]);
    rejectedIds.push(mixed.body.results[0].event_id);
    await standIns.meta.waitForDelivered([good.event_id]);
    for (const id of rejectedIds) expect(standIns.meta.sentCounts().has(id) || standIns.webhook.sentCounts().has(id)).toBe(false);
  });

  it("a rotated server key is refused at once, though the collector caches keys", async () => {
    const other = await createPipeline(collector.url, [{ platform: "webhook", url: `${standIns.webhook.url}/hooks/rotated`, signingSecret: standIns.webhook.webhookSecret }], { team: p.team });
    const old = other.production.serverKey;
    // Warm the collector's cache with the old key.
    // (Rejected events, so that the final count of accepted ones stays exact.)
    const warm = await sendServerEvents(collector.url, old, [{ ...ok(), params: { value: -1 } }]);
    expect(warm.status).toBe(202);
    const rotated = await p.team.owner.patch(`/environments/${other.production.id}`, { rotateServerKey: true });
    expect(rotated.status).toBe(200);
    const refused = await sendServerEvents(collector.url, old, [ok()]);
    expect(refused.status, refused.text).toBe(401);
    const accepted = await sendServerEvents(collector.url, rotated.body.serverKey, [{ ...ok(), params: { value: -2 } }]);
    expect(accepted.status, accepted.text).toBe(202);
    rejectedIds.push(warm.body.results[0].event_id, accepted.body.results[0].event_id);
  });

  it("the server stayed up, logged no failure, and stored nothing from the corpus", async () => {
    const sentinel = ok();
    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [sentinel]), "accepted");
    expect(collector.logs()).not.toMatch(/\[collect\] failed/);
    const rows = await collector.query<{ eventId: string; status: string; errors: Json }>(`SELECT "eventId", status, errors FROM "CollectedEvent"`);
    const accepted = rows.filter((r) => r.status === "accepted").map((r) => r.eventId);
    // The sentinel and the valid event of the mixed request; nothing of the corpus.
    expect(accepted).toHaveLength(2);
    expect(accepted).toContain(sentinel.event_id);
    const rejected = rows.filter((r) => r.status === "rejected");
    expect(rejected.map((r) => r.eventId).sort()).toEqual([...rejectedIds].sort());
    for (const r of rejected) expect(r.errors.length).toBeGreaterThan(0);
    const outbox = await collector.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Delivery" d JOIN "CollectedEvent" e ON e.id = d."collectedEventId" WHERE e.status = 'rejected'`);
    expect(outbox[0].n).toBe(0);
  });
});
