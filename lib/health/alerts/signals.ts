// Every count the alerts read, in one module: hourly counts of a site's events and
// deliveries, when its traffic began, what waits in the outbox, and why platforms
// dropped events.
//
// Costs, on the existing indexes (no index was added for alerts):
// - eventsByHour: the hourly rollups (HealthRollup's primary key: site, span, hour) for
//   everything the fold has counted, and the raw events since its watermark — seconds of
//   traffic — by CollectedEvent(environmentId, receivedAt). It read a day of raw events
//   per evaluation before: 180 ms at 250,000 stored events, growing with the traffic
//   (measured 2026-12-06), where the rollups' rows grow with hours × events × sources.
// - deliveriesByHour: Delivery(status, nextAttemptAt) for delivered/dead/held rows — a
//   settled delivery's nextAttemptAt is when it was last due, so the range holds the
//   window's deliveries of all sites, filtered to the site's destinations — joined to
//   their events by primary key. Deliveries still being retried are read from the
//   'pending' range of the same index, which is the outbox itself (small unless a backlog
//   is what the alert is about).
// - firstSeen: min(receivedAt) per production environment, one index probe each.
import { database } from "../../db";
import { FOLDED_UNTIL } from "../rollups";

// The tables' timestamps are UTC without a time zone (Prisma's TIMESTAMP(3)): bounds go in
// as UTC text and hours come out as epoch milliseconds, whatever the process's TZ.
const utc = (d: Date) => d.toISOString().replace("Z", "");
const epochMs = (expr: string) => `(extract(epoch FROM ${expr}) * 1000)::float8`;
const NOW = `(now() AT TIME ZONE 'UTC')`;

/** Accepted or rejected events of the site's production environments, per hour and event name. */
export type EventHour = { hour: number; event: string; received: number; accepted: number; rejected: number; browser: number; server: number; both: number };

/**
 * Deliveries per hour (of when they were last due), event and destination. `delivered`
 * and `failed` (dead, or failing and being retried) count real production events only;
 * `silent` counts refusals inside a 2xx of any environment (GA4's validation messages
 * come from test events); `production` and `productionTest` count every delivery of a
 * production-environment event, and those of them marked test.
 */
export type DeliveryHour = { hour: number; event: string; destinationId: string; delivered: number; failed: number; silent: number; production: number; productionTest: number };

/** The site's production environments (what the volume alerts watch), all its environments, its destinations. */
async function scope(siteId: string): Promise<{ environments: string[]; allEnvironments: string[]; destinations: string[] }> {
  const db = await database();
  const [environments, destinations] = await Promise.all([
    db.sql.query<{ id: string; kind: string }>(`SELECT e.id, e.kind FROM "Environment" e JOIN "Container" c ON c.id = e."containerId" WHERE c."siteId" = $1`, [siteId]),
    db.sql.query<{ id: string }>(`SELECT d.id FROM "Destination" d JOIN "Container" c ON c.id = d."containerId" WHERE c."siteId" = $1`, [siteId]),
  ]);
  return {
    environments: environments.filter((e) => e.kind === "production").map((e) => e.id),
    allEnvironments: environments.map((e) => e.id),
    destinations: destinations.map((r) => r.id),
  };
}

/**
 * How long before it is last due a delivery's event can have arrived: the outbox gives up
 * after 24 hours of failures. Bounding the events joined by their arrival lets PostgreSQL
 * read them by the (environmentId, receivedAt) index instead of scanning the table to
 * hash-join them (measured: a sequential scan of every stored event otherwise).
 */
const DELIVERY_SPAN = "25 hours";

/**
 * Stored events per hour and name: received (accepted and rejected), and the accepted
 * ones by source. Below the fold's watermark from the rollups, from it on from the raw
 * events; one statement, so one snapshot: the watermark and the rollups it vouches for are
 * read together (the fold commits both at once), and every stored event is counted once.
 * A merge made after its event was folded moves the event's source in the rollups with
 * the next fold, a few seconds later.
 */
export async function eventsByHour(siteId: string, from: Date, to: Date): Promise<EventHour[]> {
  const { environments } = await scope(siteId);
  if (!environments.length) return [];
  const db = await database();
  return db.sql.query<EventHour>(
    `WITH w AS (SELECT ${FOLDED_UNTIL} AS watermark), counted AS (
       SELECT r.hour, r.name, r.source, r.accepted, r.rejected
       FROM "HealthRollup" r
       WHERE r."siteId" = $1 AND r.span = 'hour' AND r.hour >= $3::timestamp AND r.hour < $4::timestamp
         AND r."environmentId" = ANY($2::text[]) AND r."destinationId" = ''
       UNION ALL
       SELECT date_trunc('hour', c."receivedAt"), c.name, c.source, (c.status = 'accepted')::int, (c.status = 'rejected')::int
       FROM "CollectedEvent" c, w
       WHERE c."environmentId" = ANY($2::text[]) AND c."receivedAt" >= GREATEST($3::timestamp, w.watermark) AND c."receivedAt" < $4::timestamp
     )
     SELECT ${epochMs("hour")} AS hour, name AS event,
            sum(accepted + rejected)::int AS received,
            sum(accepted)::int AS accepted,
            sum(rejected)::int AS rejected,
            COALESCE(sum(accepted) FILTER (WHERE source = 'browser'), 0)::int AS browser,
            COALESCE(sum(accepted) FILTER (WHERE source = 'server'), 0)::int AS server,
            COALESCE(sum(accepted) FILTER (WHERE source = 'both'), 0)::int AS both
     FROM counted GROUP BY 1, 2`,
    [siteId, environments, utc(from), utc(to)],
  );
}

export async function deliveriesByHour(siteId: string, from: Date, to: Date): Promise<DeliveryHour[]> {
  const { destinations, allEnvironments } = await scope(siteId);
  if (!destinations.length) return [];
  const db = await database();
  return db.sql.query<DeliveryHour>(
    `WITH settled AS (
       SELECT date_trunc('hour', d."nextAttemptAt") AS hour, e.name AS event, d."destinationId", d.status, d."silentDropAt",
              e."environmentKind" = 'production' AS production, COALESCE((d.target->>'test')::boolean, false) AS test
       FROM "Delivery" d JOIN "CollectedEvent" e ON e.id = d."collectedEventId"
       WHERE d.status = ANY('{delivered,dead,held}'::text[]) AND d."nextAttemptAt" >= $2::timestamp AND d."nextAttemptAt" < $3::timestamp
         AND d."destinationId" = ANY($1::text[])
         AND e."environmentId" = ANY($4::text[]) AND e."receivedAt" >= $2::timestamp - interval '${DELIVERY_SPAN}' AND e."receivedAt" < $3::timestamp
       UNION ALL
       SELECT date_trunc('hour', ${NOW}), e.name, d."destinationId", 'retrying', d."silentDropAt",
              e."environmentKind" = 'production', COALESCE((d.target->>'test')::boolean, false)
       FROM "Delivery" d JOIN "CollectedEvent" e ON e.id = d."collectedEventId"
       WHERE d.status = 'pending' AND d.attempts > 0 AND d."destinationId" = ANY($1::text[]) AND ${NOW} >= $2::timestamp AND ${NOW} < $3::timestamp
         AND e."environmentId" = ANY($4::text[]) AND e."receivedAt" >= ${NOW} - interval '${DELIVERY_SPAN}'
     )
     SELECT ${epochMs("hour")} AS hour, event, "destinationId",
            count(*) FILTER (WHERE production AND NOT test AND status = 'delivered')::int AS delivered,
            count(*) FILTER (WHERE production AND NOT test AND status IN ('dead', 'retrying'))::int AS failed,
            count(*) FILTER (WHERE "silentDropAt" IS NOT NULL)::int AS silent,
            count(*) FILTER (WHERE production)::int AS production,
            count(*) FILTER (WHERE production AND test)::int AS "productionTest"
     FROM settled GROUP BY 1, 2, 3`,
    [destinations, utc(from), utc(to), allEnvironments],
  );
}

/** When the site's production traffic began (its oldest stored event), or null. */
export async function firstSeen(siteId: string): Promise<Date | null> {
  const { environments } = await scope(siteId);
  if (!environments.length) return null;
  const db = await database();
  const rows = await db.sql.query<{ first: number | null }>(
    // One probe of the (environmentId, receivedAt) index per environment.
    `SELECT ${epochMs("min(f)")} AS first FROM unnest($1::text[]) AS env(id),
       LATERAL (SELECT "receivedAt" AS f FROM "CollectedEvent" WHERE "environmentId" = env.id ORDER BY "receivedAt" LIMIT 1) x`,
    [environments],
  );
  const first = rows[0]?.first;
  return first === null || first === undefined ? null : new Date(first);
}

/** Deliveries of the site still waiting to be sent that were created before `olderThan`, per destination. */
export async function waiting(siteId: string, olderThan: Date): Promise<{ destinationId: string; count: number; oldest: number }[]> {
  const { destinations } = await scope(siteId);
  if (!destinations.length) return [];
  const db = await database();
  return db.sql.query(
    `SELECT "destinationId", count(*)::int AS count, ${epochMs(`min("createdAt")`)} AS oldest FROM "Delivery"
     WHERE status = 'pending' AND "destinationId" = ANY($1::text[]) AND "createdAt" < $2::timestamp
     GROUP BY 1`,
    [destinations, utc(olderThan)],
  );
}

/** The latest reason a platform gave, inside a 2xx, for dropping events, per destination since `since`. */
export async function silentDropReasons(siteId: string, since: Date): Promise<Map<string, string>> {
  const { destinations } = await scope(siteId);
  if (!destinations.length) return new Map();
  const db = await database();
  const rows = await db.sql.query<{ destinationId: string; reason: string | null }>(
    `SELECT DISTINCT ON ("destinationId") "destinationId", "lastError" AS reason FROM "Delivery"
     WHERE status = 'dead' AND "nextAttemptAt" >= $2::timestamp AND "destinationId" = ANY($1::text[]) AND "silentDropAt" IS NOT NULL
     ORDER BY "destinationId", "silentDropAt" DESC`,
    [destinations, utc(since)],
  );
  return new Map(rows.map((r) => [r.destinationId, (r.reason ?? "").slice(0, 300)]));
}
