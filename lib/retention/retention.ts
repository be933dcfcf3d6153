// Retention: what is older than a team's window (Team.retentionDays, else
// TAGPIPE_RETENTION_DAYS, 90) is deleted — collected events, their finished deliveries,
// the forwarder's request log and the hourly health rollups — in bounded batches, each
// its own short statement (no lock held long, no transaction that holds back vacuum or
// the health fold's boundary), with a pause between batches so intake keeps the
// database. Every batch is found through an index that already exists for other reads:
//
// - CollectedEvent: (environmentId, receivedAt), one environment at a time; each batch's
//   deliveries by the UUIDv7 primary-key range of its events' milliseconds (createdAt is
//   the collector's transaction time, the event's receivedAt), and deleted with them. Not
//   by collectedEventId: that column has no index on purpose (each costs the collector's
//   insert, lib/collector/ids.ts).
// - DeliveryRequest: (teamId, sentAt), added for this (one entry per request, not per event).
// - HealthRollup: (teamId, span, hour).
//
// The rules that keep it from deleting what is still needed:
// - a delivery goes only when finished (delivered, dead, suppressed, held) and its outcome
//   has been folded into the rollups (no DeliveryOutcome row names it): the fold joins the
//   outcome to the delivery and its event, and would lose the count otherwise;
// - an event goes only when none of its deliveries is left (found by the UUIDv7 id range
//   of its millisecond, lib/collector/ids.ts, once per batch and millisecond) and the
//   health fold has counted it (receivedAt before the HealthFold watermark). So a pending
//   delivery is never orphaned: an old event waits for its last delivery to finish, and
//   both go in a later pass;
// - EventMerge and DeliveryOutcome rows are the fold's own log, deleted by the fold as it
//   counts them: retention leaves them alone;
// - hourly rollups are kept at least ROLLUP_HOURS_DAYS (the 30-day charts at hour grain
//   and the alerts' four-week baselines read them); daily rollups are kept.
//
// Deleting an old event frees its dedup keys (the unique eventKey/orderKey indexes only
// matter for 48 h: lib/collector/prepare.ts DEDUP_WINDOW_MS), so the indexes stop growing.
import { database } from "../db";
import { env } from "../env";
import { deliveryIdsOfMillisecondSql } from "../collector/ids";
import { distinctValuesSql, drainDeletes, sleep } from "../config/purge";
import { FOLDED_UNTIL } from "../health/rollups";

/** Rows per statement: each deletes in a few tens of milliseconds (docs/hardening.md). */
export const RETENTION_BATCH = 5_000;
/** Hourly rollups are kept at least this long, whatever the window. */
export const ROLLUP_HOURS_DAYS = 35;
/** The statuses a delivery ends in; a pending one is never deleted. */
export const FINISHED_DELIVERY = ["delivered", "dead", "suppressed", "held"] as const;
const FINISHED_SQL = FINISHED_DELIVERY.map((s) => `'${s}'`).join(", ");
const DAY_MS = 86_400_000;

export type RetentionTable = "Delivery" | "DeliveryRequest" | "CollectedEvent" | "HealthRollup";
export type RetentionResult = { deleted: Record<RetentionTable, number>; batches: number; ms: number };
export type RetentionOptions = {
  /** The pass's clock (tests move it). */
  now?: Date;
  batch?: number;
  /** Sleep between batches, so intake keeps the database (TAGPIPE_RETENTION_PAUSE_MS). */
  pauseMs?: number;
  signal?: AbortSignal;
};

const distinct = distinctValuesSql;

const DELETE_REQUESTS = `WITH gone AS (
    DELETE FROM "DeliveryRequest" WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM "DeliveryRequest" WHERE "teamId" = $1 AND "sentAt" < $2::timestamp ORDER BY "sentAt" LIMIT $3))
    RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

// $1 environment, $2 cutoff, $3/$4 the keyset (receivedAt, id) past which to look, $5 batch,
// $6 the fold's watermark (events at or after it stay: their counts are not folded yet).
// One statement per batch of old events deletes their finished deliveries and then the
// events none of whose deliveries is left. The deliveries are found once per batch,
// set-based: one primary-key range scan per distinct millisecond of the candidates (a
// group commit puts up to 5,000 events in one millisecond; a probe per event walked its
// whole range for each), so each delivery is read once, live, next to its event. Deleting
// deliveries in a phase of their own, before the events, made the events' check walk the
// index entries of those just-deleted rows — each a random heap read to learn it is dead,
// 86–150 s per batch once the database outgrew memory (docs/benchmarks.md, 50M growth).
// A delivery that changes while the statement waits for its lock (a dead letter replayed
// to pending, a status marked) is not deleted, so its event is kept: the event goes only
// when every delivery found was deleted here. The keyset steps over the events kept back,
// so each is read once a pass.
// The forms keep the plan on indexes at any size (checked with EXPLAIN on 20M events and
// deliveries; a first version joined the candidates inside the lateral and deleted
// `USING found`, and the planner, expecting millions of rows, scanned all of Delivery
// twice per batch): the lateral's OFFSET 0 keeps it a per-millisecond primary-key range
// scan, the deliveries are deleted by `ctid = ANY(ARRAY(…))` (a TID scan), and the
// events kept are an anti-join of the two CTEs.
const DELETE_EVENTS = `WITH candidates AS (
    SELECT c.ctid, c.id, c."receivedAt" FROM "CollectedEvent" c
    WHERE c."environmentId" = $1 AND c."receivedAt" < $2::timestamp
      AND c."receivedAt" >= $3::timestamp AND (c."receivedAt", c.id) > ($3::timestamp, $4::text)
    ORDER BY c."receivedAt", c.id LIMIT $5
  ), ranged AS MATERIALIZED (
    SELECT d.ctid, d.id, d."collectedEventId", d.status
    FROM (SELECT DISTINCT floor(extract(epoch FROM "receivedAt") * 1000)::bigint AS ms FROM candidates) m
    CROSS JOIN LATERAL (SELECT d.ctid, d.id, d."collectedEventId", d.status FROM "Delivery" d WHERE ${deliveryIdsOfMillisecondSql("m.ms")} OFFSET 0) d
  ), found AS MATERIALIZED (
    SELECT r.ctid, r.id, r."collectedEventId" AS event,
           r.status IN (${FINISHED_SQL}) AND r.id NOT IN (SELECT o."deliveryId" FROM "DeliveryOutcome" o) AS finished
    FROM ranged r JOIN candidates k ON k.id = r."collectedEventId"
  ), deliveries AS (
    DELETE FROM "Delivery" d
    WHERE d.ctid = ANY(ARRAY(SELECT ctid FROM found WHERE finished)) AND d.status IN (${FINISHED_SQL})
    RETURNING d.id
  ), kept AS MATERIALIZED (
    SELECT f.event AS id FROM found f LEFT JOIN deliveries g ON g.id = f.id WHERE g.id IS NULL
  ), gone AS (
    DELETE FROM "CollectedEvent" c USING candidates k
    WHERE c.ctid = k.ctid AND k."receivedAt" < $6::timestamp AND NOT EXISTS (SELECT 1 FROM kept WHERE kept.id = k.id)
    RETURNING 1
  ), last AS (SELECT "receivedAt"::text AS at, id FROM candidates ORDER BY "receivedAt" DESC, id DESC LIMIT 1)
  SELECT (SELECT count(*) FROM gone)::int AS n, (SELECT count(*) FROM deliveries)::int AS deliveries,
         (SELECT count(*) FROM candidates)::int AS scanned, (SELECT at FROM last), (SELECT id FROM last)`;

const DELETE_ROLLUPS = `WITH gone AS (
    DELETE FROM "HealthRollup" WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM "HealthRollup" WHERE "teamId" = $1 AND span = 'hour' AND hour < $2::timestamp ORDER BY hour LIMIT $3))
    RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

/** A timestamp column's value for a time (the columns are timestamp without time zone, UTC). */
const stamp = (ms: number) => new Date(ms).toISOString().replace("Z", "");

/** The default window, in days (TAGPIPE_RETENTION_DAYS). */
export function defaultRetentionDays(): number {
  return env().TAGPIPE_RETENTION_DAYS;
}

/** One retention pass over every team; answers what it deleted. */
export async function runRetention(options: RetentionOptions = {}): Promise<RetentionResult> {
  const started = Date.now();
  const now = (options.now ?? new Date()).getTime();
  const batch = options.batch ?? RETENTION_BATCH;
  const pauseMs = options.pauseMs ?? env().TAGPIPE_RETENTION_PAUSE_MS;
  const { sql } = await database();
  const deleted: Record<RetentionTable, number> = { Delivery: 0, DeliveryRequest: 0, CollectedEvent: 0, HealthRollup: 0 };
  let batches = 0;

  const fallback = defaultRetentionDays();
  const teams = new Map((await sql.query<{ id: string; days: number | null }>(`SELECT id, "retentionDays" AS days FROM "Team"`)).map((t) => [t.id, t.days ?? fallback]));
  // Rows of a team that no longer exists keep the default window (a team's deletion purges them).
  const cutoff = (teamId: string) => now - (teams.get(teamId) ?? fallback) * DAY_MS;

  /** Repeats one bounded statement until it deletes less than a batch, pausing between. */
  const drain = async (table: RetentionTable, statement: string, params: unknown[]) => {
    const run = await drainDeletes(sql, statement, params, { batch, pauseMs, signal: options.signal });
    deleted[table] += run.rows;
    batches += run.batches;
  };

  const requestTeams = (await sql.query<{ v: string }>(distinct("DeliveryRequest", "teamId"))).map((r) => r.v);
  for (const teamId of requestTeams) await drain("DeliveryRequest", DELETE_REQUESTS, [teamId, stamp(cutoff(teamId))]);

  // Events never past what the health fold has counted (lib/health/rollups.ts folds by
  // receivedAt from its watermark); their finished deliveries go regardless.
  const [{ folded }] = await sql.query<{ folded: string }>(`SELECT (${FOLDED_UNTIL})::text AS folded`);
  const environments = await sql.query<{ v: string; teamId: string | null }>(
    `SELECT e.v, (SELECT c."teamId" FROM "CollectedEvent" c WHERE c."environmentId" = e.v LIMIT 1) AS "teamId" FROM (${distinct("CollectedEvent", "environmentId")}) e`,
  );
  for (const { v: environmentId, teamId } of environments) {
    let after: { at: string; id: string } = { at: "-infinity", id: "" };
    for (;;) {
      if (options.signal?.aborted) break;
      const [row] = await sql.query<{ n: number; deliveries: number; scanned: number; at: string | null; id: string | null }>(DELETE_EVENTS, [
        environmentId,
        stamp(cutoff(teamId ?? "")),
        after.at,
        after.id,
        batch,
        folded,
      ]);
      deleted.CollectedEvent += row.n;
      deleted.Delivery += row.deliveries;
      batches++;
      if (row.scanned < batch || row.at === null || row.id === null) break;
      after = { at: row.at, id: row.id };
      await sleep(pauseMs, options.signal);
    }
  }

  const rollupTeams = (await sql.query<{ v: string }>(distinct("HealthRollup", "teamId"))).map((r) => r.v);
  for (const teamId of rollupTeams) {
    await drain("HealthRollup", DELETE_ROLLUPS, [teamId, stamp(Math.min(cutoff(teamId), now - ROLLUP_HOURS_DAYS * DAY_MS))]);
  }
  return { deleted, batches, ms: Date.now() - started };
}
