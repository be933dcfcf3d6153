// The catalog check: a site's product catalog (CSV upload: product id, optional price
// and currency) against the content_ids its conversions carry — the share found in the
// catalog, the unknown ids with the events that carried them, and prices that differ.
//
// An upload replaces the site's catalog in one transaction, streamed like the order
// import (lib/reconciliation/import-csv.ts): a file refused as a whole leaves the previous
// catalog untouched. The check reads, per environment, the newest SCAN_ROWS accepted
// events of the period by the collector's index (environmentId, receivedAt), and of those
// the newest SCAN_EVENTS that carry content_ids — bounded work whatever the table holds
// and however rare content_ids are (a scan for "the newest 20,000 with content_ids" read
// every event of the period when few had them: 3.2 s of a Health page at 10 million
// events, measured 2026-12-06). Without a catalog there is nothing to check and nothing is read.
import { Readable } from "node:stream";
import { parse, CsvError } from "csv-parse";
import { database, prisma, type Sql } from "../db";
import type { Actor } from "../auth/actor";
import { NotFoundError, ValidationError } from "../errors";
import { isCurrency } from "../schemas/common";
import { FileRefused, MAX_RECORD_BYTES, resolveColumns } from "./stage-orders-csv";
import { reconciliationSite } from "./orders";
import { auditImport } from "./order-upsert";
import { withinTolerance } from "./classify";

export const SCAN_EVENTS = 20_000;
/** Events read per environment at most, newest first, to find SCAN_EVENTS with content_ids. */
export const SCAN_ROWS = 100_000;
const BATCH = 5_000;
const DECIMAL = /^\d{1,10}(?:\.\d{1,4})?$/;

export type CatalogMapping = { product_id: string; price?: string; currency?: string };
type Product = { id: string; price: string | null; currency: string | null };

async function insertProducts(sql: Sql, site: { id: string; teamId: string }, batch: Product[]): Promise<void> {
  const byId = new Map(batch.map((p) => [p.id, p]));
  const rows = [...byId.values()];
  const columns = sql.arrays([
    ["text", rows.map((r) => r.id)],
    ["text", rows.map((r) => r.price)],
    ["text", rows.map((r) => r.currency)],
  ]);
  await sql.query(
    `INSERT INTO "CatalogProduct" ("siteId", "productId", "teamId", price, currency)
     SELECT $4, p.id, $5, p.price::numeric, p.currency FROM unnest($1::text[], $2::text[], $3::text[]) AS p(id, price, currency)
     ON CONFLICT ("siteId", "productId") DO UPDATE SET price = EXCLUDED.price, currency = EXCLUDED.currency`,
    [...columns, site.id, site.teamId],
  );
}

/** Replaces the site's catalog with the CSV in `body`. Answers the counts, or `error` when the file was refused (nothing changed). */
export async function importCatalog(actor: Actor, siteId: string, body: ReadableStream<Uint8Array> | null, options: { mapping: CatalogMapping; delimiter: string }) {
  const site = await reconciliationSite(actor, siteId);
  if (!body) throw new ValidationError([{ path: "body", message: "send the CSV file as the request body" }]);
  const source = Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
  const parser = source.pipe(parse({ delimiter: options.delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES }));
  source.on("error", (error) => parser.destroy(error));
  const problems: { row: number; column: string; message: string }[] = [];
  let rows = 0;
  let products = 0;
  try {
    const db = await database();
    await db.transaction(async (sql) => {
      await sql.query(`DELETE FROM "CatalogProduct" WHERE "siteId" = $1`, [site.id]);
      let columns: Map<string, number> | null = null;
      let batch: Product[] = [];
      for await (const cells of parser as AsyncIterable<string[]>) {
        if (!columns) {
          columns = resolveColumns(cells, { order_id: options.mapping.product_id, value: options.mapping.price, currency: options.mapping.currency }, options.delimiter) as Map<string, number>;
          continue;
        }
        rows++;
        const id = (cells[columns.get("order_id")!] ?? "").trim();
        const price = columns.has("value") ? (cells[columns.get("value")!] ?? "").trim() : "";
        const currency = columns.has("currency") ? (cells[columns.get("currency")!] ?? "").trim().toUpperCase() : "";
        const bad = !id ? ["product_id", "is empty"] : id.length > 200 ? ["product_id", "is longer than 200 characters"] : price && !DECIMAL.test(price) ? ["price", `"${price.slice(0, 40)}" is not a number with a dot for decimals`] : currency && !isCurrency(currency) ? ["currency", `"${currency.slice(0, 20)}" is not an ISO 4217 currency code`] : null;
        if (bad) {
          if (problems.length < 1_000) problems.push({ row: rows, column: bad[0], message: bad[1] });
          continue;
        }
        batch.push({ id, price: price || null, currency: currency || null });
        products++;
        if (batch.length >= BATCH) {
          await insertProducts(sql, site, batch);
          batch = [];
        }
      }
      if (!columns || rows === 0) throw new CatalogRefused("The file has no product rows.");
      if (problems.length > rows * 0.1) throw new CatalogRefused(`${problems.length} of ${rows} rows have errors (more than 10 %): the catalog was left as it was.`);
      if (batch.length) await insertProducts(sql, site, batch);
      await auditImport(sql, actor, site, `catalog:${site.id}`, { source: "catalog", rows, products });
    });
  } catch (error) {
    if (!source.readableEnded) {
      source.unpipe();
      source.resume();
      await new Promise<void>((resolve) => source.on("end", resolve).on("close", resolve).on("error", () => resolve()));
    }
    if (error instanceof CsvError) return { ok: false as const, error: `The file is not valid CSV: ${error.message}`, problems };
    if (error instanceof CatalogRefused || error instanceof FileRefused) return { ok: false as const, error: error.message, problems };
    throw error;
  }
  return { ok: true as const, rows, products, problems };
}

class CatalogRefused extends Error {}

export async function catalogCheck(actor: Actor, siteId: string, days: number) {
  const db = await prisma();
  const site = await db.site.findFirst({ where: { id: siteId, teamId: actor.teamId }, select: { id: true, container: { select: { environments: { select: { id: true } } } } } });
  if (!site) throw new NotFoundError("Site");
  const { sql } = await database();
  const [{ products }] = await sql.query<{ products: number }>(`SELECT count(*)::int AS products FROM "CatalogProduct" WHERE "siteId" = $1`, [siteId]);
  // No catalog, nothing to compare with: no event is read.
  const envIds = products ? (site.container?.environments.map((e) => e.id) ?? []) : [];
  const since = new Date(Date.now() - days * 86_400_000).toISOString().replace("Z", "");
  // Per environment, newest first down its index (one ordered range each; = ANY() over
  // several environments would read them all to sort them), then the filter.
  const scan = `SELECT e.id, e."environmentId", e.params FROM unnest($1::text[]) AS env(id) CROSS JOIN LATERAL (
      SELECT x.id, x."environmentId", x.params, x."receivedAt" FROM "CollectedEvent" x
      WHERE x."environmentId" = env.id AND x."teamId" = $2 AND x."receivedAt" >= $3::timestamp AND x.status = 'accepted'
      ORDER BY x."receivedAt" DESC LIMIT ${SCAN_ROWS}) e
    WHERE jsonb_typeof(e.params->'content_ids') = 'array'
    ORDER BY e."receivedAt" DESC LIMIT ${SCAN_EVENTS}`;
  type IdRow = { contentId: string; occurrences: number; known: boolean; examples: { id: string; environmentId: string }[] };
  type PriceRow = { contentId: string; eventId: string; environmentId: string; price: string; currency: string | null; catalogPrice: string; catalogCurrency: string | null };
  // One statement, the scan read once for both answers: the content ids, and the prices.
  const [{ ids, prices }] = envIds.length
    ? await sql.query<{ ids: IdRow[]; prices: PriceRow[] }>(
        `WITH ev AS MATERIALIZED (${scan}),
         ids AS (SELECT ev.id, ev."environmentId", x.cid FROM ev, jsonb_array_elements_text(ev.params->'content_ids') x(cid)),
         counted AS (
           SELECT ids.cid AS "contentId", count(*)::int AS occurrences, bool_or(c."productId" IS NOT NULL) AS known,
                  (array_agg(jsonb_build_object('id', ids.id, 'environmentId', ids."environmentId")))[1:3] AS examples
           FROM ids LEFT JOIN "CatalogProduct" c ON c."siteId" = $4 AND c."productId" = ids.cid
           GROUP BY ids.cid
         ),
         priced AS (
           SELECT x->>'id' AS "contentId", ev.id AS "eventId", ev."environmentId", x->>'price' AS price, ev.params->>'currency' AS currency, c.price::text AS "catalogPrice", c.currency AS "catalogCurrency"
           FROM ev, jsonb_array_elements(CASE WHEN jsonb_typeof(ev.params->'contents') = 'array' THEN ev.params->'contents' ELSE '[]'::jsonb END) x
           JOIN "CatalogProduct" c ON c."siteId" = $4 AND c."productId" = x->>'id'
           WHERE c.price IS NOT NULL AND jsonb_typeof(x->'price') = 'number'
           LIMIT 5000
         )
         SELECT COALESCE((SELECT json_agg(counted ORDER BY occurrences DESC) FROM counted), '[]') AS ids,
                COALESCE((SELECT json_agg(priced) FROM priced), '[]') AS prices`,
        [envIds, actor.teamId, since, siteId],
      )
    : [{ ids: [] as IdRow[], prices: [] as PriceRow[] }];
  const tolerance = { absolute: 0.01, percent: 1 };
  const differing = prices.filter((p) => !withinTolerance({ value: Number(p.catalogPrice), currency: p.catalogCurrency ?? p.currency ?? "" }, { value: Number(p.price), currency: p.currency ?? p.catalogCurrency ?? "" }, tolerance));
  const total = ids.reduce((n, r) => n + r.occurrences, 0);
  const found = ids.filter((r) => r.known).reduce((n, r) => n + r.occurrences, 0);
  return {
    products,
    days,
    scannedLimit: SCAN_EVENTS,
    scannedRows: SCAN_ROWS,
    occurrences: total,
    foundShare: total ? found / total : null,
    distinctIds: ids.length,
    unknown: ids.filter((r) => !r.known).slice(0, 50),
    unknownCount: ids.filter((r) => !r.known).length,
    priceDifferences: differing.slice(0, 50).map((p) => ({ ...p, price: Number(p.price), catalogPrice: Number(p.catalogPrice) })),
    priceDifferenceCount: differing.length,
  };
}
