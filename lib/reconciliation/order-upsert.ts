// The upsert both order intakes share (the JSON API's batches, the CSV's staging table),
// the CSV's COPY lines and staging table, and the imports' audit entry: plain SQL on a
// transaction's connection, nothing else loaded, so the CSV import's worker thread
// (import-worker.ts) runs them without the ORM.
//
// Keyed by (site, order id): an order already stored with the same fields is left alone
// (so importing the same file twice changes nothing, not even updatedAt), and a changed
// one takes the new status, value, currency and the rest (refunds, cancellations).
import type { Sql } from "../sql";
import type { Actor } from "../auth/actor";
import type { NormalizedOrder } from "./order-row";

export type UpsertCounts = { inserted: number; updated: number; unchanged: number };

/**
 * The upsert of orders from `source` (rows id, at, value, currency, status, em, ph,
 * channel; at most one per order id: ON CONFLICT may not touch a row twice in one
 * statement), with $1 the site, $2 the team and $3 the import; answers how many rows were
 * inserted and updated. Both intakes share it: the API's batch as arrays, the CSV's
 * staging table.
 */
function upsertFrom(source: string): string {
  return `WITH up AS (
       INSERT INTO "Order" ("siteId", "orderId", "teamId", "placedAt", value, currency, status, "emailHash", "phoneHash", channel, "importId", "updatedAt")
       SELECT $1, o.id, $2, o.at AT TIME ZONE 'UTC', o.value::numeric, o.currency, o.status, o.em, o.ph, o.channel, $3, now()
       FROM ${source}
       ON CONFLICT ("siteId", "orderId") DO UPDATE SET
         "placedAt" = EXCLUDED."placedAt", value = EXCLUDED.value, currency = EXCLUDED.currency, status = EXCLUDED.status,
         "emailHash" = COALESCE(EXCLUDED."emailHash", "Order"."emailHash"), "phoneHash" = COALESCE(EXCLUDED."phoneHash", "Order"."phoneHash"),
         channel = COALESCE(EXCLUDED.channel, "Order".channel), "importId" = EXCLUDED."importId", "updatedAt" = now()
       WHERE ("Order"."placedAt", "Order".value, "Order".currency, "Order".status) IS DISTINCT FROM (EXCLUDED."placedAt", EXCLUDED.value, EXCLUDED.currency, EXCLUDED.status)
          OR (EXCLUDED."emailHash" IS NOT NULL AND EXCLUDED."emailHash" IS DISTINCT FROM "Order"."emailHash")
          OR (EXCLUDED."phoneHash" IS NOT NULL AND EXCLUDED."phoneHash" IS DISTINCT FROM "Order"."phoneHash")
          OR (EXCLUDED.channel IS NOT NULL AND EXCLUDED.channel IS DISTINCT FROM "Order".channel)
       RETURNING (xmax = 0) AS fresh
     )
     SELECT count(*) FILTER (WHERE fresh)::int AS inserted, count(*) FILTER (WHERE NOT fresh)::int AS updated FROM up`;
}

/**
 * Upserts one batch in one statement: the columns go as arrays and unnest() turns them
 * into rows (lib/db.ts `arrays`), so a batch of thousands costs one round trip. Within a
 * batch the last copy of an order id wins.
 */
export async function upsertOrders(sql: Sql, site: { id: string; teamId: string }, importId: string, batch: NormalizedOrder[]): Promise<UpsertCounts> {
  const byId = new Map<string, NormalizedOrder>();
  for (const o of batch) byId.set(o.orderId, o);
  const orders = [...byId.values()];
  if (!orders.length) return { inserted: 0, updated: 0, unchanged: 0 };
  const columns = sql.arrays([
    ["text", orders.map((o) => o.orderId)],
    ["timestamptz", orders.map((o) => o.placedAt)],
    ["text", orders.map((o) => o.value)],
    ["text", orders.map((o) => o.currency)],
    ["text", orders.map((o) => o.status)],
    ["text", orders.map((o) => o.emailHash)],
    ["text", orders.map((o) => o.phoneHash)],
    ["text", orders.map((o) => o.channel)],
  ]);
  const [row] = await sql.query<{ inserted: number; updated: number }>(
    upsertFrom(`unnest($4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[]) AS o(id, at, value, currency, status, em, ph, channel)`),
    [site.id, site.teamId, importId, ...columns],
  );
  return { inserted: row.inserted, updated: row.updated, unchanged: batch.length - row.inserted - row.updated };
}

/**
 * The CSV intake's staging table, for this transaction only: the file's valid rows go in
 * by COPY (`n`, the row number, so the file's last copy of an order id wins), and one
 * upsert takes them into Order (`upsertStagedOrders`).
 */
export const STAGING_TABLE = "order_import_rows";

export async function createStagingTable(sql: Sql): Promise<void> {
  await sql.query(`CREATE TEMP TABLE ${STAGING_TABLE} (n int, id text, at timestamptz, value text, currency text, status text, em text, ph text, channel text) ON COMMIT DROP`);
}

/** Text of a value for COPY's text format: \N for NULL; backslash, tab and line breaks escaped. */
export function copyField(v: string | null): string {
  if (v === null) return "\\N";
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : v;
}

/** One staged order as a line of COPY's text format. */
export function copyLine(n: number, o: NormalizedOrder): string {
  return `${n}\t${copyField(o.orderId)}\t${o.placedAt.toISOString()}\t${o.value}\t${o.currency}\t${o.status}\t${copyField(o.emailHash)}\t${copyField(o.phoneHash)}\t${copyField(o.channel)}\n`;
}

/** The staged rows into Order in one statement (sorted by order id, the key's order), the last copy of each order id winning. */
export async function upsertStagedOrders(sql: Sql, site: { id: string; teamId: string }, importId: string, staged: number): Promise<UpsertCounts> {
  const [row] = await sql.query<{ inserted: number; updated: number }>(upsertFrom(`(SELECT DISTINCT ON (id) * FROM ${STAGING_TABLE} ORDER BY id, n DESC) AS o`), [site.id, site.teamId, importId]);
  return { inserted: row.inserted, updated: row.updated, unchanged: staged - row.inserted - row.updated };
}

/**
 * The import's audit entry, written in the import's own transaction (plain SQL: the
 * import runs on the pool's connection, not Prisma's), so no order changes without it.
 */
export async function auditImport(sql: Sql, actor: Actor, site: { name: string }, importId: string, after: Record<string, unknown>): Promise<void> {
  await sql.query(
    `INSERT INTO "AuditEntry" (id, "teamId", "actorUserId", "actorTokenId", "actorLabel", action, "entityType", "entityId", "entityLabel", after)
     VALUES ('a' || replace(gen_random_uuid()::text, '-', ''), $1, $2, $3, $4, 'orders.import', 'order_import', $5, $6, $7::jsonb)`,
    [actor.teamId, actor.userId, actor.tokenId, actor.label, importId, `orders of ${site.name}`, JSON.stringify(after)],
  );
}
