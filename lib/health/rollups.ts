// The health rollups: hourly counts per site, environment, event, source, region and
// destination (HealthRollup), folded off the hot path. Pages and the API read only these.
//
// What is folded, each exactly once:
// - CollectedEvent rows, by receivedAt, from a watermark (HealthFold) up to a boundary
//   below which no transaction can still commit a row: the oldest open transaction's
//   start (pg_stat_activity), read BEFORE the fold's snapshot is taken. receivedAt is
//   the inserting transaction's own start time (the column's default), so a row older
//   than the boundary belongs to a transaction that had ended when the boundary was read.
// - EventMerge rows (the collector's dedup merges) and DeliveryOutcome rows (the
//   forwarder's outcomes): a log the writers append to in the statement that makes the
//   change; the fold deletes what it counts.
// The counts, the deletes and the new watermark commit in one REPEATABLE READ
// transaction, so a crash or a restart folds nothing twice and nothing never; one
// snapshot means a merge is either in the event's folded state or in the log, not both.
// The fold is a scheduled job of the leader process (lib/leader.ts). Should two
// processes run it for a moment (a leader that lost its lock's connection, and the next)
// or a test call it directly: an advisory lock lets one at a time in, and the
// watermark row is locked too (a fold that read it stale fails to serialize, and retries
// on its next tick).
import { waitForWork } from "../forwarder/wake";
import { database, type Sql } from "../db";
import { MATCH_KEYS, PARAM_CHECKS, qualitySql } from "./keys";

const LOCK = "hashtext('tagpipe.health.fold')";
/** SQL: the time before which every stored event is counted in the rollups (the watermark; -infinity before the first fold). */
export const FOLDED_UNTIL = `COALESCE((SELECT watermark FROM "HealthFold" WHERE id = 'events'), '-infinity'::timestamp)`;
/** Events folded per transaction at most, by time: keeps each fold short after downtime or a bulk load. */
const CHUNK = "6 hours";
/** Delivery outcomes folded per transaction at most. */
const OUTCOMES_PER_FOLD = 200_000;

const DIMS = ["teamId", "siteId", "environmentId", "hour", "name", "source", "region", "destinationId"] as const;
const COUNTS = ["received", "accepted", "rejected", "duplicates", "delivered", "failed", "dead"] as const;
const KEY_COLUMNS = MATCH_KEYS.map((k) => k.column);
const ERR_COLUMNS = PARAM_CHECKS.map((c) => c.column);
const VALUES = [...COUNTS, ...KEY_COLUMNS, ...ERR_COLUMNS];
const q = (name: string) => `"${name}"`;

/** A row of the contributions: the dims, then one expression per value column (0 where it does not apply). */
function contribution(dims: string[], values: Partial<Record<(typeof VALUES)[number], string>>): string {
  return `SELECT ${[...dims.map((d, i) => `${d} AS ${q(DIMS[i])}`), ...VALUES.map((v) => `(${values[v as keyof typeof values] ?? "0"})::int AS ${q(v)}`)].join(", ")}`;
}

const hourOf = (expr: string) => `date_trunc('hour', ${expr})`;
/** Counts of rows whose quality bits (lib/health/keys.ts) hold each match key, among those passing `filter`. */
const keyCounts = (filter: string, bits: string) => Object.fromEntries(MATCH_KEYS.map((k) => [k.column, `count(*) FILTER (WHERE ${filter} AND ${bits} & ${k.bit} <> 0)`]));
const keyBits = (mask: string, sign: string) => Object.fromEntries(MATCH_KEYS.map((k) => [k.column, `${sign}(CASE WHEN ${mask} & ${k.bit} <> 0 THEN 1 ELSE 0 END)`]));

// $1: this fold's start (nothing was received between the watermark and it), $2: its end.
const FOLD = `WITH ev AS (
    SELECT c.* FROM "Environment" env CROSS JOIN LATERAL (
      SELECT c."teamId", c."siteId", c."environmentId", c."receivedAt", c.name, c.source, c.region, c.status, ${qualitySql("c")} AS bits
      FROM "CollectedEvent" c
      WHERE c."environmentId" = env.id AND c."receivedAt" >= $1::timestamp AND c."receivedAt" < $2::timestamp) c
  ), mg AS (
    DELETE FROM "EventMerge" RETURNING *
  ), dl AS (
    -- Outcomes are independent of the events' snapshot: taken in bounded portions.
    DELETE FROM "DeliveryOutcome" WHERE id IN (SELECT id FROM "DeliveryOutcome" ORDER BY id LIMIT ${OUTCOMES_PER_FOLD}) RETURNING *
  ), contrib AS (
    ${contribution(['"teamId"', '"siteId"', '"environmentId"', hourOf('"receivedAt"'), "name", "source", "COALESCE(region, '')", "''"], {
      received: "count(*)",
      accepted: "count(*) FILTER (WHERE status = 'accepted')",
      rejected: "count(*) FILTER (WHERE status = 'rejected')",
      ...keyCounts("status = 'accepted'", "bits"),
      ...Object.fromEntries(PARAM_CHECKS.map((c) => [c.column, `count(*) FILTER (WHERE bits & ${c.bit} <> 0)`])),
    })}
    FROM ev GROUP BY 1, 2, 3, 4, 5, 6, 7
    UNION ALL
    ${contribution(['"teamId"', '"siteId"', '"environmentId"', hourOf("at"), "name", '"copySource"', "region", "''"], { received: "copies", duplicates: "copies" })}
    FROM mg
    UNION ALL
    ${contribution(['"teamId"', '"siteId"', '"environmentId"', hourOf('"targetReceivedAt"'), "name", '"oldSource"', "region", "''"], { received: "-1", accepted: "-1", ...keyBits('"oldKeys"', "-") })}
    FROM mg WHERE "targetReceivedAt" < $1::timestamp AND ("oldSource" <> "newSource" OR "oldKeys" <> "newKeys")
    UNION ALL
    ${contribution(['"teamId"', '"siteId"', '"environmentId"', hourOf('"targetReceivedAt"'), "name", '"newSource"', "region", "''"], { received: "1", accepted: "1", ...keyBits('"newKeys"', "") })}
    FROM mg WHERE "targetReceivedAt" < $1::timestamp AND ("oldSource" <> "newSource" OR "oldKeys" <> "newKeys")
    UNION ALL
    ${contribution(['e."teamId"', 'e."siteId"', 'e."environmentId"', hourOf("o.at"), "e.name", "e.source", "COALESCE(e.region, '')", 'd."destinationId"'], {
      delivered: "o.outcome = 'delivered'",
      failed: "o.outcome <> 'delivered'",
      dead: "o.outcome = 'dead'",
      ...Object.fromEntries(MATCH_KEYS.map((k) => [k.column, `o.outcome = 'delivered' AND o.keys & ${k.bit} <> 0`])),
    })}
    -- One primary-key lookup per outcome (LIMIT 1 keeps the planner from hashing both
    -- whole tables, which it chose for a portion of 200,000 after downtime: 40 s a fold).
    FROM dl o
    CROSS JOIN LATERAL (SELECT x."destinationId", x."collectedEventId" FROM "Delivery" x WHERE x.id = o."deliveryId" LIMIT 1) d
    CROSS JOIN LATERAL (SELECT x."teamId", x."siteId", x."environmentId", x.name, x.source, x.region FROM "CollectedEvent" x WHERE x.id = d."collectedEventId" LIMIT 1) e
  ), spans AS (
    SELECT 'hour' AS span, * FROM contrib
    UNION ALL
    SELECT 'day', ${DIMS.map((d) => (d === "hour" ? `date_trunc('day', "hour")` : q(d))).join(", ")}, ${VALUES.map(q).join(", ")} FROM contrib
  ), cells AS (
    INSERT INTO "HealthRollup" (span, ${[...DIMS, ...VALUES].map(q).join(", ")})
    SELECT span, ${DIMS.map(q).join(", ")}, ${VALUES.map((v) => `sum(${q(v)})::int`).join(", ")}
    FROM spans GROUP BY span, ${DIMS.map(q).join(", ")}
    ON CONFLICT ("siteId", "span", "hour", "environmentId", "name", "source", "region", "destinationId") DO UPDATE SET
      ${VALUES.map((v) => `${q(v)} = "HealthRollup".${q(v)} + EXCLUDED.${q(v)}`).join(", ")}
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM ev)::int AS events, (SELECT count(*) FROM mg)::int AS merges, (SELECT count(*) FROM dl)::int AS outcomes, (SELECT count(*) FROM cells)::int AS cells`;

/** The first event received at or after $1, over every environment's index (a range scan: no OR, which read each index from its start). */
const NEXT_EVENT = `SELECT min(f."receivedAt")::text AS at FROM "Environment" env CROSS JOIN LATERAL (
    SELECT c."receivedAt" FROM "CollectedEvent" c
    WHERE c."environmentId" = env.id AND c."receivedAt" >= $1::timestamp
    ORDER BY c."receivedAt" LIMIT 1) f`;

/**
 * Before it, every transaction has ended: the oldest open transaction's start (another
 * process's collector statement, a forwarder round), less 2 ms because receivedAt is
 * kept to the millisecond (rounded). Only this database's client backends count.
 */
const BOUNDARY = `SELECT (LEAST(now(), COALESCE(min(xact_start), now()))::timestamp(3) - interval '2 milliseconds')::text AS boundary
  FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND backend_type = 'client backend'`;

export type FoldResult = { events: number; merges: number; outcomes: number; cells: number; watermark: string; caughtUp: boolean };

/**
 * One fold: counts what arrived since the watermark into the rollups. Returns null when
 * another process is folding (or just folded: this one read a stale watermark).
 */
export async function foldOnce(): Promise<FoldResult | null> {
  const db = await database();
  const [{ boundary }] = await db.sql.query<{ boundary: string }>(BOUNDARY);
  try {
    return await db.transaction(async (sql) => {
      await sql.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      // The fold's estimates are large (a portion of outcomes), which made PostgreSQL JIT-compile
      // it: 5.6 s of compilation for 30 ms of work, measured. Plain execution is the fast one.
      await sql.query("SET LOCAL jit = off");
      const [{ locked }] = await sql.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(${LOCK}) AS locked`);
      if (!locked) return null;
      return fold(sql, boundary);
    });
  } catch (error) {
    // 40001: another fold committed after this one's snapshot; it did the work.
    if ((error as { code?: string }).code === "40001") return null;
    throw error;
  }
}

async function fold(sql: Sql, boundary: string): Promise<FoldResult> {
  const [state] = await sql.query<{ watermark: string }>(`SELECT watermark::text AS watermark FROM "HealthFold" WHERE id = 'events' FOR UPDATE`);
  // Skip stretches without events: the next fold starts at the first event after the watermark.
  const [{ at: next }] = await sql.query<{ at: string | null }>(NEXT_EVENT, [state?.watermark ?? "-infinity"]);
  // The window [start, end), and whether there is anything to count: an event in it, or a
  // merge or outcome logged. Nothing is the idle server's every fold (the 30 s safety net):
  // the watermark then moves without the fold's statement, whose planning alone is most of
  // an empty fold's cost (docs/health.md, "Folding, exactly once").
  const [{ start, end, caughtUp, pending }] = await sql.query<{ start: string; end: string; caughtUp: boolean; pending: boolean }>(
    // Never backwards: a boundary read before another process's fold moved the watermark
    // past it leaves the window empty (the watermark stays), it does not rewind it.
    `SELECT s::text AS start, e::text AS "end", e >= $2::timestamp AS "caughtUp",
            COALESCE($3::timestamp < e, false) OR EXISTS (SELECT 1 FROM "EventMerge") OR EXISTS (SELECT 1 FROM "DeliveryOutcome") AS pending
     FROM (SELECT s, GREATEST(s, LEAST($2::timestamp, s + interval '${CHUNK}')) AS e
           FROM (SELECT GREATEST(COALESCE($1::timestamp, '-infinity'::timestamp), LEAST(COALESCE($3::timestamp, $2::timestamp), $2::timestamp)) AS s) x) w`,
    [state?.watermark ?? null, boundary, next],
  );
  const counts: Omit<FoldResult, "watermark" | "caughtUp"> = pending
    ? (await sql.query<Omit<FoldResult, "watermark" | "caughtUp">>(FOLD, [start, end]))[0]
    : { events: 0, merges: 0, outcomes: 0, cells: 0 };
  await sql.query(
    `INSERT INTO "HealthFold" (id, watermark, "foldedAt") VALUES ('events', $1::timestamp, now())
     ON CONFLICT (id) DO UPDATE SET watermark = EXCLUDED.watermark, "foldedAt" = now()`,
    [end],
  );
  return { ...counts, watermark: end, caughtUp: caughtUp && counts.outcomes < OUTCOMES_PER_FOLD };
}

/** Folds until caught up with the boundary (a bulk load takes several chunks). */
export async function foldAll(): Promise<FoldResult[]> {
  const results: FoldResult[] = [];
  for (;;) {
    const result = await foldOnce();
    if (!result) return results;
    results.push(result);
    if (result.caughtUp) return results;
  }
}

/** Sleeps `ms`, or less when aborted. */
function waitForAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

function envMs(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/**
 * Folds when there is something to fold, at most every TAGPIPE_HEALTH_FOLD_MS (2 s), until
 * stopped; off with TAGPIPE_HEALTH=0. Runs beside the forwarder in `npm start` and `npm
 * run worker`. Woken by new events and delivery outcomes (lib/forwarder/wake.ts); when
 * nothing happens it folds every TAGPIPE_HEALTH_IDLE_MS (30 s) as a safety net, instead
 * of every 2 s (issue 16's idle cost).
 */
export function startFolding(log: (line: string) => void): () => Promise<void> {
  if (process.env.TAGPIPE_HEALTH === "0") return async () => {};
  const interval = envMs("TAGPIPE_HEALTH_FOLD_MS", 2000);
  const idle = envMs("TAGPIPE_HEALTH_IDLE_MS", 30_000);
  const stop = new AbortController();
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      let busy = false;
      let folded = true;
      try {
        const result = await foldOnce();
        busy = !!result && !result.caughtUp;
        folded = !result || Number(result.events) + Number(result.merges) + Number(result.outcomes) > 0;
      } catch (error) {
        log(`[health] fold failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      // A chunked backlog is folded at once. After a fold that found something, the next
      // comes an interval later, as before (rows a long transaction held back from this
      // one are folded then); after an empty one, it waits for work (or the safety net),
      // then lets it gather for the rest of the interval.
      if (!busy && !stopped) {
        const since = Date.now();
        if (!folded) await waitForWork(idle, stop.signal);
        const rest = interval - (Date.now() - since);
        if (rest > 0 && !stopped) await waitForAbort(rest, stop.signal);
      }
    }
  })();
  return async () => {
    stopped = true;
    stop.abort();
    await done;
  };
}
