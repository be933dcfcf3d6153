// Backend orders in: the JSON intake, the imports' records and the site they belong to
// (the upsert both intakes share: order-upsert.ts).
import { database, prisma } from "../db";
import type { Actor } from "../auth/actor";
import { NotFoundError, ValidationError } from "../errors";
import { normalizeOrder, type NormalizedOrder, type OrderInput } from "./order-row";
import { auditImport, upsertOrders } from "./order-upsert";

export async function reconciliationSite(actor: Actor, siteId: string) {
  const db = await prisma();
  const site = await db.site.findFirst({ where: { id: siteId, teamId: actor.teamId }, select: { id: true, teamId: true, name: true, defaultCurrency: true } });
  if (!site) throw new NotFoundError("Site");
  return site;
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
