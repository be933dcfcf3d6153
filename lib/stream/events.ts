// The live event stream of an environment and the detail of one collected event: what the
// collector kept (hashed user data only), each destination's delivery badge, and for the
// detail every attempt with the exact request sent and the platform's answer.
//
// Reading at ten million stored events without adding work to intake:
// - Pages walk the collector's own (environmentId, receivedAt) index newest first, keyset
//   over (receivedAt, id): a page is an index range scan whatever the table's size.
// - Filters are applied to the newest SCAN_ROWS events from the cursor (fewer when a
//   delivery condition is asked); a page the window could not fill answers `partial` and a
//   cursor to search on from where the window ended, rather than reading a whole table.
// - Search by event_id or order_id uses the dedup keys' unique indexes (eventKey,
//   orderKey), plus the newest window for rejected events, which carry no key.
// - An event's deliveries are found without an index on Delivery.collectedEventId (one
//   would cost every collected event ~1.3 µs of PostgreSQL CPU): the collector writes an
//   event and its outbox rows in one statement, with the rows' UUIDv7 ids made from the
//   same millisecond as the event's receivedAt (lib/collector/writer.ts), so a range scan
//   of the Delivery primary key over that millisecond finds them.
import { database, prisma } from "../db";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors";
import { intakeFromSnapshot } from "../collector/intake-config";
import type { Snapshot } from "../versions/snapshot";
import type { StreamQuery } from "../schemas/stream";
import { decodeCursor, encodeCursor } from "./cursor";
import { deliveriesOfEventSql } from "../collector/ids";
import { badgesFor, type DeliveryRow, type VersionView } from "./badges";

/** Events a filtered page looks through (newest first from the cursor) before answering partial. */
export const SCAN_ROWS = 20_000;
/** The same for filters on deliveries, which probe the outbox once per event. */
export const SCAN_ROWS_DELIVERIES = 5_000;
const MAX_REQUEST_BODY_CHARS = 256 * 1024;

export type StreamEnvironment = { id: string; teamId: string; name: string; kind: string; containerId: string; containerName: string; siteId: string; siteName: string; versionId: string | null };

export async function streamEnvironment(actor: Actor, environmentId: string): Promise<StreamEnvironment> {
  // Plain SQL: the live stream asks this every second while someone watches (the ORM's own
  // work was 1.5 ms of a 3 ms page, measured 2026-12-06).
  const { sql } = await database();
  const [env] = await sql.query<StreamEnvironment>(
    `SELECT e.id, e."teamId", e.name, e.kind::text AS kind, e."containerId", c.name AS "containerName", s.id AS "siteId", s.name AS "siteName", e."versionId"
     FROM "Environment" e JOIN "Container" c ON c.id = e."containerId" JOIN "Site" s ON s.id = c."siteId"
     WHERE e.id = $1 AND e."teamId" = $2`,
    [environmentId, actor.teamId],
  );
  if (!env) throw new NotFoundError("Environment");
  return env;
}

/** The UUIDv7 id range [lo, hi) of outbox rows written in millisecond `ms`. */
export function deliveryIdRange(ms: number): [string, string] {
  const h = Math.floor(ms).toString(16).padStart(12, "0");
  const prefix = `${h.slice(0, 8)}-${h.slice(8, 12)}-`;
  return [`${prefix}7`, `${prefix}8`];
}

type EventRow = {
  id: string;
  name: string;
  eventId: string;
  orderId: string | null;
  source: string;
  status: string;
  errors: unknown;
  region: string | null;
  consent: unknown;
  context: unknown;
  test: boolean;
  versionNumber: number | null;
  receivedMs: number;
  eventMs: number;
};

const COLUMNS = `e.id, e.name, e."eventId", e."orderId", e.source, e.status, e.errors, e.region, e.consent, e.context, e.test, e."versionNumber",
  floor(extract(epoch from e."receivedAt") * 1000)::float8 AS "receivedMs", floor(extract(epoch from e."eventTime") * 1000)::float8 AS "eventMs"`;
const NEWEST_FIRST = `ORDER BY e."receivedAt" DESC, e.id DESC`;

/** A UTC timestamp literal for the timestamp(3) columns (stored as UTC). */
const timestamp = (ms: number) => new Date(ms).toISOString().replace("Z", "");

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The conditions of the filters other than search, on the event aliased `e`. */
function filterSql(q: StreamQuery, p: Params): string[] {
  const where: string[] = [];
  if (q.name) where.push(`e.name = ${p.add(q.name)}`);
  if (q.status) where.push(`e.status = ${p.add(q.status)}`);
  if (q.source) where.push(`e.source = ${p.add(q.source)}`);
  if (q.destinationId || q.delivery) {
    const conditions = [deliveriesOfEventSql("e")];
    if (q.destinationId) conditions.push(`d."destinationId" = ${p.add(q.destinationId)}`);
    const status: Record<string, string> = {
      pending: `d.status = 'pending' AND d.attempts = 0`,
      retrying: `d.status = 'pending' AND d.attempts > 0`,
      delivered: `d.status = 'delivered'`,
      dead: `d.status = 'dead'`,
      held: `d.status = 'held'`,
    };
    // OFFSET 0 keeps each probe a subplan per event (a primary-key range scan, ~4 µs):
    // pulled up into a semi join, PostgreSQL hashed every matching outbox row instead
    // (0.5 s at three million deliveries).
    if (q.delivery === "not_sent") where.push(`e.status = 'accepted' AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE ${conditions.join(" AND ")} OFFSET 0)`);
    else {
      if (q.delivery) conditions.push(status[q.delivery]);
      where.push(`EXISTS (SELECT 1 FROM "Delivery" d WHERE ${conditions.join(" AND ")} OFFSET 0)`);
    }
  }
  return where;
}

function scopeSql(env: StreamEnvironment, p: Params, cursor: { ms: number; id: string } | null): string {
  const scope = [`e."environmentId" = ${p.add(env.id)}`, `e."teamId" = ${p.add(env.teamId)}`];
  if (cursor) {
    const at = p.add(timestamp(cursor.ms));
    // The first bound lets the index range start at the cursor; the second breaks ties.
    scope.push(`e."receivedAt" <= ${at}::timestamp`, `(e."receivedAt" < ${at}::timestamp OR e.id < ${p.add(cursor.id)})`);
  }
  return scope.join(" AND ");
}

export type StreamPage = Awaited<ReturnType<typeof listStream>>;

export async function listStream(actor: Actor, environmentId: string, q: StreamQuery) {
  const env = await streamEnvironment(actor, environmentId);
  const { sql } = await database();
  const cursor = q.cursor ? decodeCursor(q.cursor) : null;
  const filtered = !!(q.name || q.status || q.source || q.destinationId || q.delivery);
  const window = q.destinationId || q.delivery ? SCAN_ROWS_DELIVERIES : SCAN_ROWS;
  let rows: EventRow[];
  let nextCursor: string | null = null;
  let partial = false;

  if (q.q) {
    // By the dedup keys' indexes, plus rejected events (no key) in the newest window.
    const p = new Params();
    const term = p.add(q.q);
    const filters = filterSql(q, p);
    const scope = scopeSql(env, p, null);
    const keyed = `SELECT ${COLUMNS} FROM "CollectedEvent" e WHERE (e."eventKey" = ${term} OR e."orderKey" = ${term}) AND ${[scope, ...filters].join(" AND ")}`;
    const recent = `SELECT ${COLUMNS} FROM (SELECT e.* FROM "CollectedEvent" e WHERE ${scope} ${NEWEST_FIRST} LIMIT ${SCAN_ROWS}) e
      WHERE ${[`(e."eventId" = ${term} OR e."orderId" = ${term})`, ...filters].join(" AND ")}`;
    const [a, b] = [await sql.query<EventRow>(keyed, p.values), await sql.query<EventRow>(recent, p.values)];
    const byId = new Map([...a, ...b].map((r) => [r.id, r]));
    rows = [...byId.values()].sort((x, y) => y.receivedMs - x.receivedMs || (y.id < x.id ? -1 : 1)).slice(0, q.limit);
  } else if (!filtered) {
    const p = new Params();
    rows = await sql.query<EventRow>(`SELECT ${COLUMNS} FROM "CollectedEvent" e WHERE ${scopeSql(env, p, cursor)} ${NEWEST_FIRST} LIMIT ${p.add(q.limit + 1)}`, p.values);
  } else {
    const p = new Params();
    const scope = scopeSql(env, p, cursor);
    const filters = filterSql(q, p);
    rows = await sql.query<EventRow>(
      `SELECT ${COLUMNS} FROM (SELECT e.* FROM "CollectedEvent" e WHERE ${scope} ${NEWEST_FIRST} LIMIT ${window}) e
       WHERE ${filters.join(" AND ")} ${NEWEST_FIRST} LIMIT ${p.add(q.limit + 1)}`,
      p.values,
    );
    if (rows.length <= q.limit) {
      // The window ran out before the page filled: say where it ended, if the table goes on.
      const p2 = new Params();
      const [end] = await sql.query<{ ms: number; id: string }>(
        `SELECT floor(extract(epoch from e."receivedAt") * 1000)::float8 AS ms, e.id FROM "CollectedEvent" e WHERE ${scopeSql(env, p2, cursor)} ${NEWEST_FIRST} OFFSET ${window - 1} LIMIT 2`,
        p2.values,
      );
      if (end) {
        partial = true;
        nextCursor = encodeCursor(Number(end.ms), end.id);
      }
    }
  }
  if (!q.q && rows.length > q.limit) {
    rows = rows.slice(0, q.limit);
    const last = rows.at(-1)!;
    nextCursor = encodeCursor(Number(last.receivedMs), last.id);
  }

  const [deliveries, versions] = await Promise.all([deliveriesOf(env.teamId, rows), versionViews(env, rows)]);
  return {
    environment: { id: env.id, name: env.name, kind: env.kind, siteId: env.siteId, siteName: env.siteName, containerId: env.containerId },
    data: rows.map((r) => present(r, deliveries.get(r.id) ?? [], versions)),
    nextCursor,
    /** true: the filters were tried on a window of the newest events only; nextCursor searches on */
    partial,
    scanned: filtered && !q.q ? window : null,
  };
}

function present(r: EventRow, rows: DeliveryRow[], versions: Map<number, VersionView>) {
  const version = r.versionNumber === null ? null : (versions.get(r.versionNumber) ?? null);
  return {
    id: r.id,
    receivedAt: new Date(Number(r.receivedMs)).toISOString(),
    eventTime: new Date(Number(r.eventMs)).toISOString(),
    name: r.name,
    eventId: r.eventId,
    orderId: r.orderId,
    source: r.source,
    status: r.status,
    errors: r.errors,
    region: r.region,
    consent: r.consent,
    test: r.test,
    versionNumber: r.versionNumber,
    deliveries: badgesFor(r, version, rows),
  };
}

type DeliveryRecord = DeliveryRow & { collectedEventId: string };

/** The outbox rows of these events, by event: one primary-key range per millisecond of receipt. */
async function deliveriesOf(teamId: string, events: { id: string; receivedMs: number }[], full = false): Promise<Map<string, DeliveryRecord[]>> {
  const out = new Map<string, DeliveryRecord[]>();
  if (!events.length) return out;
  const { sql } = await database();
  const ranges = [...new Set(events.map((e) => Number(e.receivedMs)))].map(deliveryIdRange);
  const rows = await sql.query<DeliveryRecord & Record<string, unknown>>(
    `SELECT d.id, d."collectedEventId", d."destinationId", d.platform, d.status, d.attempts, d."lastError", d."attemptLog" -> -1 AS last
       ${full ? `, d."eventName", d.target, d."lastStatus", d."lastResponse", d."nextAttemptAt", d."firstAttemptAt", d."deliveredAt", d."attemptLog"` : ""}
     FROM unnest($1::text[], $2::text[]) AS r(lo, hi)
     -- OFFSET 0: one primary-key range scan per millisecond (as a plain join, PostgreSQL
     -- may hash the whole outbox: 2 s at three million rows, against 0.2 ms).
     CROSS JOIN LATERAL (SELECT * FROM "Delivery" x WHERE x.id >= r.lo AND x.id < r.hi OFFSET 0) d
     WHERE d."collectedEventId" = ANY($3::text[]) AND d."teamId" = $4`,
    [ranges.map((r) => r[0]), ranges.map((r) => r[1]), events.map((e) => e.id), teamId],
  );
  for (const row of rows) {
    const list = out.get(row.collectedEventId) ?? [];
    list.push(row);
    out.set(row.collectedEventId, list);
  }
  return out;
}

/** Versions never change once made: what the collector knew of one is kept per process. */
const VERSION_VIEWS = new Map<string, VersionView>();

async function versionViews(env: StreamEnvironment, rows: { versionNumber: number | null }[]): Promise<Map<number, VersionView>> {
  const numbers = [...new Set(rows.map((r) => r.versionNumber).filter((n): n is number => n !== null))];
  const out = new Map<number, VersionView>();
  const missing = numbers.filter((n) => {
    const hit = VERSION_VIEWS.get(`${env.id}:${n}`);
    if (hit) out.set(n, hit);
    return !hit;
  });
  if (missing.length) {
    const db = await prisma();
    const versions = await db.version.findMany({ where: { containerId: env.containerId, teamId: env.teamId, number: { in: missing } }, select: { number: true, snapshot: true } });
    for (const v of versions) {
      const snapshot = v.snapshot as unknown as Snapshot;
      const config = intakeFromSnapshot({ id: env.id, name: env.name, teamId: env.teamId, kind: env.kind, siteId: env.siteId, hostnames: [] }, { number: v.number, snapshot });
      const view = { config, names: new Map(snapshot.destinations.map((d) => [d.id, d.name])) };
      if (VERSION_VIEWS.size > 2_000) VERSION_VIEWS.clear();
      VERSION_VIEWS.set(`${env.id}:${v.number}`, view);
      out.set(v.number, view);
    }
  }
  return out;
}

type AttemptLogEntry = { n?: number; at?: string; outcome?: string; status?: number | null; error?: string; request?: string; index?: number; by?: string };

/** This event's part of a batch body: the element at `index` of the body's array that holds `count` items. */
export function eventPart(body: string | null, index: number | undefined, count: number): unknown {
  if (!body || index === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  if (!json || typeof json !== "object") return null;
  for (const value of Object.values(json as Record<string, unknown>)) {
    if (Array.isArray(value) && value.length === count) return value[index] ?? null;
  }
  return null;
}

/** One collected event as stored, its badges, and each delivery with every attempt and the requests that carried it. */
export async function getCollectedEvent(actor: Actor, id: string) {
  const db = await prisma();
  const event = await db.collectedEvent.findFirst({ where: { id, teamId: actor.teamId } });
  if (!event) throw new NotFoundError("Event");
  const env = await streamEnvironment(actor, event.environmentId);
  const receivedMs = event.receivedAt.getTime();
  const [deliveries, versions] = await Promise.all([deliveriesOf(actor.teamId, [{ id, receivedMs }], true), versionViews(env, [event])]);
  const rows = deliveries.get(id) ?? [];
  const requestIds = [...new Set(rows.flatMap((r) => ((r as Record<string, unknown>).attemptLog as AttemptLogEntry[] | null) ?? []).flatMap((a) => (a.request ? [a.request] : [])))];
  const requests = new Map(
    (await db.deliveryRequest.findMany({ where: { id: { in: requestIds }, teamId: actor.teamId } })).map((r) => [r.id, r]),
  );
  const version = event.versionNumber === null ? null : (versions.get(event.versionNumber) ?? null);
  const { eventKey, orderKey, teamId, ...stored } = event;
  void eventKey;
  void orderKey;
  void teamId;
  return {
    environment: { id: env.id, name: env.name, kind: env.kind, siteId: env.siteId, siteName: env.siteName, containerId: env.containerId },
    event: stored,
    badges: badgesFor(event, version, rows),
    deliveries: rows.map((row) => {
      const r = row as DeliveryRecord & Record<string, unknown>;
      const log = (r.attemptLog as AttemptLogEntry[] | null) ?? [];
      return {
        id: r.id,
        destinationId: r.destinationId,
        destination: version?.names.get(r.destinationId) ?? r.platform,
        platform: r.platform,
        eventName: r.eventName,
        status: r.status,
        attempts: r.attempts,
        lastStatus: r.lastStatus,
        lastError: r.lastError,
        nextAttemptAt: r.nextAttemptAt,
        deliveredAt: r.deliveredAt,
        target: r.target,
        attemptLog: log.map((a) => {
          const request = a.request ? requests.get(a.request) : undefined;
          return {
            ...a,
            request: request
              ? {
                  id: request.id,
                  sentAt: request.sentAt,
                  url: request.url,
                  durationMs: request.durationMs,
                  httpStatus: request.httpStatus,
                  count: request.count,
                  response: request.response,
                  /** this event's element of the batch body */
                  eventPart: eventPart(request.body, a.index, request.count),
                  body: request.body && request.body.length > MAX_REQUEST_BODY_CHARS ? request.body.slice(0, MAX_REQUEST_BODY_CHARS) : request.body,
                  bodyTruncated: !!request.body && request.body.length > MAX_REQUEST_BODY_CHARS,
                }
              : null,
          };
        }),
      };
    }),
  };
}
