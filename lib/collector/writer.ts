// Durable writes with group commit: every request waiting while a statement commits
// joins the next one, which writes all their events — and their outbox rows — in ONE
// statement, one round trip, committed on its own (no BEGIN/COMMIT around it). A request
// is answered only after that statement committed, so an acknowledged event is on disk.
//
// Dedup is a unique key, not a read-then-write: an accepted event carries its event_id
// (eventKey) and, for a purchase, its order_id (orderKey), each unique per environment
// and event name; INSERT … ON CONFLICT DO NOTHING decides which events are new, so racing
// copies still count once. Only when a copy did collide do more statements run: a stored
// owner older than the 48 h window gives its keys up (the copy is then new), otherwise
// the copy merges into it (the server's fields win; the event records both sources).
import { outboxWritten } from "../forwarder/wake";
import { database, type ArrayType, type Sql } from "../db";
import { DEDUP_WINDOW_MS, type PreparedEvent } from "./prepare";
import { deliveriesOfEventSql, uuidv7 } from "./ids";
import { keysMaskSql, quality } from "../health/keys";

export type EventOutcome = { event_id: string; status: "accepted" | "duplicate" | "rejected"; errors?: { field: string; message: string }[] };

type Item = { env: { environmentId: string; teamId: string; siteId: string; kind: string; versionNumber: number | null }; event: PreparedEvent };
type Waiting = { items: Item[]; resolve: (outcomes: EventOutcome[]) => void; reject: (error: unknown) => void };

const MAX_BATCH_EVENTS = 5_000;
/**
 * Statements in flight at once: while one waits for its commit (the WAL flush), the next
 * batch is gathered and sent, so the flushes of consecutive batches overlap.
 */
const LANES = 3;

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
      // the batch. Without it, a database that answers before the next read (a fast
      // commit, a busy loop) commits each request on its own: no group commit at all.
      await new Promise((resolve) => setImmediate(resolve));
      if (!queue.length) break;
      let taken = 0;
      let cut = 0;
      while (cut < queue.length && (taken === 0 || taken + queue[cut].items.length <= MAX_BATCH_EVENTS)) taken += queue[cut++].items.length;
      const batch = queue.slice(0, cut);
      queue = queue.slice(cut);
      try {
        const outcomes = await commit(batch.length === 1 ? batch[0].items : batch.flatMap((w) => w.items));
        outboxWritten();
        let offset = 0;
        for (const w of batch) {
          w.resolve(outcomes.slice(offset, offset + w.items.length));
          offset += w.items.length;
        }
      } catch (error) {
        if (batch.length === 1) batch[0].reject(error);
        // One request's data can fail the statement shared by all: commit each request on
        // its own, so only the one at fault (if any) is refused.
        else for (const w of batch) await commit(w.items).then(w.resolve, w.reject);
        outboxWritten();
      }
    }
  } finally {
    running--;
  }
}

/**
 * A later copy of an event in the same batch, folded into the first: the same rules as
 * the merge with a stored event (the server's fields win; the event records both sources).
 */
function fold(first: PreparedEvent, copy: PreparedEvent): void {
  const serverWins = copy.source === "server";
  first.params = serverWins ? { ...first.params, ...copy.params } : { ...copy.params, ...first.params };
  first.userData = serverWins ? { ...first.userData, ...copy.userData } : { ...copy.userData, ...first.userData };
  const fired = unionFired(first.context.fired, copy.context.fired);
  first.context = { ...copy.context, ...first.context, ...(fired ? { fired } : {}) };
  if (first.source !== copy.source) first.source = "both";
}

/** Two copies' `fired` lists as one (each copy's Google tags that ran count), the first's order first. */
export function unionFired(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a?.length || !b?.length) return a?.length ? a : b;
  return [...new Set([...a, ...b])];
}

/**
 * SQL: the stored context `stored` with the `fired` list of `incoming` (a jsonb list)
 * added to its own, keeping what it had first; `stored` when nothing is new.
 */
const withFiredSql = (stored: string, incoming: string) =>
  `CASE WHEN jsonb_typeof(${incoming}) = 'array' AND jsonb_array_length(${incoming}) > 0 THEN jsonb_set(${stored}, '{fired}',
     COALESCE(${stored}->'fired', '[]'::jsonb) || COALESCE((SELECT jsonb_agg(f) FROM jsonb_array_elements(${incoming}) f WHERE NOT COALESCE(${stored}->'fired', '[]'::jsonb) @> jsonb_build_array(f)), '[]'::jsonb))
   ELSE ${stored} END`;

/** Deadlocks between racing copies (each statement waiting for the other's key) are retried. */
async function retryingDeadlocks<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== "40P01" || attempt >= 5) throw error;
    }
  }
}

async function commit(items: Item[]): Promise<EventOutcome[]> {
  const { sql } = await database();
  const outcomes: EventOutcome[] = items.map(({ event }) =>
    event.status === "rejected" ? { event_id: event.eventId, status: "rejected", errors: event.errors } : { event_id: event.eventId, status: "accepted" },
  );

  // Within the batch, the first copy of a key claims it; later copies fold into it.
  const firstByKey = new Map<string, Item>();
  const candidates: Item[] = [];
  const rejected: Item[] = [];
  const folded: { first: Item; copy: Item }[] = [];
  items.forEach((item, i) => {
    const { env, event } = item;
    if (event.status !== "accepted") return void rejected.push(item);
    const keys = [`e\u0000${env.environmentId}\u0000${event.name}\u0000${event.eventKey}`];
    if (event.orderKey !== null) keys.push(`o\u0000${env.environmentId}\u0000${event.name}\u0000${event.orderKey}`);
    const first = keys.map((k) => firstByKey.get(k)).find((hit) => hit !== undefined);
    if (first) {
      fold(first.event, event);
      folded.push({ first, copy: item });
      outcomes[i] = { event_id: event.eventId, status: "duplicate" };
      return;
    }
    for (const k of keys) firstByKey.set(k, item);
    candidates.push(item);
  });

  const inserted = await retryingDeadlocks(() => insert(sql, [...rejected, ...candidates]));
  let collided = candidates.filter((c) => !inserted.has(c.event.id));
  if (collided.length) {
    // A stored owner older than the window gives its keys up; the copies it held are new.
    if (await takeOverExpired(sql, collided)) {
      const second = await retryingDeadlocks(() => insert(sql, collided));
      for (const id of second) inserted.add(id);
      collided = collided.filter((c) => !inserted.has(c.event.id));
    }
    if (collided.length) await retryingDeadlocks(() => merge(sql, collided));
    const duplicate = new Set(collided);
    items.forEach((item, i) => {
      if (duplicate.has(item)) outcomes[i] = { event_id: item.event.eventId, status: "duplicate" };
    });
  }
  if (folded.length) await logFolded(sql, folded);
  return outcomes;
}

// Rows travel column by column: one array parameter per column, in PostgreSQL's binary
// array format (lib/db.ts), unpacked side by side by unnest(). No text is parsed but the
// jsonb values themselves: measured, 8 µs less PostgreSQL CPU per event than one JSON
// document unpacked by jsonb_to_recordset, which parsed every row's keys and punctuation.
/** A column: its name, its element type, and its value for a row (`now`: the statement's time of receipt). */
type Column<R> = readonly [name: string, type: ArrayType, value: (row: R, now: Date) => unknown];
type DeliveryRow = { id: string; teamId: string; collectedEventId: string; delivery: PreparedEvent["deliveries"][number]; nextAttemptAt: Date };

// receivedAt is left to the column's default, the database's transaction time: the health
// fold (lib/health/rollups.ts) counts rows received before the oldest open transaction's
// start, which is only safe if no row carries a time older than its own transaction.
const EVENT_COLUMNS: Column<Item>[] = [
  ["id", "text", (r) => r.event.id],
  ["teamId", "text", (r) => r.env.teamId],
  ["siteId", "text", (r) => r.env.siteId],
  ["environmentId", "text", (r) => r.env.environmentId],
  ["environmentKind", "text", (r) => r.env.kind],
  ["versionNumber", "int4", (r) => r.env.versionNumber],
  ["name", "text", (r) => r.event.name],
  ["eventId", "text", (r) => r.event.eventId],
  ["orderId", "text", (r) => r.event.orderId],
  ["source", "text", (r) => r.event.source],
  ["status", "text", (r) => r.event.status],
  ["errors", "jsonb", (r) => r.event.errors],
  ["params", "jsonb", (r) => r.event.params],
  ["userData", "jsonb", (r) => r.event.userData],
  // The health fold's bits (lib/health/keys.ts): a few integer operations here instead of
  // fourteen JSON searches per event in the fold.
  ["quality", "int4", (r) => quality(r.event.userData, r.event.errors)],
  ["context", "jsonb", (r) => r.event.context],
  ["consent", "jsonb", (r) => r.event.consent],
  ["region", "text", (r) => r.event.region],
  ["test", "bool", (r) => r.event.test],
  ["eventTime", "timestamptz", (r) => r.event.eventTime],
  ["eventKey", "text", (r) => r.event.eventKey],
  ["orderKey", "text", (r) => r.event.orderKey],
];
const DELIVERY_COLUMNS: Column<DeliveryRow>[] = [
  ["id", "text", (r) => r.id],
  ["teamId", "text", (r) => r.teamId],
  ["collectedEventId", "text", (r) => r.collectedEventId],
  ["destinationId", "text", (r) => r.delivery.destinationId],
  ["platform", "text", (r) => r.delivery.platform],
  ["status", "text", (r) => r.delivery.status],
  ["nextAttemptAt", "timestamptz", (r) => r.nextAttemptAt],
  ["eventName", "text", (r) => r.delivery.eventName],
  ["target", "jsonb", (r) => r.delivery.target],
];

const names = <R>(columns: Column<R>[]) => columns.map(([name]) => `"${name}"`).join(", ");
/** `unnest($first::type[], …) AS alias("column", …)`: the columns' arrays side by side as rows. */
const unnest = <R>(columns: Column<R>[], first: number, alias: string) =>
  `unnest(${columns.map(([, type], i) => `$${first + i}::${type}[]`).join(", ")}) AS ${alias}(${names(columns)})`;
const arrays = <R>(columns: Column<R>[], rows: R[], now: Date) => columns.map(([, type, value]) => [type, rows.map((row) => value(row, now))] as const);

const INSERT = `WITH stored AS (
    INSERT INTO "CollectedEvent" (${names(EVENT_COLUMNS)})
    SELECT * FROM ${unnest(EVENT_COLUMNS, 1, "t")}
    ON CONFLICT DO NOTHING
    RETURNING id
  ), ms AS (
    -- As the receivedAt column stores now(): a timestamp(3), rounded to the millisecond.
    SELECT lpad(to_hex(floor(extract(epoch FROM now()::timestamp(3)) * 1000)::bigint), 12, '0') AS h
  ), outbox AS (
    INSERT INTO "Delivery" (${names(DELIVERY_COLUMNS)})
    SELECT substr(ms.h, 1, 8) || '-' || substr(ms.h, 9, 4) || '-' || substr(d.id, 15), ${DELIVERY_COLUMNS.slice(1).map(([name]) => `d."${name}"`).join(", ")}
    FROM ${unnest(DELIVERY_COLUMNS, EVENT_COLUMNS.length + 1, "d")}
    JOIN stored ON stored.id = d."collectedEventId" CROSS JOIN ms
  )
  SELECT id FROM stored`;

/**
 * One statement: the events (rejected ones with their reasons, accepted ones with their
 * keys) and, for each accepted event that turned out new, its outbox rows. Returns the ids
 * of the events stored; an accepted event missing from them collided with a stored key.
 */
async function insert(sql: Sql, items: Item[]): Promise<Set<string>> {
  const now = Date.now();
  const receivedAt = new Date(now);
  // Sorted by key, so concurrent statements take key locks in one order.
  const sorted = [...items].sort((a, b) => {
    const [x, y] = [a.event.eventKey ?? "", b.event.eventKey ?? ""];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  // Outbox ids are UUIDv7 whose millisecond the statement itself writes from now(), the
  // transaction time that is also the events' receivedAt: the event stream finds an event's
  // deliveries by that id range (lib/stream/events.ts), with no index on collectedEventId.
  // Only the random tail (from the version digit on) comes from here.
  const deliveries: DeliveryRow[] = sorted.flatMap(({ env, event }) =>
    event.deliveries.map((delivery) => ({ id: uuidv7(now), teamId: env.teamId, collectedEventId: event.id, delivery, nextAttemptAt: new Date(now + delivery.delayMs) })),
  );
  const rows = await sql.query<{ id: string }>(INSERT, sql.arrays([...arrays(EVENT_COLUMNS, sorted, receivedAt), ...arrays(DELIVERY_COLUMNS, deliveries, receivedAt)]), "tagpipe_collect_insert");
  return new Set(rows.map((r) => r.id));
}

const keysOf = (items: Item[]) => JSON.stringify(items.map(({ env, event }) => ({ e: env.environmentId, n: event.name, k: event.eventKey, o: event.orderKey })));

/** Clears the keys of stored events that own a collided key but are older than the dedup window. */
async function takeOverExpired(sql: Sql, items: Item[]): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE "CollectedEvent" c SET "eventKey" = NULL, "orderKey" = NULL
     FROM json_to_recordset($1::json) AS t(e text, n text, k text, o text)
     WHERE c."environmentId" = t.e AND c.name = t.n AND (c."eventKey" = t.k OR c."orderKey" = t.o) AND c."receivedAt" < $2::timestamptz
     RETURNING c.id`,
    [keysOf(items), new Date(Date.now() - DEDUP_WINDOW_MS).toISOString()],
  );
  return rows.length > 0;
}

/**
 * Merges copies into the stored events owning their keys: the event_id's owner, else the
 * order_id's. The same statement logs each merge for the health rollups (EventMerge: the
 * stored event's source and match keys before and after), so a merge is counted exactly
 * once with the change it made. The owners are locked first (`locked`): their source and
 * keys are read as they are when this statement changes them, even when another copy
 * merged into them a moment before.
 */
async function merge(sql: Sql, items: Item[]): Promise<void> {
  await sql.query(
    `WITH m AS (
       SELECT t.*, COALESCE(
         (SELECT x.id FROM "CollectedEvent" x WHERE x."environmentId" = t.e AND x.name = t.n AND x."eventKey" = t.k),
         (SELECT x.id FROM "CollectedEvent" x WHERE x."environmentId" = t.e AND x.name = t.n AND x."orderKey" = t.o)) AS target
       FROM json_to_recordset($1::json) AS t(e text, n text, k text, o text, source text, params jsonb, "userData" jsonb, context jsonb, wait int)
     ), locked AS (
       SELECT x.id, x."teamId", x."siteId", x."environmentId", x.name, x.region, x.source, x."userData", x."receivedAt"
       FROM "CollectedEvent" x WHERE x.id IN (SELECT target FROM m) ORDER BY x.id FOR UPDATE
     ), merged AS (
       UPDATE "CollectedEvent" c SET
         "source" = CASE WHEN c."source" = m.source THEN c."source" ELSE 'both' END,
         "params" = CASE WHEN m.source <> 'browser' THEN c."params" || m.params ELSE m.params || c."params" END,
         "userData" = CASE WHEN m.source <> 'browser' THEN c."userData" || m."userData" ELSE m."userData" || c."userData" END,
         -- Its match keys changed: the fold reads them from userData (lib/health/keys.ts qualitySql).
         quality = NULL,
         -- The stored context wins, but the Google tags either copy says ran all count.
         "context" = ${withFiredSql('(m.context || c."context")', "m.context->'fired'")}
       FROM m JOIN locked l ON l.id = m.target
       WHERE c.id = m.target
       RETURNING c.id, c.source, c."userData", m.source AS "copySource", m.wait
     ), hurried AS (
       -- A server event's fill-in copies wait for the browser's (lib/platforms/delivery-mode.ts):
       -- it came, saying which tags ran, so the worker decides now instead of at the deadline;
       -- or that they were still loading (pending), so they wait for its follow-up report.
       UPDATE "Delivery" d SET "nextAttemptAt" = now() + g.wait * interval '1 millisecond'
       FROM merged g JOIN locked l ON l.id = g.id
       WHERE g."copySource" = 'browser' AND l.source = 'server' AND ${deliveriesOfEventSql("l")}
         AND d.status = 'pending' AND d.attempts = 0 AND d."nextAttemptAt" > now() + g.wait * interval '1 millisecond' AND d.target ? 'fillIn'
     )
     INSERT INTO "EventMerge" ("teamId", "siteId", "environmentId", name, region, "copySource", copies, "targetReceivedAt", "oldSource", "newSource", "oldKeys", "newKeys")
     SELECT l."teamId", l."siteId", l."environmentId", l.name, COALESCE(l.region, ''), g."copySource", (SELECT count(*) FROM m WHERE m.target = g.id),
            l."receivedAt", l.source, g.source, ${keysMaskSql('l."userData"')}, ${keysMaskSql('g."userData"')}
     FROM merged g JOIN locked l ON l.id = g.id`,
    [
      JSON.stringify(
        items.map(({ env, event }) => ({
          e: env.environmentId,
          n: event.name,
          k: event.eventKey,
          o: event.orderKey,
          source: event.source,
          params: event.params,
          userData: event.userData,
          context: event.context,
          wait: event.pendingMs,
        })),
      ),
    ],
  );
}

/**
 * Copies folded into another of the same batch (no stored row changed for them): logged
 * for the health rollups as merges that changed nothing, since the stored event was
 * written with both sources already. Runs only when a batch held such copies. A crash
 * between the batch's commit and this statement loses their count (never doubles it).
 */
async function logFolded(sql: Sql, folded: { first: Item; copy: Item }[]): Promise<void> {
  await sql.query(
    `INSERT INTO "EventMerge" ("teamId", "siteId", "environmentId", name, region, "copySource", copies, "targetReceivedAt", "oldSource", "newSource")
     SELECT t.team, t.site, t.env, t.name, t.region, t.source, 1, now(), '', ''
     FROM json_to_recordset($1::json) AS t(team text, site text, env text, name text, region text, source text)`,
    [JSON.stringify(folded.map(({ first, copy }) => ({ team: first.env.teamId, site: first.env.siteId, env: first.env.environmentId, name: first.event.name, region: first.event.region ?? "", source: copy.event.source })))],
  );
}

export type FollowUp = { event_id: string; name: string; fired: string[] };

/**
 * The runtime's follow-up reports (lib/collector/schema.ts `reports`) on events that left
 * with `pending` Google tags: each adds the tags that ran to the stored event's `fired`
 * (the worker then suppresses their server copy, as for a browser copy that said so) and
 * makes the event's waiting fill-in deliveries due now, so the worker decides at once
 * instead of at the deadline. Only events of `environmentId` (the key that sent them);
 * only `fired` changes, nothing of the event's data, and nothing is counted as a copy (no
 * EventMerge). A report on an unknown event changes nothing.
 */
export async function applyReports(environmentId: string, reports: FollowUp[]): Promise<{ applied: number; unknown: number }> {
  const byEvent = new Map<string, FollowUp>();
  for (const r of reports) {
    const key = `${r.name}\u0000${r.event_id}`;
    const seen = byEvent.get(key);
    byEvent.set(key, seen ? { ...r, fired: unionFired(seen.fired, r.fired) ?? [] } : r);
  }
  const { sql } = await database();
  const [row] = await sql.query<{ applied: number }>(
    `WITH t AS (
       SELECT * FROM json_to_recordset($2::json) AS t(n text, k text, fired jsonb)
     ), ev AS (
       UPDATE "CollectedEvent" c SET context = ${withFiredSql("c.context", "t.fired")}
       FROM t WHERE c."environmentId" = $1 AND c.name = t.n AND c."eventKey" = t.k
       RETURNING c.id, c."receivedAt"
     ), hurried AS (
       UPDATE "Delivery" d SET "nextAttemptAt" = now()
       FROM ev e
       WHERE ${deliveriesOfEventSql("e")} AND d.status = 'pending' AND d.attempts = 0 AND d."nextAttemptAt" > now() AND d.target ? 'fillIn'
     )
     SELECT count(*)::int AS applied FROM ev`,
    [environmentId, JSON.stringify([...byEvent.values()].map((r) => ({ n: r.name, k: r.event_id, fired: r.fired })))],
  );
  outboxWritten();
  return { applied: row.applied, unknown: byEvent.size - row.applied };
}
