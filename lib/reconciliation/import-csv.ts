// CSV upload of backend orders, streamed: the request body flows through csv-parse a
// chunk at a time; each valid row, normalized and hashed, becomes a line of a COPY into
// a staging table of the transaction (PostgreSQL takes it in as Node parses, on the two
// cores), and no more of the body is read while the COPY's buffer is full
// (backpressure), so a 1,000,000-row file never sits in memory — neither the file nor its
// rows. At the end one upsert moves the staged rows into Order (lib/reconciliation/orders.ts).
// The whole file is one transaction: a file refused as a whole (a mapped column
// missing from the header — the usual sign of a wrong delimiter —, a record longer than
// MAX_RECORD_BYTES, a broken quote, or more than REFUSE_SHARE of its rows invalid)
// rolls back and leaves no order behind. Rows with problems are skipped and reported
// (row, column, what is wrong); the rest commit together.
import { once } from "node:events";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { parse, CsvError } from "csv-parse";
import { database, prisma } from "../db";
import type { Actor } from "../auth/actor";
import { ValidationError } from "../errors";
import { normalizeOrder, ORDER_FIELDS, REQUIRED_FIELDS, type OrderField, type OrderInput } from "./order-row";
import { auditImport, copyLine, createStagingTable, reconciliationSite, importView, STAGING_TABLE, upsertStagedOrders, type UpsertCounts } from "./orders";

/**
 * Characters of COPY text per write. Rows were upserted in batches of 2,000 before: each
 * batch lived across the await of its insert, survived V8's scavenges, and made the
 * young generation grow (up to the server's 2 × 128 MB, lib/http/node-flags.ts); a line of
 * text outlives nothing (measured: docs/reconciliation.md).
 */
export const COPY_CHUNK = 64 * 1024;
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
  // The body flows into the parser while the transaction and its staging table are set up:
  // an error in those first chunks (a record too long) is kept here, not left unhandled,
  // and thrown once the rows are read.
  let parseError: Error | null = null;
  parser.on("error", (error) => (parseError ??= error));

  const problems: Problem[] = [];
  let errorRows = 0;
  let rows = 0;
  let staged = 0;
  let totals: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  try {
    await db.transaction(async (sql) => {
      await sql.query(`SET LOCAL work_mem = '64MB'`);
      await createStagingTable(sql);
      const copy = sql.copyFrom(`COPY ${STAGING_TABLE} FROM STDIN`);
      const copied = finished(copy);
      // Handled here so a COPY failure that lands while the file is parsed is not an
      // unhandled rejection; it is thrown by the write below or the await after end().
      copied.catch(() => {});
      let columns: Map<OrderField, number> | null = null;
      // The lines of COPY go out in chunks of about COPY_CHUNK characters; no row outlives
      // its line, so V8's young generation stays small (what survives a scavenge makes it grow).
      let chunk = "";
      const send = async () => {
        const full = !copy.write(chunk);
        chunk = "";
        if (full) await Promise.race([once(copy, "drain"), copied]);
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
            staged++;
            chunk += copyLine(rows, result.order);
            if (chunk.length >= COPY_CHUNK) await send();
          } else {
            errorRows++;
            for (const p of result.problems) if (problems.length < MAX_REPORTED) problems.push({ row: rows, column: options.mapping[p.column] ?? p.column, message: `${p.column} ${p.message}` });
          }
        }
        if (parseError) throw parseError;
        if (chunk) await send();
        copy.end();
        await copied;
      } catch (error) {
        // Abort the COPY (CopyFail): the transaction then rolls back on a connection that is still usable.
        copy.destroy(error instanceof Error ? error : new Error(String(error)));
        await copied.catch(() => {});
        if (error instanceof CsvError) throw new FileRefused(csvErrorMessage(error));
        throw error;
      }
      if (!columns) throw new FileRefused("The file is empty: it needs a header line and at least one order.");
      if (rows === 0) throw new FileRefused("The file has a header but no order rows.");
      if (errorRows > rows * REFUSE_SHARE) {
        throw new FileRefused(`${errorRows} of ${rows} rows have errors (more than ${REFUSE_SHARE * 100} %): nothing was imported. Check the column mapping and the date and number formats; the error report lists each row.`);
      }
      totals = await upsertStagedOrders(sql, site, record.id, staged);
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
