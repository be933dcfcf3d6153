// Durable writes with group commit: every request waiting while a transaction commits
// joins the next one, which writes all their events with two or three multi-row
// statements (no ORM round trip per event). A request is answered only after its
// transaction committed, so an acknowledged event is on disk.
//
// Dedup is a unique key, not a read-then-write: INSERT … ON CONFLICT on DedupKey decides,
// inside the transaction, which events are new, so racing copies still count once. An
// expired key (older than 48 h) is taken over by the new event.
import { database, type Sql } from "../db";
import { DEDUP_WINDOW_MS, type PreparedEvent } from "./prepare";

export type EventOutcome = { event_id: string; status: "accepted" | "duplicate" | "rejected"; errors?: { field: string; message: string }[] };

type Item = { env: { environmentId: string; teamId: string; siteId: string; kind: string; versionNumber: number | null }; event: PreparedEvent };
type Waiting = { items: Item[]; resolve: (outcomes: EventOutcome[]) => void; reject: (error: unknown) => void };

const MAX_BATCH_EVENTS = 5_000;
/** Concurrent commit lanes: one keeps ordering simple; two overlap one fsync with the next batch's work. */
const LANES = 2;

let queue: Waiting[] = [];
let running = 0;

export function writeEvents(items: Item[]): Promise<EventOutcome[]> {
  return new Promise((resolve, reject) => {
    queue.push({ items, resolve, reject });
    if (running < LANES) void drain();
  });
}

async function drain(): Promise<void> {
  running++;
  try {
    for (;;) {
      // Let this turn of the event loop read every request that has arrived before taking
      // the batch. Without it, a database that answers without real I/O (embedded PGlite
      // resolves in microtasks) commits each request on its own: no group commit at all.
      await new Promise((resolve) => setImmediate(resolve));
      if (!queue.length) break;
      let taken = 0;
      let cut = 0;
      while (cut < queue.length && (taken === 0 || taken + queue[cut].items.length <= MAX_BATCH_EVENTS)) taken += queue[cut++].items.length;
      const batch = queue.slice(0, cut);
      queue = queue.slice(cut);
      try {
        const outcomes = await commit(batch.flatMap((w) => w.items));
        let offset = 0;
        for (const w of batch) {
          w.resolve(outcomes.slice(offset, offset + w.items.length));
          offset += w.items.length;
        }
      } catch (error) {
        if (batch.length === 1) batch[0].reject(error);
        // One request's data can fail the transaction shared by all: commit each request
        // on its own, so only the one at fault (if any) is refused.
        else for (const w of batch) await commit(w.items).then(w.resolve, w.reject);
      }
    }
  } finally {
    running--;
  }
}

const keyOf = (envId: string, name: string, key: string) => `${envId}\u0000${name}\u0000${key}`;

/**
 * A later copy of an event in the same batch, folded into the first: the same rules as
 * the merge with a stored event (the server's fields win; the event records both sources).
 */
function fold(first: PreparedEvent, copy: PreparedEvent): void {
  const serverWins = copy.source === "server";
  first.params = serverWins ? { ...first.params, ...copy.params } : { ...copy.params, ...first.params };
  first.userData = serverWins ? { ...first.userData, ...copy.userData } : { ...copy.userData, ...first.userData };
  first.context = { ...copy.context, ...first.context };
  if (first.source !== copy.source) first.source = "both";
}

async function commit(items: Item[]): Promise<EventOutcome[]> {
  const db = await database();
  return db.transaction((sql) => commitIn(sql, items));
}

// Rows travel as one JSON parameter per statement, unpacked by json_to_recordset:
// JSON.stringify is native, where node-pg's array parameters escape every element in
// JavaScript, and a few large parameters bind faster than twenty arrays.
const EVENT_COLUMNS = `id text, "teamId" text, "siteId" text, "environmentId" text, "environmentKind" text, "versionNumber" int, name text,
  "eventId" text, "orderId" text, source text, status text, errors jsonb, params jsonb, "userData" jsonb, context jsonb, consent jsonb,
  region text, test boolean, "eventTime" timestamptz, "receivedAt" timestamptz`;
const EVENT_FIELDS = `id, "teamId", "siteId", "environmentId", "environmentKind", "versionNumber", name, "eventId", "orderId", source, status,
  errors, params, "userData", context, consent, region, test, "eventTime", "receivedAt"`;

async function commitIn(sql: Sql, items: Item[]): Promise<EventOutcome[]> {
  const now = Date.now();
  const outcomes: EventOutcome[] = items.map(({ event }) =>
    event.status === "rejected" ? { event_id: event.eventId, status: "rejected", errors: event.errors } : { event_id: event.eventId, status: "accepted" },
  );

  // Within the batch, the first copy of a key claims it; later copies fold into it.
  const firstByKey = new Map<string, number>();
  const candidates: number[] = [];
  items.forEach(({ env, event }, i) => {
    if (event.status !== "accepted") return;
    const keys = event.keys.map((k) => keyOf(env.environmentId, event.name, k));
    const hit = keys.find((k) => firstByKey.has(k));
    if (hit !== undefined) {
      fold(items[firstByKey.get(hit)!].event, event);
      outcomes[i] = { event_id: event.eventId, status: "duplicate" };
      return;
    }
    keys.forEach((k) => firstByKey.set(k, i));
    candidates.push(i);
  });

  // 1. Claim dedup keys. RETURNING lists the keys this transaction now owns.
  const won = new Set<string>();
  if (candidates.length) {
    // Sorted, so concurrent transactions take key locks in one order and cannot deadlock.
    const claims = candidates
      .flatMap((i) => items[i].event.keys.map((k) => ({ e: items[i].env.environmentId, n: items[i].event.name, k, c: items[i].event.id })))
      .sort((a, b) => (a.e < b.e ? -1 : a.e > b.e ? 1 : a.n < b.n ? -1 : a.n > b.n ? 1 : a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    const rows = await sql.query<{ environmentId: string; name: string; key: string }>(
      `INSERT INTO "DedupKey" ("environmentId", "name", "key", "collectedEventId", "expiresAt")
       SELECT e, n, k, c, $2::timestamptz FROM json_to_recordset($1::json) AS t(e text, n text, k text, c text) ORDER BY e, n, k
       ON CONFLICT ("environmentId", "name", "key") DO UPDATE
         SET "collectedEventId" = EXCLUDED."collectedEventId", "expiresAt" = EXCLUDED."expiresAt"
         WHERE "DedupKey"."expiresAt" < now()
       RETURNING "environmentId", "name", "key"`,
      [JSON.stringify(claims), new Date(now + DEDUP_WINDOW_MS).toISOString()],
    );
    for (const r of rows) won.add(keyOf(r.environmentId, r.name, r.key));
  }

  // 2. An event is new only if it won all its keys (event_id and, for purchases, order_id);
  //    one that lost any gives back those it won, and merges into the owner of the first it lost.
  const fresh: number[] = [];
  const release: { e: string; n: string; k: string }[] = [];
  const merges: { e: string; n: string; k: string; source: string; params: unknown; userData: unknown; context: unknown }[] = [];
  for (const i of candidates) {
    const { env, event } = items[i];
    const keys = event.keys.map((k) => keyOf(env.environmentId, event.name, k));
    const lost = keys.findIndex((k) => !won.has(k));
    if (lost < 0) {
      fresh.push(i);
      continue;
    }
    outcomes[i] = { event_id: event.eventId, status: "duplicate" };
    merges.push({ e: env.environmentId, n: event.name, k: event.keys[lost], source: event.source, params: event.params, userData: event.userData, context: event.context });
    event.keys.forEach((k, j) => {
      if (won.has(keys[j])) release.push({ e: env.environmentId, n: event.name, k });
    });
  }
  if (release.length) {
    await sql.query(
      `DELETE FROM "DedupKey" d USING json_to_recordset($1::json) AS t(e text, n text, k text)
       WHERE d."environmentId" = t.e AND d."name" = t.n AND d."key" = t.k`,
      [JSON.stringify(release)],
    );
  }

  // 3. One statement: store the new accepted events and every rejected one (with its
  //    reasons), their outbox rows (one per destination), and the merges of duplicates
  //    into their stored events (the server's fields win; the event records both sources).
  const receivedAt = new Date(now).toISOString();
  const stored = [...items.filter((it) => it.event.status === "rejected"), ...fresh.map((i) => items[i])].map(({ env, event }) => ({
    id: event.id,
    teamId: env.teamId,
    siteId: env.siteId,
    environmentId: env.environmentId,
    environmentKind: env.kind,
    versionNumber: env.versionNumber,
    name: event.name,
    eventId: event.eventId,
    orderId: event.orderId,
    source: event.source,
    status: event.status,
    errors: event.errors,
    params: event.params,
    userData: event.userData,
    context: event.context,
    consent: event.consent,
    region: event.region,
    test: event.test,
    eventTime: event.eventTime.toISOString(),
    receivedAt,
  }));
  const deliveries = fresh.flatMap((i) =>
    items[i].event.deliveries.map((d) => ({
      teamId: items[i].env.teamId,
      collectedEventId: items[i].event.id,
      destinationId: d.destinationId,
      platform: d.platform,
      status: d.status,
      nextAttemptAt: new Date(now + d.delayMs).toISOString(),
      eventName: d.eventName,
      target: d.target,
    })),
  );
  const parts: string[] = [];
  const params: string[] = [];
  if (stored.length) {
    params.push(JSON.stringify(stored));
    parts.push(`stored AS (
      INSERT INTO "CollectedEvent" (${EVENT_FIELDS})
      SELECT ${EVENT_FIELDS} FROM json_to_recordset($${params.length}::json) AS t(${EVENT_COLUMNS}))`);
  }
  if (deliveries.length) {
    params.push(JSON.stringify(deliveries));
    parts.push(`outbox AS (
      INSERT INTO "Delivery" ("teamId", "collectedEventId", "destinationId", "platform", "status", "nextAttemptAt", "eventName", "target")
      SELECT "teamId", "collectedEventId", "destinationId", platform, status, "nextAttemptAt", "eventName", target
      FROM json_to_recordset($${params.length}::json) AS t("teamId" text, "collectedEventId" text, "destinationId" text, platform text, status text, "nextAttemptAt" timestamptz, "eventName" text, target jsonb))`);
  }
  if (merges.length) {
    // Merges target events of earlier transactions only: copies within this batch were
    // folded above, since a statement cannot update rows it inserts.
    params.push(JSON.stringify(merges));
    parts.push(`merged AS (
      UPDATE "CollectedEvent" c SET
        "source" = CASE WHEN c."source" = t.source THEN c."source" ELSE 'both' END,
        "params" = CASE WHEN t.source <> 'browser' THEN c."params" || t.params ELSE t.params || c."params" END,
        "userData" = CASE WHEN t.source <> 'browser' THEN c."userData" || t."userData" ELSE t."userData" || c."userData" END,
        "context" = t.context || c."context"
      FROM json_to_recordset($${params.length}::json) AS t(e text, n text, k text, source text, params jsonb, "userData" jsonb, context jsonb)
      JOIN "DedupKey" d ON d."environmentId" = t.e AND d."name" = t.n AND d."key" = t.k
      WHERE c."id" = d."collectedEventId")`);
  }
  if (parts.length) await sql.query(`WITH ${parts.join(",\n")} SELECT 1`, params);
  return outcomes;
}
