// Durable writes with group commit: every request waiting while a transaction commits
// joins the next one, which writes all their events with a handful of multi-row
// statements (unnest arrays, no ORM round trip per event). A request is answered only
// after its transaction committed, so an acknowledged event is on disk.
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

async function commit(items: Item[]): Promise<EventOutcome[]> {
  const db = await database();
  return db.transaction((sql) => commitIn(sql, items));
}

async function commitIn(sql: Sql, items: Item[]): Promise<EventOutcome[]> {
  const now = Date.now();
  const outcomes: EventOutcome[] = items.map(({ event }) =>
    event.status === "rejected" ? { event_id: event.eventId, status: "rejected", errors: event.errors } : { event_id: event.eventId, status: "accepted" },
  );

  // Within the batch, the first copy of a key claims it; later copies are duplicates.
  const claimedInBatch = new Set<string>();
  const candidates: number[] = [];
  const duplicatesOf: { index: number; key: string }[] = [];
  items.forEach(({ env, event }, i) => {
    if (event.status !== "accepted") return;
    const keys = event.keys.map((k) => keyOf(env.environmentId, event.name, k));
    const hit = keys.find((k) => claimedInBatch.has(k));
    if (hit) {
      duplicatesOf.push({ index: i, key: hit });
      return;
    }
    keys.forEach((k) => claimedInBatch.add(k));
    candidates.push(i);
  });

  // 1. Claim dedup keys. RETURNING lists the keys this transaction now owns.
  const won = new Set<string>();
  if (candidates.length) {
    // Sorted, so concurrent transactions take key locks in one order and cannot deadlock.
    const rowsToClaim = candidates
      .flatMap((i) => items[i].event.keys.map((k) => ({ e: items[i].env.environmentId, n: items[i].event.name, k, c: items[i].event.id })))
      .sort((a, b) => (a.e < b.e ? -1 : a.e > b.e ? 1 : a.n < b.n ? -1 : a.n > b.n ? 1 : a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    const envIds = rowsToClaim.map((r) => r.e);
    const names = rowsToClaim.map((r) => r.n);
    const keys = rowsToClaim.map((r) => r.k);
    const eventIds = rowsToClaim.map((r) => r.c);
    const rows = await sql.query<{ environmentId: string; name: string; key: string }>(
      `INSERT INTO "DedupKey" ("environmentId", "name", "key", "collectedEventId", "expiresAt")
       SELECT e, n, k, c, $5::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(e, n, k, c)
       ON CONFLICT ("environmentId", "name", "key") DO UPDATE
         SET "collectedEventId" = EXCLUDED."collectedEventId", "expiresAt" = EXCLUDED."expiresAt"
         WHERE "DedupKey"."expiresAt" < now()
       RETURNING "environmentId", "name", "key"`,
      [envIds, names, keys, eventIds, new Date(now + DEDUP_WINDOW_MS).toISOString()],
    );
    for (const r of rows) won.add(keyOf(r.environmentId, r.name, r.key));
  }

  // 2. An event is new only if it won all its keys (event_id and, for purchases, order_id).
  const fresh: number[] = [];
  const freshSet = new Set<number>();
  const release: { e: string; n: string; k: string }[] = [];
  for (const i of candidates) {
    const { env, event } = items[i];
    const keys = event.keys.map((k) => keyOf(env.environmentId, event.name, k));
    if (keys.every((k) => won.has(k))) {
      fresh.push(i);
      freshSet.add(i);
    }
    else {
      const lost = keys.find((k) => !won.has(k))!;
      duplicatesOf.push({ index: i, key: lost });
      event.keys.forEach((k, j) => {
        if (won.has(keys[j])) release.push({ e: env.environmentId, n: event.name, k });
      });
    }
  }
  if (release.length) {
    await sql.query(
      `DELETE FROM "DedupKey" d USING unnest($1::text[], $2::text[], $3::text[]) AS t(e, n, k)
       WHERE d."environmentId" = t.e AND d."name" = t.n AND d."key" = t.k`,
      [release.map((r) => r.e), release.map((r) => r.n), release.map((r) => r.k)],
    );
  }

  // 3. Store new accepted events and every rejected one (with its reasons).
  const stored = items.map((_, i) => i).filter((i) => items[i].event.status === "rejected" || freshSet.has(i));
  if (stored.length) {
    const col = <T,>(f: (it: Item) => T) => stored.map((i) => f(items[i]));
    await sql.query(
      `INSERT INTO "CollectedEvent" ("id", "teamId", "siteId", "environmentId", "environmentKind", "versionNumber", "name", "eventId", "orderId",
         "source", "status", "errors", "params", "userData", "context", "consent", "region", "test", "eventTime", "receivedAt")
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[],
         $10::text[], $11::text[], $12::jsonb[], $13::jsonb[], $14::jsonb[], $15::jsonb[], $16::jsonb[], $17::text[], $18::boolean[], $19::timestamptz[], $20::timestamptz[])`,
      [
        col((it) => it.event.id),
        col((it) => it.env.teamId),
        col((it) => it.env.siteId),
        col((it) => it.env.environmentId),
        col((it) => it.env.kind),
        col((it) => it.env.versionNumber),
        col((it) => it.event.name),
        col((it) => it.event.eventId),
        col((it) => it.event.orderId),
        col((it) => it.event.source),
        col((it) => it.event.status),
        col((it) => JSON.stringify(it.event.errors)),
        col((it) => JSON.stringify(it.event.params)),
        col((it) => JSON.stringify(it.event.userData)),
        col((it) => JSON.stringify(it.event.context)),
        col((it) => JSON.stringify(it.event.consent)),
        col((it) => it.event.region),
        col((it) => it.event.test),
        col((it) => it.event.eventTime.toISOString()),
        col(() => new Date(now).toISOString()),
      ],
    );
  }

  // 4. The outbox: one delivery per destination of each new event.
  const deliveries = fresh.flatMap((i) => items[i].event.deliveries.map((d) => ({ item: items[i], d })));
  if (deliveries.length) {
    await sql.query(
      `INSERT INTO "Delivery" ("teamId", "collectedEventId", "destinationId", "platform", "status", "nextAttemptAt", "eventName", "target")
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::jsonb[])`,
      [
        deliveries.map((x) => x.item.env.teamId),
        deliveries.map((x) => x.item.event.id),
        deliveries.map((x) => x.d.destinationId),
        deliveries.map((x) => x.d.platform),
        deliveries.map((x) => x.d.status),
        deliveries.map((x) => new Date(now + x.d.delayMs).toISOString()),
        deliveries.map((x) => x.d.eventName),
        deliveries.map((x) => JSON.stringify(x.d.target)),
      ],
    );
  }

  // 5. Duplicates: counted once, forwarded once; a server copy enriches a browser copy
  //    (its fields win) and the stored event records that both arrived.
  if (duplicatesOf.length) {
    const merge = duplicatesOf.map(({ index, key }) => {
      const [e, n, k] = key.split("\u0000");
      return { e, n, k, event: items[index].event };
    });
    await sql.query(
      `UPDATE "CollectedEvent" c SET
         "source" = CASE WHEN c."source" = t.src THEN c."source" ELSE 'both' END,
         "params" = CASE WHEN t.src = 'server' THEN c."params" || t.params ELSE t.params || c."params" END,
         "userData" = CASE WHEN t.src = 'server' THEN c."userData" || t.ud ELSE t.ud || c."userData" END,
         "context" = t.ctx || c."context"
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::jsonb[]) AS t(e, n, k, src, params, ud, ctx)
       JOIN "DedupKey" d ON d."environmentId" = t.e AND d."name" = t.n AND d."key" = t.k
       WHERE c."id" = d."collectedEventId"`,
      [
        merge.map((m) => m.e),
        merge.map((m) => m.n),
        merge.map((m) => m.k),
        merge.map((m) => m.event.source),
        merge.map((m) => JSON.stringify(m.event.params)),
        merge.map((m) => JSON.stringify(m.event.userData)),
        merge.map((m) => JSON.stringify(m.event.context)),
      ],
    );
    for (const { index } of duplicatesOf) outcomes[index] = { event_id: items[index].event.eventId, status: "duplicate" };
  }
  return outcomes;
}
