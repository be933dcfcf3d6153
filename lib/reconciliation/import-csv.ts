// CSV upload of backend orders, streamed: the request body flows through csv-parse a
// chunk at a time; each batch of rows is upserted while the next one is parsed, and no
// more of the body is read while a full batch waits for the running upsert
// (backpressure), so a 1,000,000-row file never sits in memory — neither the file nor its
// rows. The whole file is one transaction: a file refused as a whole (a mapped column
// missing from the header — the usual sign of a wrong delimiter —, a record longer than
// MAX_RECORD_BYTES, a broken quote, or more than REFUSE_SHARE of its rows invalid)
// rolls back and leaves no order behind. Rows with problems are skipped and reported
// (row, column, what is wrong); the rest commit together.
import { Readable } from "node:stream";
import { parse, CsvError } from "csv-parse";
import { database, prisma } from "../db";
import type { Actor } from "../auth/actor";
import { ValidationError } from "../errors";
import { normalizeOrder, ORDER_FIELDS, REQUIRED_FIELDS, type NormalizedOrder, type OrderField, type OrderInput } from "./order-row";
import { auditImport, reconciliationSite, upsertOrders, importView, type UpsertCounts } from "./orders";

/**
 * Rows per upsert. Each batch lives across the await of its insert, so it survives V8's
 * scavenges, and what survives makes the young generation grow (up to the server's
 * 2 × 128 MB, lib/http/node-flags.ts): 2,000 rows kept a 1,000,000-row import's memory
 * growth lower than 5,000 did, at no cost in time (measured: docs/reconciliation.md).
 */
export const BATCH_ROWS = 2_000;
/** Longer records are refused: no order line is this long, and csv-parse would otherwise buffer it whole. */
export const MAX_RECORD_BYTES = 64 * 1024;
/** A file whose share of invalid rows exceeds this is refused whole: it is the wrong file, or the wrong mapping. */
export const REFUSE_SHARE = 0.1;
/** Problems kept for the report; the count goes on. */
export const MAX_REPORTED = 10_000;

export type ColumnMapping = Partial<Record<OrderField, string>>;
export type CsvImportOptions = { mapping: ColumnMapping; delimiter: string; fileName?: string };

/** A file refused as a whole: the transaction rolls back and the reason goes to the client. */
export class FileRefused extends Error {}

type Problem = { row: number; column: string; message: string };

/** The header's index of each mapped field, or a file-level refusal naming what is missing. */
export function resolveColumns(header: string[], mapping: ColumnMapping, delimiter: string): Map<OrderField, number> {
  const names = header.map((h) => h.trim().replace(/^\uFEFF/, ""));
  const at = new Map<OrderField, number>();
  const missing: string[] = [];
  for (const field of ORDER_FIELDS) {
    const column = mapping[field];
    if (!column) continue;
    const i = names.indexOf(column.trim());
    if (i < 0) missing.push(`${field} → "${column}"`);
    else at.set(field, i);
  }
  if (missing.length) {
    const hint =
      names.length === 1 && /[;,\t|]/.test(names[0])
        ? ` The header reads as one column ("${names[0].slice(0, 60)}"): the file's delimiter is not "${delimiter === "\t" ? "tab" : delimiter}".`
        : ` The header has: ${names.slice(0, 20).map((n) => `"${n.slice(0, 40)}"`).join(", ")}.`;
    throw new FileRefused(`The mapped column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not in the file's header.${hint}`);
  }
  return at;
}

function csvErrorMessage(error: CsvError): string {
  if (error.code === "CSV_MAX_RECORD_SIZE") return `A record is longer than ${MAX_RECORD_BYTES / 1024} KB (line ${error.lines ?? "?"}): this is not an order file, or a quote is never closed.`;
  if (error.code === "CSV_QUOTE_NOT_CLOSED") return `A quoted field opened on line ${error.lines ?? "?"} is never closed.`;
  return `The file is not valid CSV: ${error.message}`;
}

export function validateMapping(mapping: ColumnMapping): void {
  const missing = REQUIRED_FIELDS.filter((f) => !mapping[f]);
  if (missing.length) throw new ValidationError(missing.map((f) => ({ path: f, message: "map this field to a column of the file" })));
}

/**
 * Imports the CSV in `body` for the site; answers the import's record, with status failed
 * and the reason when the file was refused (nothing imported).
 */
export async function importOrdersCsv(actor: Actor, siteId: string, body: ReadableStream<Uint8Array> | null, options: CsvImportOptions) {
  const site = await reconciliationSite(actor, siteId);
  validateMapping(options.mapping);
  if (!body) throw new ValidationError([{ path: "body", message: "send the CSV file as the request body" }]);
  const db = await database();
  const record = await db.prisma.orderImport.create({ data: { teamId: site.teamId, siteId: site.id, source: "csv", fileName: options.fileName?.slice(0, 200) ?? null } });

  let bytes = 0;
  const source = Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
  source.on("data", (chunk: Buffer) => (bytes += chunk.length));
  const parser = source.pipe(
    parse({ delimiter: options.delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES, info: false }),
  );
  source.on("error", (error) => parser.destroy(error));

  const problems: Problem[] = [];
  let errorRows = 0;
  let rows = 0;
  const totals: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  try {
    await db.transaction(async (sql) => {
      let columns: Map<OrderField, number> | null = null;
      let batch: NormalizedOrder[] = [];
      // One upsert runs while the next batch is parsed: PostgreSQL inserts as Node parses
      // and hashes, on the two cores, and no more than two batches are alive at once.
      let running: Promise<void> | null = null;
      const flush = async () => {
        if (running) await running;
        const rows = batch;
        batch = [];
        if (!rows.length) return;
        running = upsertOrders(sql, site, record.id, rows).then((counts) => {
          totals.inserted += counts.inserted;
          totals.updated += counts.updated;
          totals.unchanged += counts.unchanged;
        });
        // Handled here so a failure that lands while the next batch is parsed is not an
        // unhandled rejection; it is thrown by the next flush or the settle below.
        running.catch(() => {});
      };
      const settle = async () => {
        const last = running;
        running = null;
        if (last) await last;
      };
      try {
        for await (const cells of parser as AsyncIterable<string[]>) {
          if (!columns) {
            columns = resolveColumns(cells, options.mapping, options.delimiter);
            continue;
          }
          rows++;
          const input: OrderInput = {};
          for (const [field, i] of columns) input[field] = cells[i];
          const result = normalizeOrder(input, site.defaultCurrency);
          if (result.ok) {
            batch.push(result.order);
            if (batch.length >= BATCH_ROWS) await flush();
          } else {
            errorRows++;
            for (const p of result.problems) if (problems.length < MAX_REPORTED) problems.push({ row: rows, column: options.mapping[p.column] ?? p.column, message: `${p.column} ${p.message}` });
          }
        }
      } catch (error) {
        // The transaction rolls back after the running upsert, not beside it.
        await settle().catch(() => {});
        if (error instanceof CsvError) throw new FileRefused(csvErrorMessage(error));
        throw error;
      }
      await settle();
      if (!columns) throw new FileRefused("The file is empty: it needs a header line and at least one order.");
      if (rows === 0) throw new FileRefused("The file has a header but no order rows.");
      if (errorRows > rows * REFUSE_SHARE) {
        throw new FileRefused(`${errorRows} of ${rows} rows have errors (more than ${REFUSE_SHARE * 100} %): nothing was imported. Check the column mapping and the date and number formats; the error report lists each row.`);
      }
      await flush();
      await settle();
      await auditImport(sql, actor, site, record.id, { source: "csv", fileName: options.fileName ?? null, rows, errorRows, ...totals });
    });
  } catch (error) {
    await drain(source);
    if (!(error instanceof FileRefused)) {
      await db.prisma.orderImport.update({ where: { id: record.id }, data: { status: "failed", error: "the import failed on our side; nothing was imported", rows, finishedAt: new Date() } });
      throw error;
    }
    const failed = await db.prisma.orderImport.update({
      where: { id: record.id },
      data: { status: "failed", error: error.message, rows, errorRows, errors: problems, bytes: BigInt(bytes), finishedAt: new Date() },
    });
    return importView(failed);
  }
  const done = await (await prisma()).orderImport.update({
    where: { id: record.id },
    data: { status: "done", rows, errorRows, errors: problems, bytes: BigInt(bytes), ...totals, finishedAt: new Date() },
  });
  return importView(done);
}

/**
 * Reads what is left of a refused upload and drops it: a server that answers before the
 * client finished sending sees the client fail with a reset instead of reading the
 * answer. It costs no more than the import would have (nothing is kept).
 */
async function drain(source: Readable): Promise<void> {
  if (source.readableEnded || source.destroyed) return;
  source.unpipe();
  await new Promise<void>((resolve) => {
    source.on("end", resolve).on("close", resolve).on("error", () => resolve());
    source.resume();
  });
}
