// What a deleted site, container, environment or team leaves behind outside its
// configuration (which goes by foreign-key cascade): its collected events, their deliveries
// with the requests that carried them and the outcomes not yet folded, its merge log and
// its health rollups. These tables hold no foreign keys (each would cost the collector's
// insert: see the schema), and may hold millions of rows, so they are deleted in bounded
// batches — each batch its own short statement, so no lock is held long and intake
// elsewhere goes on — never in one statement that would lock and log the whole site at once.
import { database, type Sql } from "../db";
import { deliveriesOfEventSql } from "../collector/ids";

export const BATCH = 5_000;

/**
 * What a deletion's data is found by, read before the configuration goes: the
 * environments' events (with their deliveries, by id range), the destinations' deliveries
 * and requests, and — for a whole site — everything keyed by the site.
 */
export type PurgeKeys = { teamId: string; siteId: string; environmentIds: string[]; destinationIds: string[]; wholeSite: boolean };

/** Deliveries name the destination as published: every version's, and the draft's. */
const DESTINATIONS = `SELECT d->>'id' AS id FROM "Version" v, jsonb_array_elements(COALESCE(v.snapshot->'destinations', '[]'::jsonb)) d
  WHERE v."containerId" = ANY($1::text[])
  UNION SELECT d.id FROM "Destination" d WHERE d."containerId" = ANY($1::text[])`;

async function containerKeys(sql: Sql, teamId: string, siteId: string, containerIds: string[], wholeSite: boolean): Promise<PurgeKeys> {
  const environments = await sql.query<{ id: string }>(`SELECT id FROM "Environment" WHERE "containerId" = ANY($1::text[]) AND "teamId" = $2`, [containerIds, teamId]);
  const destinations = await sql.query<{ id: string | null }>(DESTINATIONS, [containerIds]);
  return { teamId, siteId, environmentIds: environments.map((e) => e.id), destinationIds: destinations.flatMap((d) => (d.id ? [d.id] : [])), wholeSite };
}

/** The keys of a site's data. */
export async function siteDataKeys(teamId: string, siteId: string): Promise<PurgeKeys> {
  const { sql } = await database();
  const containers = await sql.query<{ id: string }>(`SELECT id FROM "Container" WHERE "siteId" = $1 AND "teamId" = $2`, [siteId, teamId]);
  return containerKeys(sql, teamId, siteId, containers.map((c) => c.id), true);
}

/** The keys of a container's data: its environments' events and its destinations' deliveries (the site's orders stay). */
export async function containerDataKeys(teamId: string, containerId: string): Promise<PurgeKeys | null> {
  const { sql } = await database();
  const [container] = await sql.query<{ siteId: string }>(`SELECT "siteId" FROM "Container" WHERE id = $1 AND "teamId" = $2`, [containerId, teamId]);
  return container ? containerKeys(sql, teamId, container.siteId, [containerId], false) : null;
}

/** The keys of one environment's data: its events with their deliveries (the destinations stay). */
export async function environmentDataKeys(teamId: string, environmentId: string): Promise<PurgeKeys | null> {
  const { sql } = await database();
  const [environment] = await sql.query<{ siteId: string }>(
    `SELECT c."siteId" FROM "Environment" e JOIN "Container" c ON c.id = e."containerId" WHERE e.id = $1 AND e."teamId" = $2`,
    [environmentId, teamId],
  );
  return environment ? { teamId, siteId: environment.siteId, environmentIds: [environmentId], destinationIds: [], wholeSite: false } : null;
}

/** How a run of bounded deletes goes: rows per statement, the sleep between statements, when to stop. */
export type DrainOptions = {
  batch?: number;
  /** Sleep between batches, so intake keeps the database (the retention pass and the background purge). */
  pauseMs?: number;
  /** Stops between batches (what is left stays for the next run). */
  signal?: AbortSignal;
};

/** Sleeps `ms`, or less if `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/**
 * Repeats one bounded DELETE (its last parameter the batch size, answering `n` rows) until
 * it deletes less than a batch, pausing between; answers the rows deleted and the statements run.
 */
export async function drainDeletes(sql: Sql, statement: string, params: unknown[], options: DrainOptions = {}): Promise<{ rows: number; batches: number }> {
  const batch = options.batch ?? BATCH;
  let rows = 0;
  let batches = 0;
  for (;;) {
    if (options.signal?.aborted) return { rows, batches };
    const [row] = await sql.query<{ n: number }>(statement, [...params, batch]);
    const n = Number(row?.n ?? 0);
    rows += n;
    batches++;
    if (n < batch) return { rows, batches };
    await sleep(options.pauseMs ?? 0, options.signal);
  }
}

/** `DELETE` of at most $last rows of `table` matching `where`, answering the count. */
const bounded = (table: string, where: string, last: number) => `WITH gone AS (DELETE FROM "${table}" WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM "${table}" WHERE ${where} LIMIT $${last})) RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

// $1 environments, $2 batch: events with their deliveries (found by the events' id range,
// whatever destination they went to) and those deliveries' unfolded outcomes, in one statement.
const EVENTS_WITH_DELIVERIES = `WITH ev AS (
    SELECT c.ctid, c.id, c."receivedAt" FROM "CollectedEvent" c WHERE c."environmentId" = ANY($1::text[]) LIMIT $2
  ), dd AS (
    DELETE FROM "Delivery" d USING ev c WHERE ${deliveriesOfEventSql("c")} RETURNING d.id
  ), outcomes AS (
    DELETE FROM "DeliveryOutcome" WHERE "deliveryId" IN (SELECT id FROM dd)
  ), gone AS (
    DELETE FROM "CollectedEvent" WHERE ctid IN (SELECT ctid FROM ev) RETURNING 1
  )
  SELECT count(*)::int AS n FROM gone`;

/** Rows deleted per table. */
export type Purged = Record<string, number>;

const add = (purged: Purged, table: string, rows: number) => (purged[table] = (purged[table] ?? 0) + rows);

// $1 team, $2 destinations (or none: every delivery of the team), last the batch; the
// outcomes of the deleted deliveries go in the same statement.
const deliveriesSql = (destinations: boolean) => `WITH gone AS (DELETE FROM "Delivery" WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM "Delivery" WHERE "teamId" = $1 ${destinations ? `AND "destinationId" = ANY($2::text[])` : ""} LIMIT $${destinations ? 3 : 2})) RETURNING id),
  outcomes AS (DELETE FROM "DeliveryOutcome" WHERE "deliveryId" IN (SELECT id FROM gone))
  SELECT count(*)::int AS n FROM gone`;

/**
 * Deletes the collected events, deliveries, requests, outcomes, merges and rollups the keys
 * name; answers the rows deleted per table (events' own deliveries count with the events).
 */
export async function purgeData(keys: PurgeKeys, options: DrainOptions = {}): Promise<Purged> {
  const { sql } = await database();
  const purged: Purged = {};
  const drain = async (table: string, statement: string, params: unknown[]) => add(purged, table, (await drainDeletes(sql, statement, params, options)).rows);
  if (keys.destinationIds.length) {
    await drain("Delivery", deliveriesSql(true), [keys.teamId, keys.destinationIds]);
    await drain("DeliveryRequest", bounded("DeliveryRequest", `"teamId" = $1 AND "destinationId" = ANY($2::text[])`, 3), [keys.teamId, keys.destinationIds]);
  }
  if (keys.environmentIds.length) await drain("CollectedEvent", EVENTS_WITH_DELIVERIES, [keys.environmentIds]);
  for (const table of ["EventMerge", "HealthRollup"]) {
    if (keys.wholeSite) await drain(table, bounded(table, `"siteId" = $1`, 2), [keys.siteId]);
    else if (keys.environmentIds.length) await drain(table, bounded(table, `"siteId" = $1 AND "environmentId" = ANY($2::text[])`, 3), [keys.siteId, keys.environmentIds]);
  }
  return purged;
}

/**
 * After a team's sites were purged and its rows are gone: whatever is still keyed by the
 * team (what arrived meanwhile, rows of sites deleted before purging existed).
 */
export async function purgeTeamRemains(teamId: string, options: DrainOptions = {}): Promise<Purged> {
  const { sql } = await database();
  const purged: Purged = {};
  const drain = async (table: string, statement: string, params: unknown[]) => add(purged, table, (await drainDeletes(sql, statement, params, options)).rows);
  // CollectedEvent has no index on teamId: its environments are found along the
  // (environmentId, receivedAt) index, one probe per distinct environment.
  const environments = await sql.query<{ v: string }>(
    `SELECT e.v FROM (${distinctValuesSql("CollectedEvent", "environmentId")}) e
     WHERE (SELECT c."teamId" FROM "CollectedEvent" c WHERE c."environmentId" = e.v LIMIT 1) = $1`,
    [teamId],
  );
  if (environments.length) await drain("CollectedEvent", EVENTS_WITH_DELIVERIES, [environments.map((e) => e.v)]);
  await drain("Delivery", deliveriesSql(false), [teamId]);
  for (const table of ["DeliveryRequest", "HealthRollup", "EventMerge"]) await drain(table, bounded(table, `"teamId" = $1`, 2), [teamId]);
  return purged;
}

/** The distinct values of an index's leading column: its first value, then each next one (one index probe each). */
export function distinctValuesSql(table: string, column: string): string {
  return `WITH RECURSIVE t AS (
    (SELECT "${column}" AS v FROM "${table}" ORDER BY "${column}" LIMIT 1)
    UNION ALL
    SELECT (SELECT "${column}" FROM "${table}" WHERE "${column}" > t.v ORDER BY "${column}" LIMIT 1) FROM t WHERE t.v IS NOT NULL
  ) SELECT v FROM t WHERE v IS NOT NULL`;
}
