// Backend orders in: the batch upsert both intakes share (CSV upload and the JSON API),
// the JSON intake itself, and the imports' records.
//
// Keyed by (site, order id): an order already stored with the same fields is left alone
// (so importing the same file twice changes nothing, not even updatedAt), and a changed
// one takes the new status, value, currency and the rest (refunds, cancellations).
import { database, prisma, type Sql } from "../db";
import type { Actor } from "../auth/actor";
import { NotFoundError, ValidationError } from "../errors";
import { normalizeOrder, type NormalizedOrder, type OrderInput } from "./order-row";

export type UpsertCounts = { inserted: number; updated: number; unchanged: number };

export async function reconciliationSite(actor: Actor, siteId: string) {
  const db = await prisma();
  const site = await db.site.findFirst({ where: { id: siteId, teamId: actor.teamId }, select: { id: true, teamId: true, name: true, defaultCurrency: true } });
  if (!site) throw new NotFoundError("Site");
  return site;
}

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

export const MAX_API_BATCH = 1_000;

/**
 * POST /sites/{id}/orders: up to 1,000 orders, all or nothing. An invalid item refuses the
 * batch with each problem named by its path (orders.3.created_at), so a backend can fix
 * and resend it; a valid batch sent twice changes nothing the second time.
 */
export async function postOrders(actor: Actor, siteId: string, items: OrderInput[]) {
  const site = await reconciliationSite(actor, siteId);
  const orders: NormalizedOrder[] = [];
  const problems: { path: string; message: string }[] = [];
  items.forEach((item, i) => {
    const result = normalizeOrder(item, site.defaultCurrency);
    if (result.ok) orders.push(result.order);
    else for (const p of result.problems) problems.push({ path: `orders.${i}.${p.column}`, message: p.message });
  });
  if (problems.length) throw new ValidationError(problems);
  const db = await database();
  const record = await db.prisma.orderImport.create({ data: { teamId: site.teamId, siteId: site.id, source: "api", rows: items.length } });
  const counts = await db.transaction(async (sql) => {
    const counts = await upsertOrders(sql, site, record.id, orders);
    await auditImport(sql, actor, site, record.id, { source: "api", rows: items.length, ...counts });
    return counts;
  });
  await db.prisma.orderImport.update({ where: { id: record.id }, data: { status: "done", ...counts, finishedAt: new Date() } });
  return { importId: record.id, received: items.length, ...counts };
}

function importView(i: { id: string; siteId: string; source: string; fileName: string | null; status: string; rows: number; inserted: number; updated: number; unchanged: number; errorRows: number; error: string | null; bytes: bigint; startedAt: Date; finishedAt: Date | null }) {
  return {
    id: i.id,
    siteId: i.siteId,
    source: i.source,
    fileName: i.fileName,
    status: i.status,
    rows: i.rows,
    inserted: i.inserted,
    updated: i.updated,
    unchanged: i.unchanged,
    errorRows: i.errorRows,
    error: i.error,
    bytes: Number(i.bytes),
    startedAt: i.startedAt.toISOString(),
    finishedAt: i.finishedAt?.toISOString() ?? null,
  };
}
export type OrderImportView = ReturnType<typeof importView>;

const IMPORT_SELECT = { id: true, siteId: true, source: true, fileName: true, status: true, rows: true, inserted: true, updated: true, unchanged: true, errorRows: true, error: true, bytes: true, startedAt: true, finishedAt: true } as const;

export async function listOrderImports(actor: Actor, siteId: string) {
  await reconciliationSite(actor, siteId);
  const db = await prisma();
  const rows = await db.orderImport.findMany({ where: { siteId, teamId: actor.teamId }, orderBy: { startedAt: "desc" }, take: 20, select: IMPORT_SELECT });
  const [{ count }] = await (await database()).sql.query<{ count: number }>(`SELECT count(*)::int AS count FROM "Order" WHERE "siteId" = $1 AND "teamId" = $2`, [siteId, actor.teamId]);
  return { orders: count, imports: rows.map(importView) };
}

export async function getOrderImport(actor: Actor, id: string) {
  const db = await prisma();
  const row = await db.orderImport.findFirst({ where: { id, teamId: actor.teamId }, select: { ...IMPORT_SELECT, errors: true } });
  if (!row) throw new NotFoundError("Order import");
  return { ...importView(row), errors: row.errors as { row: number; column: string; message: string }[] };
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The per-row error report of an import, as CSV: row (1 = the first data row), column, problem. */
export async function orderImportErrorsCsv(actor: Actor, id: string): Promise<string> {
  const i = await getOrderImport(actor, id);
  const lines = ["row,column,problem", ...i.errors.map((e) => [e.row, e.column, e.message].map(csvCell).join(","))];
  if (i.error) lines.push(["", "", `file refused: ${i.error}`].map(csvCell).join(","));
  if (i.errorRows > i.errors.length) lines.push(["", "", `and ${i.errorRows - i.errors.length} more rows with errors`].map(csvCell).join(","));
  return lines.join("\n") + "\n";
}

export { importView };
