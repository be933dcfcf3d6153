// What a deleted site leaves behind outside its configuration (which goes by foreign-key
// cascade): its collected events, their deliveries with the requests that carried them
// and the outcomes not yet folded, its merge log and its health rollups. These tables
// hold no foreign keys (each would cost the collector's insert: see the schema), and may
// hold millions of rows, so they are deleted in bounded batches — each batch its own
// short statement, so no lock is held long and intake elsewhere goes on — never in one
// statement that would lock and log the whole site at once.
import { database, type Sql } from "../db";

const BATCH = 5_000;

export type SiteData = { teamId: string; siteId: string; environmentIds: string[]; destinationIds: string[] };

/** The ids a site's collected data is found by, read before the site's rows go. */
export async function siteDataKeys(teamId: string, siteId: string): Promise<SiteData> {
  const { sql } = await database();
  const environments = await sql.query<{ id: string }>(`SELECT e.id FROM "Environment" e JOIN "Container" c ON c.id = e."containerId" WHERE c."siteId" = $1 AND c."teamId" = $2`, [siteId, teamId]);
  // Deliveries name the destination as published: every version's, and the draft's.
  const destinations = await sql.query<{ id: string }>(
    `SELECT d->>'id' AS id FROM "Version" v JOIN "Container" c ON c.id = v."containerId", jsonb_array_elements(COALESCE(v.snapshot->'destinations', '[]'::jsonb)) d
     WHERE c."siteId" = $1 AND c."teamId" = $2
     UNION SELECT d.id FROM "Destination" d JOIN "Container" c ON c.id = d."containerId" WHERE c."siteId" = $1 AND c."teamId" = $2`,
    [siteId, teamId],
  );
  return { teamId, siteId, environmentIds: environments.map((e) => e.id), destinationIds: destinations.map((d) => d.id).filter(Boolean) };
}

/** Repeats one bounded DELETE until it deletes nothing; answers the rows deleted. */
async function drain(sql: Sql, statement: string, params: unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await sql.query<{ n: number }>(statement, [...params, BATCH]);
    total += Number(row?.n ?? 0);
    if (!row || Number(row.n) === 0) return total;
  }
}

/** Deletes a site's collected events, deliveries, requests, outcomes, merges and rollups. */
export async function purgeSiteData(keys: SiteData): Promise<{ events: number; deliveries: number }> {
  const { sql } = await database();
  const deliveries = keys.destinationIds.length
    ? await drain(
        sql,
        // The outcomes of the deleted deliveries go in the same statement.
        `WITH gone AS (DELETE FROM "Delivery" WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM "Delivery" WHERE "teamId" = $1 AND "destinationId" = ANY($2::text[]) LIMIT $3)) RETURNING id),
         outcomes AS (DELETE FROM "DeliveryOutcome" WHERE "deliveryId" IN (SELECT id FROM gone))
         SELECT count(*)::int AS n FROM gone`,
        [keys.teamId, keys.destinationIds],
      )
    : 0;
  if (keys.destinationIds.length) {
    await drain(
      sql,
      `WITH gone AS (DELETE FROM "DeliveryRequest" WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM "DeliveryRequest" WHERE "teamId" = $1 AND "destinationId" = ANY($2::text[]) LIMIT $3)) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [keys.teamId, keys.destinationIds],
    );
  }
  const events = keys.environmentIds.length
    ? await drain(
        sql,
        `WITH gone AS (DELETE FROM "CollectedEvent" WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM "CollectedEvent" WHERE "environmentId" = ANY($1::text[]) LIMIT $2)) RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [keys.environmentIds],
      )
    : 0;
  for (const table of ["EventMerge", "HealthRollup"]) {
    await drain(
      sql,
      `WITH gone AS (DELETE FROM "${table}" WHERE ctid = ANY(ARRAY(SELECT ctid FROM "${table}" WHERE "siteId" = $1 LIMIT $2)) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [keys.siteId],
    );
  }
  return { events, deliveries };
}
